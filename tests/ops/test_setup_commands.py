"""The operator's setup commands: a municipality, its organisation from a CSV and its
first administrator, each audited, all or nothing, and safe to run again."""

import io

import pytest
from django.core.management import CommandError, call_command

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Membership, Municipality, NodeKind, OrgUnit, Role, UnitType, User

ORGANISATION = """name,kind,parent,unit_type
Socialnämnden,board,,
Socialförvaltningen,Förvaltning,Socialnämnden,
Barn och unga,unit,Socialförvaltningen,children_youth
Vuxenenheten,Enhet,Socialförvaltningen,Vuxna (missbruk och beroende)
"""
PASSWORD = "ett-långt-lösenord-2026"  # noqa: S105 - test data


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kommun(db) -> Municipality:
    command("municipality_create", "--code", "1234", "--name", "Exempelkommun")
    return Municipality.objects.get(code="1234")


@pytest.fixture
def organisation_file(tmp_path):
    path = tmp_path / "organisation.csv"
    path.write_text(ORGANISATION, encoding="utf-8")
    return path


def test_municipality_create_refuses_a_code_that_is_not_four_digits(db):
    with pytest.raises(CommandError, match="four digits"):
        command("municipality_create", "--code", "12a4", "--name", "Fel")
    assert not Municipality.objects.exists()


def test_municipality_create_refuses_a_taken_code(kommun):
    with pytest.raises(CommandError, match="(?i)kommunkod finns redan"):
        command("municipality_create", "--code", "1234", "--name", "Annan")


def test_the_organisation_is_imported_audited_and_a_rerun_changes_nothing(
    kommun, organisation_file
):
    assert "4 created, 0 already there" in command(
        "organisation_import", "--municipality", "1234", str(organisation_file)
    )
    units = {unit.name: unit for unit in OrgUnit.objects.filter(municipality=kommun)}
    assert units["Socialförvaltningen"].parent == units["Socialnämnden"]
    assert units["Vuxenenheten"].kind == NodeKind.UNIT
    assert units["Vuxenenheten"].unit_type == UnitType.ADULTS_ADDICTION
    created = AuditEntry.objects.filter(municipality=kommun, object_type="core.orgunit")
    assert created.count() == 4
    assert all(entry.actor_id is None for entry in created)

    assert "0 created, 4 already there" in command(
        "organisation_import", "--municipality", "1234", str(organisation_file)
    )
    assert OrgUnit.objects.filter(municipality=kommun).count() == 4


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("Socialnämnden,board,,\nX,unit,Okänd,families\n", "line 3: parent 'Okänd'"),
        ("Socialnämnden,nämnden,,\n", "line 2: kind 'nämnden' is not one of"),
        ("Socialnämnden,board,,\nX,unit,Socialnämnden,families\n", "line 3: "),
        ("Socialnämnden,board,,\nX,administration,Socialnämnden,families\n", "line 3: "),
    ],
)
def test_a_bad_row_imports_nothing_and_names_its_line(kommun, tmp_path, rows, message):
    path = tmp_path / "bad.csv"
    path.write_text("name,kind,parent,unit_type\n" + rows, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        command("organisation_import", "--municipality", "1234", str(path))
    assert not OrgUnit.objects.filter(municipality=kommun).exists()


def test_a_file_without_the_columns_is_refused(kommun, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("namn;nivå\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks the column"):
        command("organisation_import", "--municipality", "1234", str(path))


def test_an_unknown_municipality_is_refused(db, organisation_file):
    with pytest.raises(CommandError, match="no municipality with code 9999"):
        command("organisation_import", "--municipality", "9999", str(organisation_file))


@pytest.fixture
def imported(kommun, organisation_file):
    command("organisation_import", "--municipality", "1234", str(organisation_file))
    return kommun


def admin_args(*extra: str) -> list[str]:
    return [
        "administrator_create",
        "--municipality",
        "1234",
        "--username",
        "alva.andersson",
        "--first-name",
        "Alva",
        "--last-name",
        "Andersson",
        *extra,
    ]


def test_the_administrator_is_made_from_a_password_file(imported, tmp_path):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    assert "created administrator alva.andersson" in command(
        *admin_args("--password-file", str(secret))
    )
    user = User.objects.get(username="alva.andersson")
    assert user.municipality == imported
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit.name) == (Role.ADMINISTRATOR, "Socialnämnden")
    audited = AuditEntry.objects.filter(municipality=imported, actor=None)
    assert set(audited.values_list("object_type", flat=True)) >= {
        "core.user",
        "core.membership",
    }
    assert PASSWORD not in str(list(audited.values_list("changes", flat=True)))


def test_the_password_is_prompted_twice(imported, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    command(*admin_args("--unit", "Socialförvaltningen"))
    membership = Membership.objects.get(user__username="alva.andersson")
    assert membership.unit.name == "Socialförvaltningen"


def test_differing_passwords_create_nothing(imported, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="the passwords differ"):
        command(*admin_args())
    assert not User.objects.filter(username="alva.andersson").exists()


def test_a_weak_password_is_refused(imported, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("1234\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing created"):
        command(*admin_args("--password-file", str(secret)))
    assert not User.objects.filter(username="alva.andersson").exists()


def test_an_administrator_needs_the_organisation_first(kommun, tmp_path):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD, encoding="utf-8")
    with pytest.raises(CommandError, match="import the organisation first"):
        command(*admin_args("--password-file", str(secret)))


def test_the_password_is_not_an_option(imported):
    with pytest.raises(CommandError):
        command(*admin_args("--password", PASSWORD))
