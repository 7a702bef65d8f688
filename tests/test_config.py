import pytest

from assistant.config import load_settings
from assistant.errors import ConfigError


def test_defaults_bind_loopback_and_use_grounded():
    s = load_settings()
    assert s.host == "127.0.0.1"
    assert s.backend == "grounded"
    assert (s.kb_path / "conditions").is_dir()


def test_precedence_override_env_file(tmp_path, monkeypatch):
    cfg = tmp_path / "d.toml"
    cfg.write_text("top_k = 7\nport = 9000\nbackend = 'fake'\n")
    monkeypatch.setenv("DERMASSIST_PORT", "9100")
    s = load_settings(cfg, backend="grounded")
    assert (s.top_k, s.port, s.backend) == (7, 9100, "grounded")


def test_unknown_key_in_file_is_rejected_with_known_keys(tmp_path):
    cfg = tmp_path / "d.toml"
    cfg.write_text("topk = 7\n")
    with pytest.raises(ConfigError) as e:
        load_settings(cfg)
    assert "topk" in str(e.value) and "top_k" in e.value.fix


def test_bad_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("top_k = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_overlap_must_be_below_size():
    with pytest.raises(ConfigError, match="chunk_overlap"):
        load_settings(chunk_size=300, chunk_overlap=300)
