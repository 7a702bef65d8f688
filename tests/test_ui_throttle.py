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
