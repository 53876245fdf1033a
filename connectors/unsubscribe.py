"""One-click unsubscribe links (RFC 8058): a token per (channel, address, customer), signed with a
key kept in the keyring, so that the shop's site can hand back what a customer clicked and
Scenarist can tell a real request from a made-up one.

A token is ``<payload>.<signature>``, both base64url without padding: the payload is the channel,
the address and the customer id; the signature is the first 16 bytes of their HMAC-SHA256 under
the key. Templates show the link as ``{{ unsubscribe_url }}``: the engine writes a mark there and
the email channel puts each recipient's own link in its place when it sends.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from typing import Any

from connectors.credentials import KeyringUnavailable, get_secret, set_secret
from connectors.templates import render

KEY_ACCOUNT = "unsubscribe-key"
KEY_ENV = "SCENARIST_UNSUBSCRIBE_KEY"
# What a template's {{ unsubscribe_url }} renders to until the channel sends: invisible separators
# around a word no message text holds, so it never meets a customer's own words.
UNSUBSCRIBE_MARK = "\u2063scenarist-unsubscribe-url\u2063"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{4,600}\.[A-Za-z0-9_-]{22}$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: str, payload: bytes) -> str:
    return _b64(hmac.new(key.encode(), payload, hashlib.sha256).digest()[:16])


def make_token(key: str, channel: str, address: str, customer_id: int) -> str:
    """The token of one recipient: who they are, signed."""
    payload = f"{channel}\n{address.strip().lower()}\n{int(customer_id)}".encode()
    return f"{_b64(payload)}.{_signature(key, payload)}"


def read_token(key: str, token: str) -> tuple[str, str, int] | None:
    """(channel, address, customer id) of a token signed with ``key``; None for a token that is
    malformed, altered or signed with another key."""
    token = token.strip()
    if not TOKEN.match(token):
        return None
    body, signature = token.split(".")
    try:
        payload = _unb64(body)
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(_signature(key, payload), signature):
        return None
    parts = payload.decode("utf-8", errors="replace").split("\n")
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def link(template: Any, key: str, channel: str, address: str, customer_id: int) -> str:
    """A recipient's unsubscribe URL: the channel's ``unsubscribe_url`` template (compiled) with
    ``{{ token }}`` their token."""
    return render(template, {"token": make_token(key, channel, address, customer_id)}).strip()


def fill(text: str, url: str) -> str:
    """A rendered text with the recipient's link where the template said ``{{ unsubscribe_url }}``."""
    return text.replace(UNSUBSCRIBE_MARK, url)


def looks_like_token(text: str) -> bool:
    """Whether a line of a file is a token (rather than an address)."""
    return bool(TOKEN.match(text.strip()))


def unsubscribe_key(create: bool = False) -> str | None:
    """The key that signs the tokens: the environment's ``SCENARIST_UNSUBSCRIBE_KEY``, else the
    keyring's; with ``create``, a new random key is kept in the keyring when there is none.

    Raises:
        KeyringUnavailable: a key had to be created and the keyring cannot keep it safely (it is
            never kept anywhere else: set the environment variable instead).
    """
    found = get_secret(KEY_ACCOUNT, KEY_ENV)
    if found or not create:
        return found
    key = secrets.token_urlsafe(32)
    set_secret(KEY_ACCOUNT, key)
    return key


__all__ = ["KEY_ENV", "UNSUBSCRIBE_MARK", "KeyringUnavailable", "fill", "link", "looks_like_token", "make_token",
           "read_token", "unsubscribe_key"]
