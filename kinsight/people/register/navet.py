"""Skatteverket's Navet, the personpost service ("Navet Personpost XML", web service
V2): one SOAP request per lookup over HTTPS with the organisation's client
certificate, the answer's XML read into a RegisterRecord.

The request names the organisation (OrgNr) and its order (BestallningsId) and the
number asked for (PersonId). What is read from the answer, by element name whatever
the namespace: Folkbokforingspost / Personpost / PersonId / PersonNr; Namn (Fornamn,
Mellannamn, Efternamn); Adresser / Folkbokforingsadress (Utdelningsadress1,
Utdelningsadress2, PostNr, Postort); Sekretessmarkering and SkyddadFolkbokforing
("J" marks a protected person); Avregistrering (AvregistreringsorsakKod "AV", avliden,
with Avregistreringsdatum) or Avlidendatum; Relationer / Relation (Relationstyp and the
relation's PersonNr, see RELATION_TYPES). docs/operations.md says which of these were
checked against Skatteverket's description and which must be checked at connection."""

import datetime
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from django.conf import settings

from kinsight.people.register.records import (
    RegisterError,
    RegisterRecord,
    RegisterRelation,
    RelationRole,
)

ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"
REQUEST_NS = "http://xmls.skatteverket.se/se/skatteverket/folkbokforing/na/epersondata/V1"
MAX_ANSWER_BYTES = 2_000_000
DECEASED_CODE = "AV"
# Relationstyp → the related person's role. To be confirmed against the order's
# description at connection (docs/operations.md); an unknown type is left out.
RELATION_TYPES = {
    "B": RelationRole.CHILD,
    "FA": RelationRole.PARENT,
    "MO": RelationRole.PARENT,
    "V": RelationRole.GUARDIAN,
    "VF": RelationRole.IN_CUSTODY,
}
SETTINGS = {
    "url": "KINSIGHT_NAVET_URL",
    "cert_file": "KINSIGHT_NAVET_CERT_FILE",
    "key_file": "KINSIGHT_NAVET_KEY_FILE",
    "org_nr": "KINSIGHT_NAVET_ORG_NR",
    "order_id": "KINSIGHT_NAVET_ORDER_ID",
}


