"""The delivery settings as the window edits them (app/delivery_settings.py, app/channel_check.py):
the README's example file round-trips with its comments, a change writes only its own line, a
refused value names its field and writes nothing, and each channel's Test talks to a real server on
loopback (aiosmtpd with a login, an HTTP server)."""

from __future__ import annotations

import json

import pytest
from aiosmtpd.smtp import AuthResult

from app.channel_check import try_channel
from app.channel_fields import FIELDS, SMTP_PRESETS, preset_of
from app.delivery_settings import ChannelForm, DeliveryForm, DeliveryRefused, read_form, save_form
from app.settings import KINDS, load_settings
from connectors.texts import words
from tests.test_delivery_faults import readme_settings, smtp_servers, web  # noqa: F401 - fixtures

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def readme_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_bytes(readme_settings().encode("utf-8"))
    return path


def test_every_field_is_a_key_the_file_takes() -> None:
    for kind, fields in FIELDS.items():
        assert {f.key for f in fields} <= KINDS[kind], kind


def test_the_readme_file_round_trips_byte_for_byte(readme_file) -> None:
    before = readme_file.read_bytes()
    form = read_form(readme_file)
    assert form.channels["email"].kind == "smtp" and form.channels["email"].values["port"] == 587
    assert form.channels["sms"].kind == "webhook" and form.channels["webhook"].kind == "file"
    assert form.cap == (3, 7) and form.currency == "₽"
    save_form(form, readme_file)
    assert readme_file.read_bytes() == before


def table_lines(lines: list[str], header: str) -> range:
    """The lines of a TOML table: its header up to its last line with something on it."""
    start = lines.index(header) if header in lines else next(i for i, x in enumerate(lines) if x.startswith(header))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    while not lines[end - 1].strip():
        end -= 1
    return range(start, end)


def in_table(lines: list[str], header: str, changed: dict[str, str]) -> list[str]:
    """``lines`` with the ``changed`` lines of one table replaced (other tables may hold the same lines)."""
    inside = table_lines(lines, header)
    return [changed.get(line, line) if i in inside else line for i, line in enumerate(lines)]


def test_a_change_writes_its_own_line_and_keeps_every_comment(readme_file) -> None:
    before = readme_file.read_text(encoding="utf-8").splitlines()
    form = read_form(readme_file)
    email = form.channels["email"].values
    email.update(host="smtp.yandex.ru", port=465, security="ssl")
    form.channels["sms"].values["rate_per_second"] = 2.0
    form.currency = "EUR"
    save_form(form, readme_file)
    after = readme_file.read_text(encoding="utf-8").splitlines()
    email_table = {
        'host = "smtp.example.com"': 'host = "smtp.yandex.ru"',
        "port = 587": "port = 465",
        'security = "starttls"     # starttls | ssl | none (none: only to this computer, see below)':
            'security = "ssl"     # starttls | ssl | none (none: only to this computer, see below)',
    }
    shop_table = {
        'currency = "₽"            # how money is written: "₽" (the default), "EUR", "$"...':
            'currency = "EUR"            # how money is written: "₽" (the default), "EUR", "$"...',
    }
    # Every line is as it was, but the changed ones; the new key joins its channel's table.
    expected = in_table(in_table(before, "[channels.email]", email_table), "[shop]", shop_table)
    sms = table_lines(expected, "[channels.sms]")
    expected.insert(sms.stop, "rate_per_second = 2")
    assert after == expected
    settings = load_settings(readme_file)
    assert (settings.channels["email"]["host"], settings.channels["email"]["port"]) == ("smtp.yandex.ru", 465)
    assert settings.currency == "EUR"


def test_a_refused_value_names_its_field_and_writes_nothing(readme_file) -> None:
    before = readme_file.read_bytes()
    form = read_form(readme_file)
    form.channels["email"].values["from"] = "My Shop"
    with pytest.raises(DeliveryRefused) as caught:
        save_form(form, readme_file)
    assert (caught.value.channel, caught.value.key) == ("email", "from")
    assert words(caught.value.text, "en") == \
        "Email, “Sender”: must be an email address such as My Shop <shop@example.com>."
    assert words(caught.value.text, "ru") == \
        "Почта, «Отправитель»: нужен адрес почты, например Мой магазин <shop@example.com>."
    form = read_form(readme_file)
    form.channels["sms"].values["body"] = '{"to": {{ recipient }}'
    with pytest.raises(DeliveryRefused) as caught:
        save_form(form, readme_file)
    assert (caught.value.channel, caught.value.key) == ("sms", "body")
    assert words(caught.value.text, "en").startswith(
        "SMS, “Request body (a template giving JSON)”: must be a template that gives JSON")
    form = read_form(readme_file)
    form.channels["email"].values.update(security="none")
    with pytest.raises(DeliveryRefused) as caught:
        save_form(form, readme_file)
    assert (caught.value.channel, caught.value.key) == ("email", "security")
    assert readme_file.read_bytes() == before


