"""A local stand-in for Navet in the tests: an HTTPS server that requires a client
certificate signed by its own CA and answers the personpost request with sample XML in
the structure of Skatteverket's Navet Personpost XML. Certificates are made here."""

import datetime
import http.server
import ssl
import threading
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>{}</S:Body>'
    "</S:Envelope>"
)
ANSWER = (
    '<ns0:PersonpostXMLResponse xmlns:ns0="http://xmls.skatteverket.se/se/skatteverket/'
    'folkbokforing/na/epersondata/V1"><ns0:Folkbokforingsposter>{}</ns0:Folkbokforingsposter>'
    "</ns0:PersonpostXMLResponse>"
)
FAULT = (
    "<S:Fault><faultcode>S:Server</faultcode><faultstring>Fel i beställningen</faultstring>"
    "</S:Fault>"
)


def post(number, *, first="Medel", middle="", last="Svensson", extra="", address=True):
    """One Folkbokforingspost for ``number``; ``extra``: more elements in Personpost."""
    middle_name = f"<Mellannamn>{middle}</Mellannamn>" if middle else ""
    addresses = (
        "<Adresser><Folkbokforingsadress><Utdelningsadress2>KUNGSGATAN 1</Utdelningsadress2>"
        "<PostNr>64136</PostNr><Postort>KATRINEHOLM</Postort></Folkbokforingsadress></Adresser>"
        if address
        else ""
    )
    return (
        '<Folkbokforingspost><Arendeuppgift andringstidpunkt="20200406121712"/><Personpost>'
        f"<PersonId><PersonNr>{number}</PersonNr></PersonId>"
        f"<Namn><Tilltalsnamnsmarkering>10</Tilltalsnamnsmarkering><Fornamn>{first}</Fornamn>"
        f"{middle_name}<Efternamn>{last}</Efternamn></Namn>{addresses}{extra}"
        "</Personpost></Folkbokforingspost>"
    )


def _name(common):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject, key, issuer, issuer_key, *, ca=False, hosts=()):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if hosts:
        import ipaddress

        names = [x509.IPAddress(ipaddress.ip_address(h)) for h in hosts if h[0].isdigit()]
        names += [x509.DNSName(h) for h in hosts if not h[0].isdigit()]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(folder: Path, name, certificate, key):
    (folder / f"{name}.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / f"{name}.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def make_certificates(folder: Path):
    """ca.crt; server.crt/.key for 127.0.0.1; client.crt/.key (the organisation's);
    stranger.crt/.key signed by another CA."""
    ca_key, other_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _certificate("Test CA", ca_key, "Test CA", ca_key, ca=True)
    _write(folder, "ca", ca, ca_key)
    for name, issuer, issuer_key, hosts in (
        ("server", "Test CA", ca_key, ("127.0.0.1", "localhost")),
        ("client", "Test CA", ca_key, ()),
        ("stranger", "Other CA", other_key, ()),
    ):
        key = ec.generate_private_key(ec.SECP256R1())
        _write(folder, name, _certificate(name, key, issuer, issuer_key, hosts=hosts), key)


class NavetStandIn:
    """Answers by the PersonId asked for: ``answers[number]`` is (status, body) or a
    number of seconds to wait before answering nothing. ``requests`` keeps the bodies."""

    def __init__(self, folder: Path):
        self.answers: dict[str, object] = {}
        self.requests: list[bytes] = []
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stand_in.requests.append(body)
                number = body.split(b"PersonId>")[1].split(b"<")[0].decode()
                answer = stand_in.answers.get(number, (200, ENVELOPE.format(ANSWER.format(""))))
                if isinstance(answer, (int, float)):
                    time.sleep(answer)
                    return
                status, text = answer
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(folder / "server.crt", folder / "server.key")
        context.load_verify_locations(folder / "ca.crt")
        context.verify_mode = ssl.CERT_REQUIRED
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return (
            f"https://127.0.0.1:{self.server.server_address[1]}/na/na_epersondata/V2/personpostXML"
        )

    def found(self, number, **fields):
        self.answers[number] = (200, ENVELOPE.format(ANSWER.format(post(number, **fields))))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
