"""LLM-judged ragas metrics: FactualCorrectness, Faithfulness and AnswerCorrectness.

Only with an explicit judge: ``--judge-url`` (an OpenAI-compatible server, via langchain-openai ``ChatOpenAI``
with that ``base_url``) or, in code, any LangChain chat model. There is never a silent OpenAI default:
without a judge these metrics are skipped and summary.json says so. Judge replies are cached on disk
(keyed by prompt and model settings), so a re-run costs no calls. Every item/metric whose judge reply
could not be parsed, timed out or failed is counted and listed, never dropped silently.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import threading
import warnings
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from assistant.errors import BackendError

from ..results import ItemResult, answered
from ..stats import Stat, mean_ci

JUDGE_METRICS = {"factual_correctness": "judge_factual_correctness", "faithfulness": "judge_faithfulness",
                 "answer_correctness": "judge_answer_correctness"}


class JudgeReport(BaseModel):
    model: str
    url: str | None = None
    calls: dict[str, int] = Field(default_factory=dict, description="metric.ok / metric.parse_failure / metric.error")
    failures: list[dict[str, str]] = Field(default_factory=list)
    cache_hits: int = 0
    cache_misses: int = 0


def judge_cache(path: Path):
    """A LangChain cache stored as JSON lines: prompt+model hash -> reply text."""
    from langchain_core.caches import BaseCache
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration

    class JsonlJudgeCache(BaseCache):
        def __init__(self) -> None:
            self.path = Path(path)
            self.lock = threading.Lock()
            self.hits = self.misses = 0
            self.data: dict[str, list[dict]] = {}
            if self.path.exists():
                for line in self.path.read_text(encoding="utf-8").splitlines():
                    try:
                        row = json.loads(line)
                        self.data[row["key"]] = row["generations"]
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn last line from an interrupted run: ignore it

        @staticmethod
        def _key(prompt: str, llm_string: str) -> str:
            return hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()

        def lookup(self, prompt: str, llm_string: str):
            with self.lock:
                gens = self.data.get(self._key(prompt, llm_string))
                if gens is None:
                    self.misses += 1
                    return None
                self.hits += 1
            return [ChatGeneration(message=AIMessage(content=g["text"]), generation_info=g.get("info")) for g in gens]

        def update(self, prompt: str, llm_string: str, return_val) -> None:
            gens = [{"text": g.text, "info": g.generation_info} for g in return_val]
            key = self._key(prompt, llm_string)
            with self.lock:
                self.data[key] = gens
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"key": key, "generations": gens}) + "\n")

        def clear(self, **kwargs: Any) -> None:
            with self.lock:
                self.data = {}
                self.path.unlink(missing_ok=True)

    return JsonlJudgeCache()


def discover_model(url: str, timeout: float = 10.0) -> str:
    """The first model an OpenAI-compatible server lists at ``/models``."""
    import httpx

    try:
        resp = httpx.get(url.rstrip("/") + "/models", timeout=timeout)
        resp.raise_for_status()
        models = [m["id"] for m in resp.json().get("data", [])]
    except Exception as e:  # connection refused, HTTP error, bad JSON
        raise BackendError(f"Could not list the judge's models at {url}/models ({type(e).__name__}: {e}).",
                           "Check --judge-url (it should end in /v1), or give the model with --judge-model.") from None
    if not models:
        raise BackendError(f"The judge at {url} lists no models.", "Give the model name with --judge-model.")
    return models[0]


def openai_judge(url: str, model: str | None, cache, timeout: float = 120.0, run: int = 0,
                 max_tokens: int | None = None):
    """ChatOpenAI pointed at ``url`` only. The key comes from DERMASSIST_JUDGE_API_KEY (local servers need none).

    Run 0 is greedy; later runs (``--judge-runs``) sample at temperature 0.7 with the run number as seed, so
    their replies differ and are cached apart."""
    from langchain_openai import ChatOpenAI

    model = model or discover_model(url)
    return ChatOpenAI(base_url=url, model=model, api_key=os.environ.get("DERMASSIST_JUDGE_API_KEY", "not-needed"),
                      temperature=0 if run == 0 else 0.7, seed=run or None, timeout=timeout, max_retries=1,
                      cache=cache, max_tokens=max_tokens)


def evaluate_runs(results: list[ItemResult], chat_models: list, embeddings, **kw) -> tuple[dict[str, Stat], dict]:
    """``evaluate`` once per chat model (one per run); item scores are the mean over the runs that gave one.

    The report adds ``runs``, the per-run means of every metric and their spread (max - min), and counts
    every failure of every run."""
    per_item: dict[tuple[str, str, str], list[float]] = {}
    run_means: dict[str, list[float | None]] = {k: [] for k in JUDGE_METRICS.values()}
    reports = []
    failures = 0
    n_pairs = 0
    for chat in chat_models:
        out, report = evaluate(results, chat, embeddings, **kw)
        reports.append(report)
        failures += int(out["judge_failures"].value or 0)
        n_pairs += out["judge_failures"].n or 0
        for key in JUDGE_METRICS.values():
            run_means[key].append(out[key].value)
            for r in results:
                if r.scores.get(key) is not None:
                    per_item.setdefault((r.dataset, r.id, key), []).append(r.scores[key])
    collected: dict[str, list[float]] = {k: [] for k in JUDGE_METRICS.values()}
    for r in results:
        for key in JUDGE_METRICS.values():
            vals = per_item.get((r.dataset, r.id, key))
            if key in r.scores or vals:
                r.scores[key] = round(sum(vals) / len(vals), 4) if vals else None
                if vals:
                    collected[key].append(sum(vals) / len(vals))
    out = {key: mean_ci(v) for key, v in collected.items()}
    out["judge_failures"] = Stat(value=float(failures), n=n_pairs)
    report = reports[0].model_dump()
    report["failures"] = [dict(f, run="1") for f in report["failures"]]
    for i, other in enumerate(reports[1:], start=2):
        for k, v in other.calls.items():
            report["calls"][k] = report["calls"].get(k, 0) + v
        report["failures"] += [dict(f, run=str(i)) for f in other.failures]
        report["cache_hits"] += other.cache_hits
        report["cache_misses"] += other.cache_misses
    report["runs"] = len(chat_models)
    report["run_means"] = {k: [None if v is None else round(v, 4) for v in vs] for k, vs in run_means.items()}
    report["spread"] = {k: (round(max(x for x in vs if x is not None) - min(x for x in vs if x is not None), 4)
                            if any(x is not None for x in vs) else None) for k, vs in run_means.items()}
    return out, report


def _samples(results: list[ItemResult]) -> list[tuple[ItemResult, str, dict]]:
    """(item, metric, sample fields) for every judged pair."""
    out = []
    for r in results:
        if r.kind != "qa" or not r.ok or not r.input.get("answerable", True):
            continue
        response, ref = r.output["text_plain"], (r.input.get("reference_answer") or "").strip()
        if ref:
            out.append((r, "factual_correctness", {"response": response, "reference": ref}))
            out.append((r, "answer_correctness", {"user_input": r.input["question"], "response": response,
                                                  "reference": ref}))
        contexts = [c["text"] for c in r.output.get("citations", []) if c.get("text")]
        if answered(r) and contexts:
            out.append((r, "faithfulness", {"user_input": r.input["question"], "response": response,
                                            "retrieved_contexts": contexts}))
    return out


def evaluate(results: list[ItemResult], chat_model, embeddings, *, url: str | None = None, concurrency: int = 4,
             timeout: float = 180.0) -> tuple[dict[str, Stat], JudgeReport]:
    os.environ["RAGAS_DO_NOT_TRACK"] = "true"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ragas.dataset_schema import SingleTurnSample
        from langchain_core.exceptions import OutputParserException
        from pydantic import ValidationError
        from ragas.exceptions import LLMDidNotFinishException, RagasOutputParserException
        from ragas.llms import LangchainLLMWrapper
        from ragas.metrics import AnswerCorrectness, FactualCorrectness, Faithfulness
        from ragas.run_config import RunConfig

        llm = LangchainLLMWrapper(chat_model)
        metrics = {"factual_correctness": FactualCorrectness(llm=llm),
                   "faithfulness": Faithfulness(llm=llm),
                   "answer_correctness": AnswerCorrectness(llm=llm, embeddings=embeddings)}
        PARSE_ERRORS = (RagasOutputParserException, OutputParserException, ValidationError, json.JSONDecodeError)
        run_config = RunConfig(timeout=int(timeout), max_retries=1, max_workers=concurrency)
        for m in metrics.values():
            m.init(run_config)
    model_name = str(getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
                     or type(chat_model).__name__)
    report = JudgeReport(model=model_name, url=url)
    pairs = _samples(results)
    outcomes: list[tuple[float | None, str]] = []

    async def one(metric_name: str, fields: dict, sem: asyncio.Semaphore) -> tuple[float | None, str]:
        async with sem:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = await metrics[metric_name].single_turn_ascore(SingleTurnSample(**fields), timeout=timeout)
            except PARSE_ERRORS as e:
                return None, f"parse_failure: the judge's reply was not the JSON ragas expects ({type(e).__name__})"
            except LLMDidNotFinishException:
                return None, "parse_failure: the judge's reply was cut off before it finished (its token limit)"
            except asyncio.TimeoutError:
                return None, f"error: no judge reply within {timeout:.0f} s"
            except Exception as e:  # connection errors, server errors, anything the judge throws
                return None, f"error: {type(e).__name__}: {str(e)[:200]}"
            if value is None or value != value:
                return None, "parse_failure: the judge gave no usable verdict"
            return float(value), "ok"

    async def run_all() -> list[tuple[float | None, str]]:
        sem = asyncio.Semaphore(max(1, concurrency))
        return await asyncio.gather(*(one(m, f, sem) for _, m, f in pairs))

    if pairs:
        outcomes = asyncio.run(run_all())
    collected: dict[str, list[float]] = {}
    for (r, metric_name, _), (value, status) in zip(pairs, outcomes):
        key = JUDGE_METRICS[metric_name]
        kind = status.split(":")[0]
        report.calls[f"{metric_name}.{kind}"] = report.calls.get(f"{metric_name}.{kind}", 0) + 1
        r.scores[key] = None if value is None else round(value, 4)
        if value is None:
            r.details.setdefault("judge_failures", []).append(f"{metric_name}: {status}")
            report.failures.append({"id": r.id, "metric": metric_name, "status": status})
        else:
            collected.setdefault(key, []).append(value)
    cache = getattr(chat_model, "cache", None)
    report.cache_hits, report.cache_misses = getattr(cache, "hits", 0), getattr(cache, "misses", 0)
    out = {key: mean_ci(collected.get(key, [])) for key in JUDGE_METRICS.values()}
    out["judge_failures"] = Stat(value=float(len(report.failures)), n=len(pairs))
    return out, report
