"""The OpenAI-compatible backend against a scripted loopback server: streaming, retries, timeouts, broken
streams, garbage, the circuit breaker, and the guarded fallback."""

import pytest

from assistant.errors import BackendError, ConfigError
from assistant.llm import GenerationRequest, get_generator
from assistant.llm.breaker import CircuitBreaker, CircuitOpenError
from assistant.llm.guarded import GuardedGenerator
from assistant.llm.openai_compat import OpenAICompatGenerator, normalise_base_url
from assistant.types import Hit
from tests.llm_servers import ScriptedServer, free_port

PASSAGE = "Psoriasis is not contagious. You cannot catch psoriasis by touching someone's skin."


def req(question="Is psoriasis contagious?"):
    hit = Hit(chunk_id="p#1", doc_id="psoriasis", title="Psoriasis", kind="condition", heading="Is it contagious?",
              text=PASSAGE, dense_score=0.5, bm25_score=1.0, score=0.1, rank=1)
    return GenerationRequest(question=question, passages=[hit])


def gen(url, **kw):
    kw.setdefault("backoff", 0.0)
    kw.setdefault("breaker", CircuitBreaker(url, failures=100))
    return OpenAICompatGenerator(url, **kw)


@pytest.fixture
def server():
    with ScriptedServer() as s:
        yield s


def test_base_url_normalisation_and_config_errors(fake_settings):
    assert normalise_base_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/v1"
    assert normalise_base_url("http://host:11434/v1/") == "http://host:11434/v1"
    for bad in ("", "localhost:8000", "ftp://x/v1", "javascript:alert(1)"):
        with pytest.raises(ConfigError) as e:
            normalise_base_url(bad)
        assert "--base-url" in e.value.fix
    with pytest.raises(ConfigError) as e:
        get_generator("openai", fake_settings)
    assert "base URL" in e.value.message and "--base-url http://127.0.0.1:8000/v1" in e.value.fix


def test_streams_reply_with_usage_and_prompt(server):
    g = gen(server.url)
    pieces = list(g.stream(req()))
    assert "".join(pieces).strip() == server.reply and len(pieces) == len(server.reply.split())
    out = g.generate(req())
    assert out.text == server.reply and out.cited == [1] and out.completion_tokens == 5 and out.prompt_tokens == 42
    body = server.requests[-1]
    assert body["model"] == "scripted-model"  # discovered from /v1/models
    assert body["stream"] is True and body["temperature"] == 0.0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "[1] Psoriasis - Is it contagious?: Psoriasis is not contagious." in body["messages"][1]["content"]


def test_api_key_comes_from_the_environment(server, fake_settings, monkeypatch):
    monkeypatch.setenv("DERMASSIST_LLM_API_KEY", "sk-test-123")
    s = fake_settings.model_copy(update={"base_url": server.url, "model": "m"})
    g = get_generator("openai", s, guard=False)
    g.generate(req())
    assert server.headers[-1]["Authorization"] == "Bearer sk-test-123"


def test_retries_5xx_then_succeeds(server):
    server.script = ["500", "503", "ok"]
    assert gen(server.url, retries=2).generate(req()).text == server.reply
    assert len(server.requests) == 3


def test_retries_are_bounded(server):
    server.script = ["503", "503", "503", "ok"]
    with pytest.raises(BackendError) as e:
        gen(server.url, retries=1).generate(req())
    assert "HTTP 503" in e.value.message and "2 attempt(s)" in e.value.message
    assert len(server.requests) == 2


def test_client_error_is_not_retried(server):
    server.script = ["401"]
    with pytest.raises(BackendError) as e:
        gen(server.url, retries=3, model="m").generate(req())
    assert "HTTP 401" in e.value.message and "API key" in e.value.fix
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode, words", [("slow", "did not reply"), ("die", "broke mid-reply"),
                                         ("html", "no chat stream events"), ("junk", "not an OpenAI chat stream")])
def test_failures_become_backend_errors(server, mode, words):
    server.script = [mode]
    server.delay = 3.0  # "slow" answers after 3 s, 10x the timeout; the other modes get a generous timeout
    with pytest.raises(BackendError) as e:
        gen(server.url, model="m", timeout=0.3 if mode == "slow" else 30).generate(req())
    assert words in e.value.message and e.value.fix


