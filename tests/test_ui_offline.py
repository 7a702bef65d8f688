"""The app works with no internet and tries to reach nothing outside this machine (no analytics, no
version checks, no fonts): every DNS lookup and connection of a whole session is recorded."""

import socket

from tests.ui_support import REPORT, running_app

LOCAL = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "", None)


def test_a_full_session_contacts_nothing_outside(tmp_path, monkeypatch):
    attempts: list[str] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOCAL and not str(host).startswith("127."):
            attempts.append(f"dns {host}")
            raise socket.gaierror("offline test")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family != socket.AF_UNIX and host not in LOCAL and not str(host).startswith("127."):
            attempts.append(f"connect {address!r}")
            raise OSError("offline test")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    from gradio_client import Client

    with running_app(tmp_path) as server:
        client = Client(server.local_url, verbose=False)
        _, history, *_ = client.predict("Is psoriasis contagious?", [], api_name="/chat")
        assert "not contagious" in str(history)
        assert "saved" in client.predict("👍 Helpful", "", api_name="/feedback")
        out = client.predict(REPORT, "", api_name="/explain")
        assert "Basal cell carcinoma" in out[2]
        status, *_ = client.predict(["safety"], "grounded", 2, "", api_name="/run_eval")
        assert 'id="eval-done"' in status
    assert attempts == []
