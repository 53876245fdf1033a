"""One-click unsubscribe (RFC 8058) against a real aiosmtpd server on both databases: each email
carries its recipient's signed link in List-Unsubscribe and in the text, and the tokens the shop's
site collected come back through `main.py suppress import`, tampered ones refused by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest

from app.settings import SettingsError, build_channels, load_settings
from connectors import credentials
from connectors.unsubscribe import make_token, read_token, unsubscribe_key
from tests.helpers import ROOT, make_crm, rows
from tests.test_credentials import MemoryKeyring
from tests.test_delivery import smtp_server  # noqa: F401 - fixture
from tests.test_engine_events import at, mail, people, scenario

KEY = "a-test-key-for-the-links-0123456789"
URL = "https://shop.example/unsubscribe?t={{ token }}"


def main(*args: str, **env: str) -> subprocess.CompletedProcess:
    home = os.environ.get("TMPDIR", "/tmp")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, "XDG_CONFIG_HOME": f"{home}/scenarist-unsub-config",
                                            "XDG_DATA_HOME": f"{home}/scenarist-unsub-data", **env})


def settings_file(tmp_path, port: int) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(f'[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                    f'from = "Shop <news@shop.example>"\nunsubscribe = "mailto:unsubscribe@shop.example"\n'
                    f'unsubscribe_url = "{URL}"\n', encoding="utf-8")
    return str(path)


def test_tokens_are_signed_and_any_change_is_refused():
    token = make_token(KEY, "email", " Anna@Example.ru", 7)
    assert read_token(KEY, token) == ("email", "anna@example.ru", 7)
    body, signature = token.split(".")
    assert read_token("another key", token) is None
    flipped = body[:-1] + ("A" if body[-1] != "A" else "B")
    assert read_token(KEY, f"{flipped}.{signature}") is None
    assert read_token(KEY, token[:-2]) is None


def test_the_key_is_made_once_in_the_keyring(monkeypatch):
    original = keyring.get_keyring()
    monkeypatch.setattr(credentials, "_SESSION", {})
    monkeypatch.delenv("SCENARIST_UNSUBSCRIBE_KEY", raising=False)
    keyring.set_keyring(MemoryKeyring())
    try:
        assert unsubscribe_key() is None
        made = unsubscribe_key(create=True)
        assert len(made) >= 40 and unsubscribe_key(create=True) == made
        assert keyring.get_keyring().store == {("scenarist", "unsubscribe-key"): made}
    finally:
        keyring.set_keyring(original)


def test_emails_carry_one_click_links_that_round_trip_through_suppress_import(crm_url, tmp_path, smtp_server):  # noqa: F811
    inbox, port = smtp_server()
    make_crm(crm_url, people(3), [])
    settings = settings_file(tmp_path, port)
    data = scenario({}, [mail("m", body="Hello {{ customer.first_name }}. Unsubscribe: {{ unsubscribe_url }}")],
                    [("start", "out", "m")])
    path = tmp_path / "s.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = main("run", str(path), "--crm", crm_url, "--at", at(0).isoformat(), "--settings", settings, "--json",
                SCENARIST_UNSUBSCRIBE_KEY=KEY)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["delivery"]["sent"] == 3
    by_to = {m["To"]: m for m in inbox.received}
    anna = by_to["c1@example.com"]
    link = make_token(KEY, "email", "c1@example.com", 1)
    assert anna["List-Unsubscribe"] == (f"<https://shop.example/unsubscribe?t={link}>, "
                                        "<mailto:unsubscribe@shop.example>")
    assert anna["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = anna.get_body(("plain",)).get_content()
    assert text.strip() == f"Hello C1. Unsubscribe: https://shop.example/unsubscribe?t={link}"
    assert rows(crm_url, "SELECT count(*) FROM scenarist_outbox WHERE body LIKE '%shop.example/unsub%'") == [(0,)]
    collected = [parse_qs(urlsplit(by_to[f"c{i}@example.com"]["List-Unsubscribe"].split(">")[0][1:]).query)["t"][0]
                 for i in (1, 3)]
    tampered = collected[1][:-3] + ("aaa" if not collected[1].endswith("aaa") else "bbb")
    tokens = tmp_path / "clicked.txt"
    tokens.write_text(f"{collected[0]}\n{tampered}\n", encoding="utf-8")
    imported = main("suppress", "import", str(tokens), "--crm", crm_url, SCENARIST_UNSUBSCRIBE_KEY=KEY)
    assert imported.returncode == 2
    assert imported.stdout.strip() == "added 1, already on the list 0, refused 1"
    assert imported.stderr.strip() == ("clicked.txt, line 2: the unsubscribe token is not one of ours (altered, cut "
                                       "short, or signed with another key) (nothing changed for it)")
    assert rows(crm_url, "SELECT channel, address, source FROM scenarist_suppressions") == [
        ("email", "c1@example.com", "unsubscribe")]
    other = tmp_path / "other.scenario.json"
    other.write_text(json.dumps(scenario({}, [mail("m")], [("start", "out", "m")], id="other")), encoding="utf-8")
    again = main("run", str(other), "--crm", crm_url, "--at", at(1).isoformat(), "--settings", settings, "--json",
                 SCENARIST_UNSUBSCRIBE_KEY=KEY)
    result = json.loads(again.stdout)
    assert (result["queued"], result["suppressed"], result["delivery"]["sent"]) == (2, 1, 2)


def test_unsubscribe_url_must_give_a_web_address_with_the_token(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = 25\nsecurity = "none"\n'
                    'from = "Shop <news@shop.example>"\nunsubscribe_url = "https://shop.example/unsubscribe"\n',
                    encoding="utf-8")
    with pytest.raises(SettingsError, match="'unsubscribe_url' must be a web address with"):
        build_channels(load_settings(str(path)))