def test_kinds_channels_cap_and_a_new_file(tmp_path) -> None:
    path = tmp_path / "new" / "settings.toml"
    form = read_form(path)
    assert [(name, c.kind) for name, c in form.channels.items()] == [("email", None), ("sms", None),
                                                                     ("webhook", None)]
    form.channels["email"] = ChannelForm("file", {"folder": str(tmp_path / "out"), "format": "eml"})
    form.cap = (2, 5)
    save_form(form, path)
    text = path.read_text(encoding="utf-8")
    assert text == (
        "# Scenarist's settings: delivery channels, the frequency cap and the currency (see the README,\n"
        "# \"Delivery settings\"). Passwords are never here: they are in the keyring.\n\n"
        f'[channels.email]\nkind = "file"\nfolder = "{tmp_path / "out"}"\n\n'
        "[frequency_cap]\nmessages = 2\ndays = 5\n")
    # From a file channel to SMTP: the keys of the old kind go, the defaults are not written.
    form = read_form(path)
    form.channels["email"] = ChannelForm("smtp", {"host": "smtp.gmail.com", "port": 587, "security": "starttls",
                                                  "from": "Shop <shop@example.com>", "rate_per_second": 0.0})
    form.cap = None
    save_form(form, path)
    assert path.read_text(encoding="utf-8").endswith(
        '[channels.email]\nkind = "smtp"\nhost = "smtp.gmail.com"\nfrom = "Shop <shop@example.com>"\n')
    assert preset_of(read_form(path).channels["email"].values) == SMTP_PRESETS[0]
    form = read_form(path)
    form.channels["email"] = ChannelForm()
    save_form(form, path)
    assert load_settings(path).channels == {}


def form_for(kind: str, **values) -> DeliveryForm:
    form = DeliveryForm()
    form.channels["email" if kind == "smtp" else "sms"] = ChannelForm(kind, values)
    return form


def test_smtp_test_logs_in_and_a_wrong_password_gets_the_servers_words(tmp_path, smtp_servers):  # noqa: F811
    seen: list[tuple[bytes, bytes]] = []

    def check(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"right horse", handled=False)

    _inbox, port = smtp_servers(authenticator=check, auth_require_tls=False)  # plain: on loopback only
    form = form_for("smtp", host="127.0.0.1", port=port, security="none", username="shop@example.com",
                    **{"from": "Shop <shop@example.com>"})
    settings = tmp_path / "settings.toml"
    ok, said = try_channel(form, "email", secret="right horse", path=settings)
    assert ok
    assert words(said, "en") == f"Email: connected to 127.0.0.1:{port} and logged in as shop@example.com."
    ok, said = try_channel(form, "email", secret="wrong", path=settings)
    assert not ok
    assert words(said, "en") == "Email: the server refused the login: 535 5.7.8 Authentication credentials invalid"
    assert words(said, "ru") == "Почта: сервер не принял вход: 535 5.7.8 Authentication credentials invalid"
    # smtplib tries each method the server offers (PLAIN, then LOGIN) before it gives up.
    assert seen[0] == (b"shop@example.com", b"right horse")
    assert set(seen[1:]) == {(b"shop@example.com", b"wrong")}
    assert not settings.exists()  # a test writes nothing


def test_smtp_test_of_a_server_that_is_not_there(tmp_path) -> None:
    from tests.test_delivery import free_port

    port = free_port()
    form = form_for("smtp", host="127.0.0.1", port=port, security="none", **{"from": "Shop <shop@example.com>"})
    ok, said = try_channel(form, "email", path=tmp_path / "settings.toml")
    assert not ok
    assert words(said, "en").startswith(f"Email: the test failed: cannot reach the SMTP server 127.0.0.1:{port}: ")


def test_webhook_test_posts_to_the_confirmed_address(tmp_path, web) -> None:  # noqa: F811
    channel_url, confirmed = web(), web(path="/test")
    form = form_for("webhook", url=channel_url.url, secret_header="X-Gateway-Key",
                    body='{"phone": {{ recipient|tojson }}, "text": {{ body|tojson }}}')
    ok, said = try_channel(form, "sms", secret="s3cret", url=confirmed.url, recipient="+79990000001",
                           path=tmp_path / "settings.toml")
    assert ok and words(said, "en") == f"SMS: {confirmed.url} took the test request."
    assert channel_url.seen == [] and len(confirmed.seen) == 1
    request = confirmed.seen[0]
    assert (request.method, request.path, request.headers["X-Gateway-Key"]) == ("POST", "/test", "s3cret")
    assert json.loads(request.body) == {
        "phone": "+79990000001",
        "text": "A test message from Scenarist's delivery settings. Nothing needs to be done."}
    refusing = web(lambda n, r: (401, {}, 0.0))
    ok, said = try_channel(form, "sms", url=refusing.url, path=tmp_path / "settings.toml")
    assert not ok and words(said, "en") == "SMS: the gateway refused the secret: HTTP 401 Unauthorized"


def test_file_test_writes_one_message(tmp_path) -> None:
    form = form_for("file", folder=str(tmp_path / "outbox"), format="jsonl")
    ok, said = try_channel(form, "sms", path=tmp_path / "settings.toml")
    assert ok and words(said, "en") == f"SMS: a test message was written into {tmp_path / 'outbox'}."
    lines = (tmp_path / "outbox" / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["subject"] == "Scenarist: a test message"


def test_test_refuses_a_bad_value_before_trying(tmp_path) -> None:
    form = form_for("webhook", url="ftp://gateway.example.com/send")
    with pytest.raises(DeliveryRefused) as caught:
        try_channel(form, "sms", path=tmp_path / "settings.toml")
    assert words(caught.value.text, "en") == \
        "SMS, “Address (URL)”: must start with https:// (or http://) and name a server."


def test_testing_a_channel_that_is_not_used_says_so(tmp_path) -> None:
    """Before, Test on a channel set to "Not used" showed the bare word 'email' (a KeyError)."""
    form = DeliveryForm()
    form.channels["email"] = ChannelForm()
    ok, said = try_channel(form, "email", path=tmp_path / "settings.toml")
    assert not ok
    assert words(said, "en") == "Email: not used, so there is nothing to test. Choose how it sends first."
    assert words(said, "ru") == "Почта: не используется, проверять нечего. Сначала выберите способ отправки."
    assert not (tmp_path / "settings.toml").exists()
