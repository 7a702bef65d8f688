import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")

from tests.helpers import make_tiny_kb  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KB = REPO / "knowledge_base"
_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family == socket.AF_UNIX or str(host) in ("127.0.0.1", "localhost", "::1") or str(host).startswith("127."):
        return _real_connect(self, address)
    raise RuntimeError(f"Network access blocked in tests (tried {address!r}); only loopback is allowed.")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    for var in ("DERMASSIST_CONFIG", "DERMASSIST_HOME", "DERMASSIST_KB_PATH", "DERMASSIST_BACKEND"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def tiny_kb(tmp_path) -> Path:
    return make_tiny_kb(tmp_path / "kb")


@pytest.fixture
def fake_settings(tiny_kb, tmp_path):
    from assistant.config import load_settings

    return load_settings(kb_path=tiny_kb, home=tmp_path / "home", embedder="fake")


@pytest.fixture
def fake_assistant(fake_settings):
    from assistant.answer import Assistant
    from assistant.index import build_index
    from assistant.embeddings import get_embedder

    build_index(fake_settings, get_embedder("fake"), progress=False)
    return Assistant(fake_settings)


@pytest.fixture(scope="session")
def minilm():
    from assistant.embeddings import get_embedder

    emb = get_embedder("minilm")
    emb.warm_up()
    return emb


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory, minilm):
    """The real knowledge base indexed with the real MiniLM embedder (built once per test session)."""
    from assistant.config import load_settings
    from assistant.index import build_index

    s = load_settings(kb_path=KB, home=tmp_path_factory.mktemp("real-home"), embedder="minilm")
    build_index(s, minilm, progress=False)
    return s


@pytest.fixture(scope="session")
def real_assistant(real_settings, minilm):
    from assistant.answer import Assistant

    return Assistant(real_settings, embedder=minilm)
