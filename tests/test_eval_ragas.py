"""ragas: the no-LLM metrics end to end offline, and the judge path against a fake chat model with canned JSON."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answer import ABSTAIN_TEXT
from assistant.embeddings.fake import HashEmbedder
from eval.metrics import judge, ragas_offline
from eval.results import ItemResult

REFERENCE = "Eczema is not contagious. Children with eczema can go to school."


def qa(id_, text, *, status="answered", reference=REFERENCE, doc_ids=("atopic-dermatitis",),
       retrieved=("atopic-dermatitis", "psoriasis"), contexts=(REFERENCE,)) -> ItemResult:
    return ItemResult(dataset="t", kind="qa", id=id_,
                      input={"question": "Can my child catch eczema at school?", "reference_answer": reference,
                             "doc_ids": list(doc_ids), "key_facts": [], "answerable": True},
                      output={"text": text, "text_plain": text, "status": status,
                              "citations": [{"n": 1, "doc_id": "atopic-dermatitis", "heading": "h", "text": c}
                                            for c in contexts],
                              "retrieved": [{"doc_id": d} for d in retrieved], "timings": {}})


# ------------------------------------------------------------------ offline ragas
def test_ragas_offline_metrics_end_to_end():
    items = [qa("same", REFERENCE),
             qa("disjoint", "Banana bread needs flour.", retrieved=("psoriasis", "rosacea")),
             qa("half", "Eczema is not contagious.", retrieved=("psoriasis", "atopic-dermatitis"))]
    out = ragas_offline.evaluate(items, HashEmbedder())
    s = {r.id: r.scores for r in items}
    assert s["same"]["ragas_rouge_l"] == 1.0 and s["same"]["ragas_semantic_similarity"] == pytest.approx(1.0, abs=1e-3)
    assert s["disjoint"]["ragas_rouge_l"] == 0.0 and s["disjoint"]["ragas_id_context_recall"] == 0.0
    assert s["same"]["ragas_id_context_recall"] == 1.0 and s["same"]["ragas_id_context_precision"] == 0.5
    assert 0 < s["half"]["ragas_rouge_l"] < 1
    assert s["disjoint"]["ragas_semantic_similarity"] < s["half"]["ragas_semantic_similarity"] < 1.0
    assert out["ragas_rouge_l"].n == 3 and out["ragas_id_context_recall"].value == pytest.approx(2 / 3)


# ------------------------------------------------------------------ the canned judge
def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _norm(s: str) -> str:
    return re.sub(r"[^a-z ]", "", s.lower()).strip()


def canned_reply(prompt: str, broken: str | None = None) -> str:
    """What a well-behaved judge would answer to each ragas prompt, decided by plain string containment."""
    if "did not satisfy the constraints" in prompt:  # ragas' fix-the-format retry: stays broken
        return "still not JSON"
    data = json.loads(prompt[prompt.rindex("input: ") + 7: prompt.rindex("Output: ")].strip())
    if broken and broken in json.dumps(data):
        return "Sorry, I cannot help with that."
    if "Decompose and break down" in prompt:
        return json.dumps({"claims": _sentences(data["response"])})
    if "analyze the complexity of each sentence" in prompt:
        return json.dumps({"statements": _sentences(data["answer"])})
    if "judge the faithfulness of a series of statements" in prompt:
        ctx = _norm(data["context"])
        return json.dumps({"statements": [{"statement": s, "reason": "containment",
                                           "verdict": int(_norm(s) in ctx)} for s in data["statements"]]})
    if "Given a ground truth and an answer statements" in prompt:
        gt = {_norm(s) for s in data["ground_truth"]}
        ans = {_norm(s) for s in data["answer"]}
        tp = [{"statement": s, "reason": "in both"} for s in data["answer"] if _norm(s) in gt]
        fp = [{"statement": s, "reason": "not in truth"} for s in data["answer"] if _norm(s) not in gt]
        fn = [{"statement": s, "reason": "missing"} for s in data["ground_truth"] if _norm(s) not in ans]
        return json.dumps({"TP": tp, "FP": fp, "FN": fn})
    return "not json at all"


def canned_chat_model(cache=None, broken: str | None = None):
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class CannedJudge(BaseChatModel):
        calls: int = 0
        broken_text: str | None = None

        @property
        def _llm_type(self) -> str:
            return "canned-judge"

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            self.calls += 1
            text = canned_reply(messages[-1].content, self.broken_text)
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    return CannedJudge(cache=cache, broken_text=broken)


JUDGE_ITEMS = lambda: [  # noqa: E731
    qa("correct", REFERENCE),
    qa("contradicted", "Eczema is contagious."),
    qa("partial", "Eczema is not contagious."),
    qa("abstained", ABSTAIN_TEXT, status="abstained", contexts=()),
    qa("garbled", "Eczema spreads through towels."),
]


def test_judge_path_scores_known_cases_and_counts_parse_failures(tmp_path):
    from eval.metrics.ragas_offline import ragas_embeddings

    cache = judge.judge_cache(tmp_path / "judge.jsonl")
    model = canned_chat_model(cache, broken="Eczema spreads through towels.")
    items = JUDGE_ITEMS()
    metrics, report = judge.evaluate(items, model, ragas_embeddings(HashEmbedder()), concurrency=2)
    s = {r.id: r.scores for r in items}
    assert s["correct"]["judge_factual_correctness"] == 1.0
    assert s["correct"]["judge_faithfulness"] == 1.0
    assert s["correct"]["judge_answer_correctness"] == pytest.approx(1.0, abs=1e-3)
    assert s["contradicted"]["judge_factual_correctness"] == 0.0 and s["contradicted"]["judge_faithfulness"] == 0.0
    assert s["partial"]["judge_factual_correctness"] == 0.67  # precision 1, recall 1/2
    assert s["abstained"]["judge_factual_correctness"] == 0.0 and "judge_faithfulness" not in s["abstained"]
    # the garbled item's judge replies could not be parsed: recorded as failures, never dropped
    assert s["garbled"]["judge_factual_correctness"] is None
    assert any("parse_failure" in f for f in items[4].details["judge_failures"])
    assert metrics["judge_failures"].value == 3 and report.calls["factual_correctness.parse_failure"] == 1
    assert {f["id"] for f in report.failures} == {"garbled"}
    assert metrics["judge_factual_correctness"].n == 4
    # replies are cached: a second run makes no calls at all
    first_calls = model.calls
    assert first_calls > 0 and report.cache_misses > 0
    again = canned_chat_model(judge.judge_cache(tmp_path / "judge.jsonl"), broken="Eczema spreads through towels.")
    items2 = JUDGE_ITEMS()
    metrics2, report2 = judge.evaluate(items2, again, ragas_embeddings(HashEmbedder()))
    assert again.calls == 0 and report2.cache_hits > 0
    assert [r.scores for r in items2] == [r.scores for r in items]


def test_no_judge_means_no_judge_metrics_and_no_openai(monkeypatch, fake_settings):
    from eval.metrics_run import _judge
    from eval.runner import RunOptions

    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-never-be-used")
    out = _judge([qa("x", REFERENCE)], None, RunOptions(), None, {}, False)
    assert "no judge" in out["skipped"] and "--judge-url" in out["skipped"]


# ------------------------------------------------------------------ a judge behind a loopback OpenAI-compatible server
class _Handler(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def _send(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._send({"object": "list", "data": [{"id": "canned-judge", "object": "model"}]})

    def do_POST(self):
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(self.path)
        content = data["messages"][-1]["content"]
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content)
        self._send({"id": "x", "object": "chat.completion", "created": 0, "model": data.get("model", "canned-judge"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": canned_reply(content)}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


@pytest.fixture
def judge_server():
    _Handler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", _Handler.requests
    server.shutdown()
    server.server_close()


def test_openai_compatible_judge_url_with_model_discovery_and_cache(judge_server, tmp_path):
    from eval.metrics.ragas_offline import ragas_embeddings

    url, requests = judge_server
    assert judge.discover_model(url) == "canned-judge"
    model = judge.openai_judge(url, None, judge.judge_cache(tmp_path / "c.jsonl"))
    items = [qa("correct", REFERENCE), qa("partial", "Eczema is not contagious.")]
    metrics, report = judge.evaluate(items, model, ragas_embeddings(HashEmbedder()), url=url)
    assert items[0].scores["judge_factual_correctness"] == 1.0 and items[1].scores["judge_factual_correctness"] == 0.67
    assert report.model == "canned-judge" and report.url == url and metrics["judge_failures"].value == 0
    n = len(requests)
    assert n > 0 and all(p.endswith("/chat/completions") for p in requests)
    model2 = judge.openai_judge(url, "canned-judge", judge.judge_cache(tmp_path / "c.jsonl"))
    judge.evaluate([qa("correct", REFERENCE), qa("partial", "Eczema is not contagious.")], model2,
                   ragas_embeddings(HashEmbedder()), url=url)
    assert len(requests) == n  # all from the cache


def test_unreachable_judge_gives_a_clear_error():
    from assistant.errors import BackendError

    with pytest.raises(BackendError) as e:
        judge.discover_model("http://127.0.0.1:9/v1", timeout=2)
    assert "--judge-url" in e.value.fix


def test_eval_command_with_judge_url(judge_server, tiny_kb, tmp_path):
    from click.testing import CliRunner

    from assistant.cli import cli

    url, requests = judge_server
    args = ["--kb-path", str(tiny_kb), "--home", str(tmp_path / "home"), "--embedder", "fake"]
    CliRunner().invoke(cli, [*args, "index", "--quiet"], catch_exceptions=False)
    data = tmp_path / "qa.jsonl"
    data.write_text(json.dumps({"id": "pso", "question": "Is psoriasis contagious?",
                                "reference_answer": "Psoriasis is not contagious.",
                                "key_facts": ["Psoriasis is not contagious."], "doc_ids": ["psoriasis"]}) + "\n")
    r = CliRunner().invoke(cli, [*args, "eval", "--dataset", str(data), "--judge-url", url, "--out",
                                 str(tmp_path / "run"), "--quiet", "--fail-under", "judge_failures=0"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["judge"]["model"] == "canned-judge" and summary["run"]["judge"]["url"] == url
    assert summary["metrics"]["judge_factual_correctness"]["value"] is not None
    assert requests and (tmp_path / "home" / "eval" / "judge-cache.jsonl").exists()
    html = (tmp_path / "run" / "report.html").read_text()
    assert "Judge canned-judge" in html and "factual_correctness.ok" in html


def test_judge_runs_are_averaged_with_their_spread_and_every_failure_counted(tmp_path):
    from eval.metrics.ragas_offline import ragas_embeddings

    models = [canned_chat_model(judge.judge_cache(tmp_path / f"run{k}.jsonl"), broken="Eczema spreads through towels.")
              for k in range(3)]
    items = JUDGE_ITEMS()
    metrics, report = judge.evaluate_runs(items, models, ragas_embeddings(HashEmbedder()), concurrency=2)
    s = {r.id: r.scores for r in items}
    assert s["correct"]["judge_factual_correctness"] == 1.0 and s["partial"]["judge_factual_correctness"] == 0.67
    assert s["garbled"]["judge_factual_correctness"] is None
    assert report["runs"] == 3 and report["run_means"]["judge_factual_correctness"] == [0.4175] * 3  # (1 + 0 + 0.67 + 0) / 4
    assert report["spread"]["judge_factual_correctness"] == 0.0  # the canned judge always says the same
    assert metrics["judge_failures"].value == 9 and metrics["judge_failures"].n == 42  # 3 of 14 pairs per run
    assert sorted({f["run"] for f in report["failures"]}) == ["1", "2", "3"]
    assert report["calls"]["factual_correctness.parse_failure"] == 3
