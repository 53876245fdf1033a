"""SMTP over STARTTLS and SSL against a real aiosmtpd server with its own certificate authority,
and a login the server refuses."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from connectors.channels import DeliveryError, OutgoingMessage, SmtpChannel
from tests.test_delivery import Inbox, free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, written as cert.pem and key.pem."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return str(folder / "cert.pem"), server


MESSAGE = OutgoingMessage("s:mail1:1", "email", "anna@example.com", "Привет, Анна", "Hello", 1)


def test_starttls_delivers_with_a_trusted_certificate(certificate):
    cafile, server_tls = certificate
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=server_tls, require_starttls=True)
    controller.start()
    try:
        channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="starttls", cafile=cafile)
        channel.send(MESSAGE)
        channel.close()
        untrusted = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="starttls")
        with pytest.raises(DeliveryError, match="certificate verify failed"):
            untrusted.send(MESSAGE)
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.received] == ["Привет, Анна"]


def test_implicit_ssl_delivers(certificate):
    cafile, server_tls = certificate
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=server_tls)
    controller.start()
    try:
        channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="ssl", cafile=cafile)
        channel.send(MESSAGE)
        channel.close()
    finally:
        controller.stop()
    assert len(inbox.received) == 1


def test_refused_login_is_an_authentication_failure(certificate):
    cafile, server_tls = certificate

    def refuse(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    port = free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port, tls_context=server_tls,
                            authenticator=refuse, auth_require_tls=True)
    controller.start()
    try:
        channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="starttls",
                              username="shop", password="wrong", cafile=cafile)
        with pytest.raises(DeliveryError) as caught:
            channel.send(MESSAGE)
    finally:
        controller.stop()
    assert caught.value.auth and "SMTP login refused: 535" in str(caught.value)


def test_a_server_without_starttls_gets_no_password_and_stops_the_channel():
    logins = []

    def record(server, session, envelope, mechanism, auth_data):
        logins.append(auth_data)
        return AuthResult(success=True, handled=False)

    port = free_port()  # a plain server that would take a login in clear
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port, authenticator=record, auth_require_tls=False)
    controller.start()
    try:
        channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="starttls",
                              username="shop", password="hunter2")
        with pytest.raises(DeliveryError, match="STARTTLS") as caught:
            channel.send(MESSAGE)
    finally:
        controller.stop()
    assert caught.value.stops_channel and logins == []


def test_an_untrusted_certificate_stops_the_channel(certificate):
    _, server_tls = certificate
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=server_tls, require_starttls=True)
    controller.start()
    try:
        with pytest.raises(DeliveryError, match=r"is not trusted.*certificate verify failed") as caught:
            SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="starttls").send(MESSAGE)
    finally:
        controller.stop()
    assert caught.value.stops_channel and inbox.received == []
