import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from personnummer import personnummer

from kinsight.people.identifiers import (
    IdentifierKind,
    luhn_check_digit,
    parse_identifier,
    parse_national,
    parse_reserve,
    synthetic_national,
)

TODAY = datetime.date(2026, 11, 23)
P = IdentifierKind.PERSONNUMMER
C = IdentifierKind.SAMORDNINGSNUMMER


def message(error):
    return " ".join(error.value.message_dict["identifier"])


def test_it_parses_ten_and_twelve_digits_with_and_without_separator():
    expected = "198112189876"
    for raw in ("8112189876", "811218-9876", "198112189876", "19811218-9876", " 811218 - 9876 "):
        parsed = parse_national(raw.replace(" - ", "-"), today=TODAY)
        assert parsed.value == expected, raw
        assert parsed.birth_date == datetime.date(1981, 12, 18)
        assert parsed.kind == P


def test_it_uses_plus_for_people_who_have_turned_100():
    assert parse_national("121212+1212", today=TODAY).value == "191212121212"
    assert parse_national("121212-1212", today=TODAY).value == "201212121212"


def test_it_detects_a_samordningsnummer_by_day_plus_sixty():
    parsed = parse_national("701063-2391", today=TODAY)
    assert parsed.kind == C
    assert parsed.birth_date == datetime.date(1970, 10, 3)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("811218-9875", "kontrollsiffra"),
        ("811318-9876", "datum som inte finns"),
        ("8112189", "10 eller 12 siffror, du angav 7"),
        ("81121898761", "du angav 11"),
        ("81121-89876", "bindestrecket"),
        ("8112x8-9876", "bara innehålla siffror"),
        ("", "Ange"),
    ],
)
def test_it_refuses_bad_numbers_with_a_swedish_message_naming_the_field(raw, words):
    with pytest.raises(ValidationError) as error:
        parse_national(raw, kind=P, today=TODAY)
    assert words in message(error)
    assert "Personnumret" in message(error) or "personnumret" in message(error)


def test_it_refuses_a_future_birth_date():
    future = synthetic_national(datetime.date(2026, 12, 24), 123)
    with pytest.raises(ValidationError) as error:
        parse_national(future, today=TODAY)
    assert "framtiden" in message(error)


def test_it_refuses_a_samordningsnummer_given_as_personnummer_and_the_reverse():
    with pytest.raises(ValidationError) as error:
        parse_national("701063-2391", kind=P, today=TODAY)
    assert "samordningsnummer" in message(error)
    with pytest.raises(ValidationError) as error:
        parse_national("811218-9876", kind=C, today=TODAY)
    assert "61–91" in message(error)


def test_it_accepts_the_default_reserve_number_pattern_and_refuses_others():
    parsed = parse_reserve("19850312-k123", today=TODAY)
    assert parsed.value == "19850312K123"
    assert parsed.birth_date == datetime.date(1985, 3, 12)
    with pytest.raises(ValidationError) as error:
        parse_reserve("XYZ", today=TODAY)
    assert "Reservnumret" in message(error)
    with pytest.raises(ValidationError):
        parse_reserve("19851312K123", today=TODAY)


def test_it_takes_the_reserve_pattern_per_municipality_from_settings(settings):
    settings.RESERVE_NUMBER_PATTERNS = {"1480": r"R\d{6}"}

    class Gbg:
        code = "1480"

    assert parse_reserve("R-123456", municipality=Gbg(), today=TODAY).value == "R123456"
    with pytest.raises(ValidationError):
        parse_reserve("19850312K123", municipality=Gbg(), today=TODAY)


def test_it_refuses_a_number_when_the_kind_is_none():
    with pytest.raises(ValidationError):
        parse_identifier("811218-9876", kind=IdentifierKind.NONE)
    assert parse_identifier("", kind=IdentifierKind.NONE).value == ""


dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=1, max_value=999)


@settings(max_examples=300, deadline=None)
@given(birth=dates, serial=serials, coordination=st.booleans(), long=st.booleans())
def test_it_round_trips_every_valid_generated_number(birth, serial, coordination, long):
    value = synthetic_national(birth, serial, coordination=coordination)
    if long:
        typed = value[:8] + "-" + value[8:]
    else:
        age = TODAY.year - birth.year
        typed = value[2:8] + ("+" if age >= 100 else "-") + value[8:]
    parsed = parse_national(typed, today=TODAY)
    assert parsed.value == value
    assert parsed.birth_date == birth
    assert parsed.kind == (C if coordination else P)
    # The well-kept library agrees that the number is valid.
    assert personnummer.valid(value)


@settings(max_examples=300, deadline=None)
@given(birth=dates, serial=serials, delta=st.integers(min_value=1, max_value=9))
def test_it_refuses_every_changed_check_digit(birth, serial, delta):
    value = synthetic_national(birth, serial)
    wrong = value[:-1] + str((int(value[-1]) + delta) % 10)
    with pytest.raises(ValidationError) as error:
        parse_national(wrong, today=TODAY)
    assert "kontrollsiffra" in message(error)
    assert not personnummer.valid(wrong)


def test_it_computes_the_luhn_digit_of_a_known_number():
    assert luhn_check_digit("811218987") == 6
