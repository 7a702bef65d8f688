"""The openai backend against a real `transformers serve` running SmolLM2-135M-Instruct on loopback, and the
guard's acceptance check: over patient questions and pathology reports, no final output contains a number,
medicine or diagnosis absent from the evidence. SmolLM2 hallucinates freely, so the guard has real work.

Kept small for CI on 2 cores (a few questions and reports, short replies). Run the whole sets with
DERMASSIST_LLM_ACCEPTANCE=all. The server is started once for the module (free port, /health polled) and
always stopped by PID; the last test kills it mid-stream on purpose.
"""

import json
import os
import re
from collections import Counter

import pytest

from assistant.answer import Assistant
from assistant.guard.answer import absent_from_evidence, strip_markers
from assistant.llm import GenerationRequest, get_generator
from assistant.llm.breaker import CircuitBreaker
from assistant.llm.grounded import GroundedGenerator
from assistant.llm.guarded import GuardedGenerator
from assistant.llm.openai_compat import OpenAICompatGenerator
from assistant.guard.support import SupportScorer
from tests.conftest import REPO
from tests.llm_servers import TransformersServe, free_port, require_test_model

pytestmark = pytest.mark.integration
DATASETS = REPO / "eval" / "datasets"
N_QUESTIONS, N_REPORTS = 6, 2
REPLY_TOKENS = 40


def subset(rows: list[dict], n: int) -> list[dict]:
    """Every k-th row (deterministic, spread over the file), or all with DERMASSIST_LLM_ACCEPTANCE=all."""
    if os.environ.get("DERMASSIST_LLM_ACCEPTANCE") == "all" or len(rows) <= n:
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def report(name: str, rows: list[dict], outcomes: Counter, reasons: Counter) -> None:
    """Print the fallback count and keep it in test-output/ (so `make test` runs leave the figures behind)."""
    figures = {"items": len(rows), **outcomes, "fallback_reasons": dict(reasons)}
    print(f"\n{name}: {figures}")
    out = REPO / "test-output" / "llm_guard_acceptance.json"
    out.parent.mkdir(exist_ok=True)
    data = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**data, name: figures}, indent=2))


def load(name: str) -> list[dict]:
    path = DATASETS / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def server():
    require_test_model()
    with TransformersServe() as s:
        yield s


@pytest.fixture(scope="module")
def llm_settings(real_settings, server):
    return real_settings.model_copy(update={"backend": "openai", "base_url": server.url, "top_k": 3,
                                            "llm_max_tokens": REPLY_TOKENS, "request_timeout": 300.0})


@pytest.fixture(scope="module")
def llm_assistant(llm_settings, minilm):
    return Assistant(llm_settings, embedder=minilm)


def test_real_server_answers_through_the_openai_backend(llm_settings):
    raw = get_generator("openai", llm_settings, guard=False)
    assert isinstance(raw, OpenAICompatGenerator) and raw.model is None
    req = GenerationRequest(question="Is eczema contagious?", passages=[])
    out = raw.generate(req)
    assert out.text and out.completion_tokens and out.completion_tokens <= REPLY_TOKENS
    assert raw.model.endswith("smollm2-135m-instruct")  # discovered from /v1/models
    pieces = list(raw.stream(req))
    assert len(pieces) > 1 and "".join(pieces).strip() == out.text  # greedy: streaming gives the same text


def test_guard_keeps_patient_answers_inside_the_evidence(llm_assistant):
    rows = subset([r for r in load("patient_qa.jsonl") if r.get("answerable", True)], N_QUESTIONS)
    outcomes, reasons, leaks = Counter(), Counter(), []
    for row in rows:
        a = llm_assistant.ask(row["question"])
        assert a.status in ("answered", "abstained", "triaged") and a.text
        if a.status != "answered":  # fixed safety or abstention texts: no LLM involved
            outcomes[a.status] += 1
            continue
        evidence = [h.text for h in a.retrieved] + [f"{h.title}. {h.heading}." for h in a.retrieved]
        leaks += [(row["id"], term) for term in absent_from_evidence(a.text, evidence)]
        digits = re.findall(r"\d+(?:\.\d+)?", strip_markers(a.text))
        leaks += [(row["id"], f"digits {d}") for d in digits if d not in "\n".join(evidence)]
        outcomes["fallback" if a.fallback_reason else "llm"] += 1
        reasons[(a.fallback_reason or "none").split(" (")[0][:60]] += 1
        if a.fallback_reason:
            assert a.notices, row["id"]
    report("patient_questions", rows, outcomes, reasons)
    assert not leaks
    assert outcomes["llm"] + outcomes["fallback"] >= len(rows) // 2  # the LLM path really ran...
    assert not [r for r in reasons if r.startswith("backend_error")]  # ...and every reply went through the guard


