"""The real Navet client against a local HTTPS server that requires the organisation's
client certificate (tests/people/register_server.py): found, not found, protected,
deceased, relations, a SOAP fault, a timeout, a refused certificate; and a lookup from
the person page through it."""

import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.people.identifiers import synthetic_national
from kinsight.people.models import Person
from kinsight.people.register import RegisterError, RelationRole, configured_register
from kinsight.people.register.navet import NavetNotConfigured, NavetRegister, parse_response
from tests.people import factories as pf
from tests.people.register_server import ENVELOPE, FAULT, NavetStandIn, make_certificates

NUMBER = synthetic_national(datetime.date(1985, 3, 12), 987)
CHILD = synthetic_national(datetime.date(2010, 1, 1), 238)
OTHER = synthetic_national(datetime.date(1950, 1, 1), 238)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("navet-certs")
    make_certificates(folder)
    return folder


@pytest.fixture
def navet(certificates):
    with NavetStandIn(certificates) as stand_in:
        yield stand_in


def client_for(navet, certificates, *, cert="client", timeout=5.0):
    return NavetRegister(
        url=navet.url,
        cert_file=str(certificates / f"{cert}.crt"),
        key_file=str(certificates / f"{cert}.key"),
        ca_file=str(certificates / "ca.crt"),
        org_nr="162021004748",
        order_id="00000079-FO01-0008",
        timeout=timeout,
    )


def test_it_reads_a_found_person_with_name_and_address(navet, certificates):
    navet.found(NUMBER, first="Medel", middle="Meddel", last="Svensson")
    record = client_for(navet, certificates).lookup(NUMBER)
    assert record.found and record.first_name == "Medel" and record.last_name == "Meddel Svensson"
    assert (record.street_address, record.postal_code, record.city) == (
        "KUNGSGATAN 1",
        "64136",
        "KATRINEHOLM",
    )
    assert not record.protected and record.deceased_on is None


def test_it_sends_the_organisation_the_order_and_the_number(navet, certificates):
    navet.found(NUMBER)
    client_for(navet, certificates).lookup(NUMBER)
    body = navet.requests[-1].decode()
    assert "<v1:OrgNr>162021004748</v1:OrgNr>" in body
    assert "<v1:BestallningsId>00000079-FO01-0008</v1:BestallningsId>" in body
    assert f"<v1:PersonId>{NUMBER}</v1:PersonId>" in body


def test_a_number_not_in_the_register_is_not_found(navet, certificates):
    record = client_for(navet, certificates).lookup(NUMBER)
    assert not record.found and record.first_name == ""


def test_it_reads_the_protection_markers(navet, certificates):
    navet.found(NUMBER, extra="<Sekretessmarkering>J</Sekretessmarkering>")
    assert client_for(navet, certificates).lookup(NUMBER).protected
    navet.found(NUMBER, extra="<SkyddadFolkbokforing>J</SkyddadFolkbokforing>", address=False)
    record = client_for(navet, certificates).lookup(NUMBER)
    assert record.protected and record.street_address == ""
    navet.found(NUMBER, extra="<Sekretessmarkering>N</Sekretessmarkering>")
    assert not client_for(navet, certificates).lookup(NUMBER).protected


def test_it_reads_a_deceased_person(navet, certificates):
    deregistration = (
        "<Avregistrering><AvregistreringsorsakKod>AV</AvregistreringsorsakKod>"
        "<Avregistreringsdatum>20240131</Avregistreringsdatum></Avregistrering>"
    )
    navet.found(NUMBER, extra=deregistration)
    assert str(client_for(navet, certificates).lookup(NUMBER).deceased_on) == "2024-01-31"
    emigrated = deregistration.replace(">AV<", ">UV<")
    navet.found(NUMBER, extra=emigrated)
    assert client_for(navet, certificates).lookup(NUMBER).deceased_on is None


def test_it_reads_the_relations_it_knows_and_leaves_out_the_others(navet, certificates):
    relations = (
        "<Relationer>"
        f"<Relation><Relationstyp>B</Relationstyp><RelationId><PersonNr>{CHILD}</PersonNr>"
        "</RelationId><Fornamn>Lo</Fornamn><Efternamn>Svensson</Efternamn></Relation>"
        "<Relation><Relationstyp>XX</Relationstyp><RelationId><PersonNr>"
        f"{OTHER}</PersonNr></RelationId></Relation>"
        "</Relationer>"
    )
    navet.found(NUMBER, extra=relations)
    (child,) = client_for(navet, certificates).lookup(NUMBER).relations
    assert (child.role, child.identifier, child.full_name) == (
        RelationRole.CHILD,
        CHILD,
        "Lo Svensson",
    )