def test_server_never_started_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(BackendError) as e:
        gen(url, model="m", retries=1).generate(req())
    assert "unreachable" in e.value.message and "cannot connect" in e.value.message
    assert "Start the server" in e.value.fix


def test_circuit_breaker_fails_fast_then_recovers(server):
    now = [0.0]
    breaker = CircuitBreaker(server.url, failures=2, cooldown=30.0, clock=lambda: now[0])
    g = gen(server.url, model="m", retries=0, breaker=breaker)
    server.script = ["500", "500"]
    for _ in range(2):
        with pytest.raises(BackendError):
            g.generate(req())
    assert breaker.state == "open" and len(server.requests) == 2
    with pytest.raises(CircuitOpenError) as e:
        g.generate(req())
    assert len(server.requests) == 2  # failed fast: the server was not called
    assert "not being called" in e.value.message and "/health" in e.value.fix
    now[0] = 31.0
    assert breaker.state == "half-open"
    assert g.generate(req()).text == server.reply  # one trial call goes through and closes the breaker
    assert breaker.state == "closed" and breaker.consecutive_failures == 0


def test_abandoned_stream_does_not_jam_the_breaker(server):
    now = [100.0]
    breaker = CircuitBreaker(server.url, failures=1, cooldown=5.0, clock=lambda: now[0])
    breaker.record_failure()
    now[0] = 106.0
    stream = gen(server.url, model="m", breaker=breaker).stream(req())
    next(stream)
    stream.close()  # the caller stopped reading during the half-open trial
    assert breaker.state == "half-open"  # not stuck "open" by the abandoned trial
    # another trial is allowed, not refused as "in flight" (it would raise CircuitOpenError), and it closes the breaker
    assert gen(server.url, model="m", breaker=breaker).generate(req()).text == server.reply
    assert breaker.state == "closed"


def test_guarded_openai_falls_back_on_a_dead_server(fake_settings):
    s = fake_settings.model_copy(update={"base_url": f"http://127.0.0.1:{free_port()}/v1", "model": "m",
                                         "llm_retries": 0})
    g = get_generator("openai", s)
    assert isinstance(g, GuardedGenerator) and g.name == "openai"
    outs = [g.generate(req()) for _ in range(4)]
    assert all(o.fallback_reason.startswith("backend_error") for o in outs)
    assert all("not contagious" in o.text for o in outs)
    assert "not being called" in outs[-1].fallback_reason  # the breaker opened after 3 failures
    events = list(g.stream_events(req()))
    assert events[-1].fallback_reason.startswith("backend_error") and "".join(events[:-1]) == events[-1].text


def test_guarded_openai_keeps_supported_sentences(server, fake_settings):
    server.reply = "Psoriasis is not contagious [1]. It is caused by a virus from Mars."
    s = fake_settings.model_copy(update={"base_url": server.url, "model": "m"})
    out = get_generator("openai", s, guard=True).generate(req())
    assert out.fallback_reason is None and out.text == "Psoriasis is not contagious. [1]"
    assert "left out" in out.notices[0]


def test_cli_ask_with_an_openai_backend(server, tiny_kb, tmp_path):
    import json

    from click.testing import CliRunner

    from assistant.cli import cli

    base = ["--kb-path", str(tiny_kb), "--home", str(tmp_path / "home"), "--embedder", "fake"]
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "index", "--quiet"], catch_exceptions=False).exit_code == 0
    server.reply = "Psoriasis is not contagious [1]. You cannot catch psoriasis from another person [1]."
    r = runner.invoke(cli, [*base, "ask", "--backend", "openai", "--base-url", server.url, "--model", "m", "--json",
                            "Is psoriasis contagious?"], catch_exceptions=False)
    data = json.loads(r.output)
    assert data["backend"] == "openai" and data["fallback_reason"] is None
    assert data["text"].startswith("Psoriasis is not contagious.") and data["citations"][0]["doc_id"] == "psoriasis"
    assert server.requests[-1]["model"] == "m"
    r = runner.invoke(cli, [*base, "ask", "--backend", "openai", "Is psoriasis contagious?"])
    assert r.exit_code != 0 and "--base-url" in str(r.exception)
