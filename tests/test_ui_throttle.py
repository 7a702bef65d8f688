"""Failed staff logins are throttled per address and per user name; logging out ends the session."""

import httpx
import pytest

from tests.ui_support import running_app
from ui.throttle import FIRST_WAIT_S, FREE_FAILURES, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_locks_after_free_failures_doubles_and_clears_on_success():
    clock = Clock()
    t = LoginThrottle(clock)
    keys = ["ip:10.0.0.1", "user:clinic"]
    for _ in range(FREE_FAILURES - 1):
        t.failed(keys)
    assert t.wait_s(keys) == 0
    t.failed(keys)
    assert t.wait_s(keys) == pytest.approx(FIRST_WAIT_S)
    t.failed(keys)
    assert t.wait_s(keys) == pytest.approx(2 * FIRST_WAIT_S)
    assert t.wait_s(["ip:10.0.0.2", "user:clinic"]) > 0  # the user name is locked from any address
    assert t.wait_s(["ip:10.0.0.2", "user:other"]) == 0
    clock.now += 2 * FIRST_WAIT_S + 1
    assert t.wait_s(keys) == 0
    t.succeeded(keys)
    t.failed(keys)
    assert t.wait_s(keys) == 0  # counts start again after a success


def test_ten_wrong_passwords_are_throttled_and_logout_ends_the_session(tmp_path):
    with running_app(tmp_path / "app", auth="clinic:right-pw") as server:
        login = server.staff_url + "login"
        codes, last = [], None
        for _ in range(10):
            last = httpx.post(login, data={"username": "clinic", "password": "wrong"}, timeout=10)
            codes.append(last.status_code)
        assert codes[:FREE_FAILURES] == [400] * FREE_FAILURES and set(codes[FREE_FAILURES:]) == {429}
        assert "Too many failed logins" in last.json()["detail"] and int(last.headers["retry-after"]) > 0
        # even the right password waits while locked
        assert httpx.post(login, data={"username": "clinic", "password": "right-pw"}, timeout=10).status_code == 429

    with running_app(tmp_path / "app2", auth="clinic:right-pw") as server:
        with httpx.Client(timeout=10) as c:
            assert c.post(server.staff_url + "login", data={"username": "clinic", "password": "right-pw"}).status_code == 200
            assert c.get(server.staff_url + "config").status_code == 200
            c.get(server.staff_url + "logout")
            assert c.get(server.staff_url + "config").status_code == 401


def test_a_staff_login_expires_after_its_session_hours(tmp_path, monkeypatch):
    monkeypatch.setenv("DERMASSIST_SESSION_HOURS", str(2 / 3600))  # two seconds
    with running_app(tmp_path / "app", auth="clinic:right-pw") as server:
        with httpx.Client(timeout=10) as c:
            assert c.post(server.staff_url + "login", data={"username": "clinic", "password": "right-pw"}).status_code == 200
            assert c.get(server.staff_url + "config").status_code == 200
            import time

            time.sleep(2.5)
            assert c.get(server.staff_url + "config").status_code == 401  # expired: log in again
            assert c.post(server.staff_url + "login", data={"username": "clinic", "password": "right-pw"}).status_code == 200
            assert c.get(server.staff_url + "config").status_code == 200
        assert httpx.get(server.local_url + "config", timeout=10).status_code == 200  # the public chat is untouched


def test_session_expiry_unit_and_bad_setting():
    from assistant.errors import ConfigError
    from ui.sessions import ExpireSessions, session_hours

    assert session_hours("") == 8.0 and session_hours("0.5") == 0.5
    for bad in ("0", "-1", "soon", "10000"):
        with pytest.raises(ConfigError, match="DERMASSIST_SESSION_HOURS"):
            session_hours(bad)
    clock, tokens = Clock(), {"tok-a": "clinic", "tok-b": "qa"}
    mw = ExpireSessions(None, "/staff", lambda: tokens, max_age_s=60, clock=clock)
    scope = {"headers": [(b"cookie", b"access-token-x1=tok-a; other=1")]}
    mw._check(scope)
    clock.now += 59
    mw._check(scope)
    assert "tok-a" in tokens
    clock.now += 2
    mw._check(scope)
    assert "tok-a" not in tokens and tokens == {"tok-b": "qa"}  # only the expired login is ended