def test_guard_keeps_report_explanations_inside_the_report_and_evidence(llm_settings, llm_assistant, minilm):
    from assistant.phi import redact

    scorer = SupportScorer(minilm)
    guarded = GuardedGenerator(get_generator("openai", llm_settings, guard=False),
                               GroundedGenerator(embedder=minilm), scorer)
    rows = subset(load("reports.jsonl"), N_REPORTS)
    outcomes, reasons, leaks = Counter(), Counter(), []
    for row in rows:
        text = redact(row["report"]).text
        diagnosis = text.split("DIAGNOSIS", 1)[-1][:300]
        hits = llm_assistant.retriever.search(diagnosis).hits
        out = guarded.generate(GenerationRequest(question=text, passages=hits, task="report", max_words=80))
        evidence = [text] + [h.text for h in hits] + [f"{h.title}. {h.heading}." for h in hits]
        leaks += [(row["id"], term) for term in absent_from_evidence(out.text, evidence)]
        outcomes["fallback" if out.fallback_reason else "llm"] += 1
        reasons[(out.fallback_reason or "none").split(" (")[0][:60]] += 1
        assert out.text
    report("reports", rows, outcomes, reasons)
    assert not leaks
    assert not [r for r in reasons if r.startswith("backend_error")]


def test_judge_against_the_real_tiny_model_counts_malformed_replies(server, tmp_path, minilm):
    """The LLM-judge path end to end against `transformers serve`: SmolLM2-135M cannot write the JSON ragas asks
    for, so its replies are malformed. Every judged pair must end up scored or counted as a failure (with the
    item and the reason), never dropped, and nothing may go anywhere but the loopback server."""
    from eval.metrics import judge
    from eval.metrics.ragas_offline import ragas_embeddings
    from eval.results import ItemResult

    passage = "Psoriasis is not contagious. You cannot catch psoriasis from another person."
    item = ItemResult(dataset="t", kind="qa", id="pso", input={
        "question": "Is psoriasis contagious?", "reference_answer": "Psoriasis is not contagious.", "answerable": True},
        output={"status": "answered", "text": "Psoriasis is not contagious [1].",
                "text_plain": "Psoriasis is not contagious.",
                "citations": [{"n": 1, "doc_id": "psoriasis", "heading": "Is it contagious?", "text": passage}]})
    model = judge.openai_judge(server.url, None, judge.judge_cache(tmp_path / "judge.jsonl"), timeout=180,
                               max_tokens=48)
    metrics, report = judge.evaluate_runs([item], [model], ragas_embeddings(minilm), url=server.url, concurrency=1)
    pairs = 3  # factual correctness, answer correctness, faithfulness
    failures = int(metrics["judge_failures"].value)
    scored = sum(item.scores.get(k) is not None for k in judge.JUDGE_METRICS.values())
    print(f"tiny judge: {scored} scored, {failures} failed: {[f['status'][:60] for f in report['failures']]}")
    assert metrics["judge_failures"].n == pairs and scored + failures == pairs
    assert failures >= 1 and len(item.details["judge_failures"]) == failures
    assert all(f["id"] == "pso" and f["status"].startswith("parse_failure") for f in report["failures"])
    assert report["model"] and report["url"] == server.url


def test_slow_server_beyond_the_timeout_falls_back(llm_settings, llm_assistant, server):
    # the whole reply must arrive within the timeout: 40 tokens in 0.3 s is beyond this server on a CPU
    s = llm_settings.model_copy(update={"request_timeout": 0.3, "llm_max_tokens": 40,
                                        "model": str(server.model_dir)})
    slow = get_generator("openai", s, embedder=llm_assistant.embedder)
    slow.llm.breaker = CircuitBreaker("slow-test")
    a = Assistant(s, retriever=llm_assistant.retriever, generator=slow).ask("Is psoriasis contagious?")
    # a loaded machine may send the first bytes in time and the rest too late: both are "too slow"
    assert a.fallback_reason.startswith("backend_error")
    assert "did not reply" in a.fallback_reason or "took longer than" in a.fallback_reason
    assert "took too long" in a.notices[0] and "not contagious" in a.text


def test_server_never_started_falls_back(llm_settings, llm_assistant):
    s = llm_settings.model_copy(update={"base_url": f"http://127.0.0.1:{free_port()}/v1", "llm_retries": 1})
    a = Assistant(s, retriever=llm_assistant.retriever, embedder=llm_assistant.embedder).ask("Is psoriasis "
                                                                                               "contagious?")
    assert a.fallback_reason.startswith("backend_error") and "unreachable" in a.fallback_reason
    assert "not reachable" in a.notices[0] and "not contagious" in a.text


def test_server_killed_mid_stream_falls_back(llm_settings, llm_assistant, server):
    """Runs last in this module: it kills the shared server."""

    class KillAfterFirstPiece(OpenAICompatGenerator):
        def chat_stream(self, messages, usage):
            for i, piece in enumerate(super().chat_stream(messages, usage)):
                if i == 1:
                    server.kill()
                yield piece

    s = llm_settings.model_copy(update={"llm_max_tokens": 200})
    llm = KillAfterFirstPiece(server.url, breaker=CircuitBreaker("kill-test"), max_tokens=200, timeout=300)
    guarded = GuardedGenerator(llm, GroundedGenerator(embedder=llm_assistant.embedder),
                               SupportScorer(llm_assistant.embedder))
    a = Assistant(s, retriever=llm_assistant.retriever, generator=guarded)
    req = GenerationRequest(question="Is psoriasis contagious?",
                            passages=a.retriever.search("Is psoriasis contagious?").hits)
    events = list(guarded.stream_events(req))
    final = events[-1]
    assert server.proc.poll() is not None  # the server really is dead
    assert final.fallback_reason.startswith("backend_error") and "broke" in final.fallback_reason
    assert "".join(events[:-1]).strip() == final.text and "not contagious" in final.text