def test_a_soap_fault_is_an_error_without_the_number(navet, certificates):
    navet.answers[NUMBER] = (500, ENVELOPE.format(FAULT))
    with pytest.raises(RegisterError) as error:
        client_for(navet, certificates).lookup(NUMBER)
    assert "S:Server" in error.value.reason and NUMBER not in error.value.reason


def test_a_slow_register_times_out(navet, certificates):
    navet.answers[NUMBER] = 2
    with pytest.raises(RegisterError, match="no answer"):
        client_for(navet, certificates, timeout=0.3).lookup(NUMBER)


def test_the_server_refuses_a_certificate_it_does_not_trust(navet, certificates):
    navet.found(NUMBER)
    with pytest.raises(RegisterError, match="no answer"):
        client_for(navet, certificates, cert="stranger").lookup(NUMBER)
    assert navet.requests == []


def test_an_answer_with_a_document_type_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    with pytest.raises(RegisterError, match="document type"):
        parse_response(data, NUMBER)


def test_it_refuses_a_plain_http_address_and_names_missing_settings(settings):
    with pytest.raises(NavetNotConfigured):
        NavetRegister(
            url="http://navet.example", cert_file="c", key_file="k", org_nr="1", order_id="2"
        )
    settings.KINSIGHT_POPULATION_REGISTER = "navet"
    settings.KINSIGHT_NAVET_URL = "https://navet.example"
    with pytest.raises(NavetNotConfigured) as error:
        configured_register()
    assert "KINSIGHT_NAVET_CERT_FILE" in error.value.missing


@pytest.fixture
def navet_settings(settings, navet, certificates):
    settings.KINSIGHT_POPULATION_REGISTER = "navet"
    settings.KINSIGHT_NAVET_URL = navet.url
    settings.KINSIGHT_NAVET_CERT_FILE = str(certificates / "client.crt")
    settings.KINSIGHT_NAVET_KEY_FILE = str(certificates / "client.key")
    settings.KINSIGHT_NAVET_CA_FILE = str(certificates / "ca.crt")
    settings.KINSIGHT_NAVET_ORG_NR = "162021004748"
    settings.KINSIGHT_NAVET_ORDER_ID = "00000079-FO01-0008"
    settings.KINSIGHT_NAVET_TIMEOUT = 0.5
    return settings


@pytest.mark.django_db
def test_the_person_page_looks_up_through_navet(
    client, login, worker, municipality, adult_unit, navet, navet_settings
):
    person = pf.person(municipality, "Medel", "Svensson", identifier=NUMBER)
    pf.case(person, adult_unit, responsible=worker)
    navet.found(NUMBER, extra="<Sekretessmarkering>J</Sekretessmarkering>")
    login(worker)
    response = client.post(reverse("people:register_lookup", args=[person.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "KUNGSGATAN" not in body and "Skyddad – visas inte" in body
    assert Person.objects.get(pk=person.pk).protected_identity
    entry = AuditEntry.objects.get(action="read", changes__register_lookup="navet")
    assert entry.changes == {"register_lookup": "navet", "outcome": "found"}


@pytest.mark.django_db
def test_a_register_that_does_not_answer_gets_a_clear_message(
    client, login, worker, municipality, adult_unit, navet, navet_settings
):
    person = pf.person(municipality, "Medel", "Svensson", identifier=NUMBER)
    pf.case(person, adult_unit, responsible=worker)
    navet.answers[NUMBER] = 2
    login(worker)
    response = client.post(reverse("people:register_lookup", args=[person.pk]), follow=True)
    assert "Folkbokföringen svarade inte" in response.content.decode()
    entry = AuditEntry.objects.get(action="read", changes__register_lookup="navet")
    assert entry.changes == {"register_lookup": "navet", "outcome": "error"}


def test_the_start_up_check_names_the_missing_navet_settings(settings):
    from kinsight.people.register.checks import navet_settings

    assert navet_settings() == []
    settings.KINSIGHT_POPULATION_REGISTER = "navet"
    (error,) = navet_settings()
    assert error.id == "kinsight.people.E001" and "KINSIGHT_NAVET_ORDER_ID" in error.msg
