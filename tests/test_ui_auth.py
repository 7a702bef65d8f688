"""With a login configured, the clinician and QA tools (pages, config, API, queue, uploads) refuse anyone
without it, while the patient chat stays public."""

import pytest

from tests.ui_support import REPORT, running_app

USER, PASSWORD = "clinic", "s3cret:with-colon"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("auth"), auth=f"{USER}:{PASSWORD}") as s:
        yield s


def test_staff_app_is_mounted_separately(server):
    assert server.protected and server.staff_url == server.local_url + "staff/"


@pytest.mark.parametrize("method,path,body", [
    ("GET", "config", None),
    ("GET", "gradio_api/info", None),
    ("GET", "gradio_api/openapi.json", None),
    ("POST", "gradio_api/call/explain", {"data": [REPORT]}),
    ("POST", "gradio_api/call/run_eval", {"data": [["safety"], "grounded", 1, ""]}),
    ("POST", "gradio_api/run/explain", {"data": [REPORT]}),
    ("POST", "gradio_api/queue/join", {"data": [REPORT], "fn_index": 0, "session_hash": "x1"}),
    ("POST", "gradio_api/upload", None),
    ("GET", "gradio_api/file=/etc/passwd", None),
])
def test_protected_endpoints_refuse_without_login(server, method, path, body):
    import httpx

    r = httpx.request(method, server.staff_url + path, json=body, timeout=10)
    assert r.status_code == 401, (path, r.status_code, r.text[:200])


def test_gradio_client_needs_the_right_login(server):
    from gradio_client import Client

    with pytest.raises(Exception, match="credentials|login|Login"):
        Client(server.staff_url, verbose=False)
    with pytest.raises(Exception, match="login|Login"):
        Client(server.staff_url, auth=(USER, "wrong"), verbose=False)
    client = Client(server.staff_url, auth=(USER, PASSWORD), verbose=False)
    status, redacted, explanation, handout, *_ = client.predict(REPORT, "", api_name="/explain")
    assert "[NAME]" in redacted and "Basal cell carcinoma" in explanation


def test_public_chat_needs_no_login_and_has_no_staff_endpoints(server):
    from gradio_client import Client

    client = Client(server.local_url, verbose=False)
    _, history, *_ = client.predict("Is eczema contagious?", [], api_name="/chat")
    assert len(history) == 2
    api = client.view_api(print_info=False, return_format="dict")
    names = set(api["named_endpoints"])
    assert {"/chat", "/ask", "/feedback"} <= names
    assert not names & {"/explain", "/explain_file", "/run_eval", "/list_runs"}
    import httpx

    public = httpx.get(server.local_url + "config", timeout=10).text
    assert "backend-pill" not in public and "Offline" in public  # no backend jargon for patients


def test_login_from_a_file_via_environment(tmp_path, monkeypatch):
    import httpx

    logins = tmp_path / "logins.txt"
    logins.write_text("# staff\nqa:pw-one\n", encoding="utf-8")
    monkeypatch.setenv("DERMASSIST_AUTH", str(logins))
    with running_app(tmp_path / "app", auth=None) as s:
        assert s.protected
        assert httpx.get(s.staff_url + "config", timeout=10).status_code == 401
        login = httpx.post(s.staff_url + "login", data={"username": "qa", "password": "pw-one"}, timeout=10)
        assert login.status_code == 200
        assert httpx.get(s.staff_url + "config", cookies=login.cookies, timeout=10).status_code == 200


def test_no_login_configured_keeps_all_tabs_in_one_app(tmp_path, monkeypatch):
    from gradio_client import Client

    monkeypatch.delenv("DERMASSIST_AUTH", raising=False)
    with running_app(tmp_path / "app", auth=None) as s:
        assert not s.protected and s.staff_url == s.local_url
        names = set(Client(s.local_url, verbose=False).view_api(print_info=False, return_format="dict")
                    ["named_endpoints"])
        assert {"/chat", "/explain", "/explain_file", "/run_eval"} <= names


def test_bad_login_setting_stops_startup_with_a_fix(tmp_path):
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="user:password"):
        with running_app(tmp_path / "app", auth="no-colon-and-no-such-file"):
            pass


def test_binds_loopback_by_default_and_warns_when_exposed(tmp_path, capsys):
    from assistant.config import load_settings

    assert load_settings().host == "127.0.0.1"
    with running_app(tmp_path / "app", host="0.0.0.0") as s:
        assert s.local_url.startswith("http://0.0.0.0:")
    err = capsys.readouterr().err
    assert "exposes dermassist beyond this machine" in err and "no login" in err