class NavetNotConfigured(RegisterError):
    """Navet is chosen but a setting it needs is missing; ``missing`` names them."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("missing settings: " + ", ".join(missing))
        self.missing = missing


def request_body(*, org_nr: str, order_id: str, personnummer: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{ENVELOPE_NS}" xmlns:v1="{REQUEST_NS}">'
        "<soapenv:Header/><soapenv:Body><v1:PersonpostRequest><v1:Bestallning>"
        f"<v1:OrgNr>{escape(org_nr)}</v1:OrgNr>"
        f"<v1:BestallningsId>{escape(order_id)}</v1:BestallningsId>"
        f"</v1:Bestallning><v1:PersonId>{escape(personnummer)}</v1:PersonId>"
        "</v1:PersonpostRequest></soapenv:Body></soapenv:Envelope>"
    ).encode()


# Reading the answer ----------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (child for child in element.iter() if _local(child.tag) == name)


def _first(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    return None if element is None else next(_all(element, name), None)


def _text(element: ElementTree.Element | None, name: str) -> str:
    found = _first(element, name)
    return (found.text or "").strip() if found is not None else ""


def _date(text: str) -> datetime.date | None:
    """YYYYMMDD or YYYY-MM-DD; an unknown month or day (00) reads as the first."""
    digits = text.replace("-", "")[:8]
    if len(digits) != 8 or not digits.isdigit():
        return None
    year, month, day = int(digits[:4]), int(digits[4:6]) or 1, int(digits[6:8]) or 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _deceased_on(post: ElementTree.Element) -> datetime.date | None:
    for deregistration in _all(post, "Avregistrering"):
        if _text(deregistration, "AvregistreringsorsakKod") == DECEASED_CODE:
            return _date(_text(deregistration, "Avregistreringsdatum")) or datetime.date.today()
    return _date(_text(post, "Avlidendatum"))


def _relations(post: ElementTree.Element) -> tuple[RegisterRelation, ...]:
    relations = []
    for relation in _all(post, "Relation"):
        role = RELATION_TYPES.get(_text(relation, "Relationstyp"))
        number = _text(relation, "PersonNr")
        if role is None or not (len(number) == 12 and number.isdigit()):
            continue
        relations.append(
            RegisterRelation(
                role=role,
                identifier=number,
                first_name=_text(relation, "Fornamn"),
                last_name=_text(relation, "Efternamn"),
            )
        )
    return tuple(relations)


def parse_response(data: bytes, personnummer: str) -> RegisterRecord:
    """The record for ``personnummer`` in Navet's answer. A SOAP fault, or an answer
    that is not the expected XML, raises RegisterError (its reason names no person)."""
    if b"<!DOCTYPE" in data[:2000].upper() or b"<!ENTITY" in data.upper():
        raise RegisterError("answer with a document type declaration refused")
    try:
        # Safe here: no DTD gets this far (refused above), so no entity is expanded.
        root = ElementTree.fromstring(data)  # noqa: S314
    except ElementTree.ParseError:
        raise RegisterError("answer is not XML") from None
    fault = _first(root, "Fault")
    if fault is not None:
        raise RegisterError(f"SOAP fault {_text(fault, 'faultcode') or '(no code)'}")
    if _first(root, "Folkbokforingsposter") is None:
        raise RegisterError("answer without Folkbokforingsposter")
    post = next(
        (p for p in _all(root, "Folkbokforingspost") if _text(p, "PersonNr") == personnummer),
        None,
    )
    if post is None:
        return RegisterRecord(identifier=personnummer, found=False)
    name = _first(post, "Namn")
    address = _first(_first(post, "Adresser") or post, "Folkbokforingsadress")
    protected = "J" in (_text(post, "Sekretessmarkering"), _text(post, "SkyddadFolkbokforing"))
    return RegisterRecord(
        identifier=personnummer,
        first_name=_text(name, "Fornamn"),
        last_name=" ".join(filter(None, (_text(name, "Mellannamn"), _text(name, "Efternamn")))),
        street_address=_text(address, "Utdelningsadress2") or _text(address, "Utdelningsadress1"),
        postal_code=_text(address, "PostNr"),
        city=_text(address, "Postort"),
        protected=protected,
        deceased_on=_deceased_on(post),
        relations=_relations(post),
    )


# The client ----------------------------------------------------------------------------


class NavetRegister:
    """KINSIGHT_POPULATION_REGISTER=navet. Settings: KINSIGHT_NAVET_URL (https),
    KINSIGHT_NAVET_CERT_FILE and KINSIGHT_NAVET_KEY_FILE (the organisation's
    certificate and key, PEM), KINSIGHT_NAVET_ORG_NR, KINSIGHT_NAVET_ORDER_ID; optional
    KINSIGHT_NAVET_CA_FILE (the CA that signs Skatteverket's server certificate; the
    system's CAs when unset) and KINSIGHT_NAVET_TIMEOUT (seconds, 10)."""

    name = "navet"

    def __init__(
        self,
        *,
        url: str,
        cert_file: str,
        key_file: str,
        org_nr: str,
        order_id: str,
        ca_file: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        if not url.startswith("https://"):
            raise NavetNotConfigured(["KINSIGHT_NAVET_URL (https://…)"])
        self.url, self.org_nr, self.order_id, self.timeout = url, org_nr, order_id, timeout
        self.cert_file, self.key_file, self.ca_file = cert_file, key_file, ca_file

    @classmethod
    def from_settings(cls) -> "NavetRegister":
        values = {key: getattr(settings, name, "") or "" for key, name in SETTINGS.items()}
        missing = [SETTINGS[key] for key, value in values.items() if not value]
        if missing:
            raise NavetNotConfigured(missing)
        return cls(
            **values,
            ca_file=getattr(settings, "KINSIGHT_NAVET_CA_FILE", None) or None,
            timeout=float(getattr(settings, "KINSIGHT_NAVET_TIMEOUT", 10) or 10),
        )

    def _context(self) -> ssl.SSLContext:
        try:
            context = ssl.create_default_context(cafile=self.ca_file)
            context.load_cert_chain(self.cert_file, self.key_file)
        except (OSError, ssl.SSLError) as error:
            raise RegisterError(
                f"client certificate or CA unreadable: {type(error).__name__}"
            ) from None
        return context

    def lookup(self, personnummer: str, *, municipality_id: int | None = None) -> RegisterRecord:
        # Navet answers every municipality alike: municipality_id is not sent.
        body = request_body(org_nr=self.org_nr, order_id=self.order_id, personnummer=personnummer)
        request = urllib.request.Request(  # noqa: S310 (https only, checked in __init__)
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'},
        )
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self._context()),
        )
        try:
            with opener.open(request, timeout=self.timeout) as response:
                data = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            # A SOAP fault comes with status 500; its code is the reason.
            data = error.read(MAX_ANSWER_BYTES + 1)
            parse_response(data, personnummer)
            raise RegisterError(f"HTTP status {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ssl.SSLError, OSError) as error:
            raise RegisterError(f"no answer: {type(error).__name__}") from None
        if len(data) > MAX_ANSWER_BYTES:
            raise RegisterError("answer too large")
        return parse_response(data, personnummer)
