"""A SAML 2.0 identity provider for the tests: pysaml2's own IdP (saml2.server.Server)
behind a small HTTP server on a local port, with a key and certificate made for the
test. Single sign-on (HTTP-Redirect in, HTTP-POST out) and single logout
(HTTP-Redirect). The test says who signs in next (``attributes`` and ``class_ref``)."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary

MFA = "http://id.elegnamnden.se/loa/1.0/loa3"
PASSWORD_ONLY = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def key_and_certificate(folder: Path, name: str) -> tuple[str, str]:
    """A new RSA key and a self-signed certificate for it, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class SamlIdp:
    def __init__(self, folder: Path, name: str = "idp") -> None:
        self.key_file, self.cert_file = key_and_certificate(folder, name)
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.http.server_port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.attributes: dict[str, list[str]] = {}
        self.class_ref = MFA
        self.logged_out: list[str] = []
        self.server: Server | None = None
        # The person signed in here at (None: now); a ForceAuthn request asks again
        # (AuthnInstant now) when the provider honours it.
        self.signed_in_at: int | None = None
        self.honours_force = True
        self.forced: list[bool] = []

    def __enter__(self) -> "SamlIdp":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()

    def _config(self, sp_metadata: str | None) -> IdPConfig:
        settings: dict[str, Any] = {
            "entityid": f"{self.base}/metadata",
            "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{self.base}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {"default": {"lifetime": {"minutes": 15}}},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "key_file": self.key_file,
            "cert_file": self.cert_file,
        }
        if sp_metadata:
            settings["metadata"] = {"inline": [sp_metadata]}
        config = IdPConfig()
        config.load(settings)
        return config

    def metadata(self) -> str:
        return entity_descriptor(self._config(None)).to_string().decode()

    def trust(self, sp_metadata: str) -> None:
        """Load the service provider's metadata (as an IdP's administrator does)."""
        self.server = Server(config=self._config(sp_metadata))

    def sign_on(self, saml_request: str, relay_state: str) -> dict[str, Any]:
        assert self.server is not None
        request = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        args = self.server.response_args(request, [BINDING_HTTP_POST])
        forced = request.force_authn == "true"
        self.forced.append(forced)
        at = None if (forced and self.honours_force) else self.signed_in_at
        return self.answer(args, relay_state, at)

    def answer(
        self, args: dict[str, Any], relay_state: str = "", signed_in_at: int | None = None
    ) -> dict[str, Any]:
        """A signed response with ``attributes`` to the request ``args`` name
        (in_response_to, destination, sp_entity_id, name_id_policy, binding), the
        person signed in at ``signed_in_at`` (None: now)."""
        assert self.server is not None
        authn = {"class_ref": self.class_ref, "authn_auth": self.base}
        if signed_in_at is not None:
            authn["authn_instant"] = signed_in_at
        response = self.server.create_authn_response(
            dict(self.attributes),
            userid=self.attributes.get("uid", ["someone"])[0],
            authn=authn,
            sign_assertion=True,
            **args,
        )
        return self.server.apply_binding(
            args["binding"], str(response), args["destination"], relay_state, response=True
        )

    def log_out(self, saml_request: str) -> str:
        assert self.server is not None
        request = self.server.parse_logout_request(saml_request, BINDING_HTTP_REDIRECT).message
        self.logged_out.append(request.name_id.text)
        answer = self.server.create_logout_response(request, [BINDING_HTTP_REDIRECT])
        destination = self.server.metadata.single_logout_service(
            request.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT, str(answer), destination, response=True
        )
        return dict(info["headers"])["Location"]

    def logout_request(self, name_id: Any, sp_entity_id: str) -> str:
        """The address of a LogoutRequest from this provider to the service provider
        (the person logged out somewhere else)."""
        assert self.server is not None
        destination = self.server.metadata.single_logout_service(
            sp_entity_id, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        _id, request = self.server.create_logout_request(destination, sp_entity_id, name_id=name_id)
        info = self.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination)
        return dict(info["headers"])["Location"]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/sso":
                    info = idp.sign_on(query["SAMLRequest"], query.get("RelayState", ""))
                    body = info["data"].encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif url.path == "/slo":
                    self.send_response(302)
                    self.send_header("Location", idp.log_out(query["SAMLRequest"]))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

        return Handler
