"""The keyring policy: an explicit in-memory backend, and plain words for the bad ones."""

from __future__ import annotations

import os
import subprocess
import sys

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordSetError

from app.settings import channel_secret
from connectors import credentials
from connectors.credentials import KeyringUnavailable, crm_password, get_secret, keyring_status, set_secret
from tests.helpers import ROOT


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backend, which writes passwords unencrypted."""


@pytest.fixture
def backend(monkeypatch):
    original = keyring.get_keyring()
    monkeypatch.setattr(credentials, "_SESSION", {})
    monkeypatch.delenv("SCENARIST_CRM_PASSWORD", raising=False)
    monkeypatch.delenv("SCENARIST_EMAIL_SECRET", raising=False)

    def use(kind):
        keyring.set_keyring(kind())
        return keyring.get_keyring()

    yield use
    keyring.set_keyring(original)


def test_passwords_round_trip_through_a_working_keyring(backend, monkeypatch):
    memory = backend(MemoryKeyring)
    assert keyring_status().usable
    assert str(set_secret("postgres@db:5432/shop", "s3cret")).startswith("in the keyring")
    assert crm_password("postgresql://postgres@db:5432/shop") == "s3cret"
    assert memory.store[("scenarist", "postgres@db:5432/shop")] == "s3cret"
    set_secret("channel:email", "smtp-pass")
    assert channel_secret("email") == "smtp-pass"
    monkeypatch.setenv("SCENARIST_EMAIL_SECRET", "from-env")
    assert channel_secret("email") == "from-env"  # the environment wins on a headless server
    assert crm_password("sqlite:///shop.db") is None


@pytest.mark.parametrize(("kind", "words"), [
    (fail.Keyring, "no keyring service"),
    (null.Keyring, "switched off"),
    (PlaintextKeyring, "unencrypted in a file"),
])
def test_unsafe_keyrings_are_named_and_nothing_is_stored(backend, kind, words):
    chosen = backend(kind)
    status = keyring_status()
    assert not status.usable and words in str(status.problem)
    with pytest.raises(KeyringUnavailable, match=words):
        set_secret("channel:sms", "token")
    if isinstance(chosen, MemoryKeyring):
        assert chosen.store == {}
    assert get_secret("channel:sms") is None
    assert str(set_secret("channel:sms", "token", session_only=True)) == "for this session only"
    assert get_secret("channel:sms") == "token"


def test_the_command_line_says_it_plainly(tmp_path):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "secret", "set", "channel", "email"],
                          input="hunter2\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 2
    assert "no keyring service" in done.stderr and "SCENARIST_EMAIL_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


class RefusingKeyring(MemoryKeyring):
    """A backend that looks usable but refuses to store (a locked collection, a denied prompt)."""

    def set_password(self, service, username, password):
        raise PasswordSetError(f"the collection is locked (asked to keep {password!r})")


def test_a_keyring_that_refuses_to_store_says_so_and_keeps_nothing(backend):
    refusing = backend(RefusingKeyring)
    assert keyring_status().usable  # nothing tells it apart until it is asked
    with pytest.raises(KeyringUnavailable) as caught:
        set_secret("channel:sms", "t0ps3cret")
    message = str(caught.value)
    assert "refused the password" in message and "RefusingKeyring" in message and "locked" in message
    assert "t0ps3cret" not in message  # the backend quoted it; the message does not
    assert refusing.store == {} and get_secret("channel:sms") is None and channel_secret("sms") is None
