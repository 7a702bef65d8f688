"""Apply every evaluator to a run's items and collect the aggregates for summary.json."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .keyfacts import EmbeddingCache, KeyFactMatcher
from .metrics import factual, faithfulness, latency, readability, retrieval, safety
from .results import ItemResult
from .stats import Stat


def _dump(stats: dict[str, Stat]) -> dict[str, dict]:
    return {k: v.model_dump() for k, v in stats.items()}


def _status(msg: str, progress: bool) -> None:
    if progress:
        print(msg, file=sys.stderr)


def compute_metrics(results: list[ItemResult], ctx, options, *, judge_chat_model=None,
                    progress: bool = True) -> dict[str, Any]:
    """Fill per-item scores and return {"metrics", "by_category", "latency", "triage", "reports", "judge", "notes"}."""
    metrics: dict[str, Stat] = {}
    out: dict[str, Any] = {"notes": []}
    qa = [r for r in results if r.kind == "qa" and r.ok]
    if qa:
        _status(f"Scoring {len(qa)} answers (retrieval, key facts, faithfulness, readability, ragas)...", progress)
        embed = EmbeddingCache(ctx.embedder)
        matcher = KeyFactMatcher(embed)
        from .metrics import claims, planning

        out["coverage"] = planning.annotate_coverage(results, ctx.settings.kb_path)
        metrics.update(retrieval.evaluate(results, ctx.settings.top_k))
        overall, by_cat = factual.evaluate(results, matcher)
        metrics.update(overall)
        out["by_category"] = {c: {"key_fact_recall": s.model_dump()} for c, s in by_cat.items()}
        metrics.update(claims.evaluate(results, matcher))
        metrics.update(faithfulness.evaluate(results, matcher))
        metrics.update(readability.evaluate(results))
        metrics.update(safety.evaluate_abstention(results))
        metrics.update(planning.evaluate(results, ctx.settings.kb_path))
        from .metrics import ragas_offline

        metrics.update(ragas_offline.evaluate(results, embed))
        _category_extras(results, out["by_category"])
        out["judge"] = _judge(results, ctx, options, judge_chat_model, metrics, progress, embed)
    if any(r.kind == "safety" and r.ok for r in results):
        triage_metrics, out["triage"] = safety.evaluate_triage(results)
        metrics.update(triage_metrics)
    if any(r.kind == "reports" and r.ok for r in results):
        from .metrics import reports

        convey = any(r.kind == "reports" and r.input.get("convey") for r in results)
        report_metrics, out["reports"] = reports.evaluate(
            results, KeyFactMatcher(EmbeddingCache(ctx.embedder)) if convey else None)
        metrics.update(report_metrics)
    out["latency"] = latency.evaluate(results)
    for stage, p in out["latency"].items():
        for q in ("p50", "p95"):
            if p[q] is not None:
                metrics[f"latency_{q}_{stage}"] = Stat(value=p[q], n=p["n"])
    out["metrics"] = _dump(metrics)
    return out


def _category_extras(results: list[ItemResult], by_cat: dict[str, dict]) -> None:
    """Per category: abstention (declined share) and faithfulness, next to key-fact recall."""
    from .stats import mean_ci

    groups: dict[str, list[ItemResult]] = {}
    for r in results:
        if r.kind == "qa" and r.ok:
            groups.setdefault(r.input.get("category") or "general", []).append(r)
    for cat, items in groups.items():
        entry = by_cat.setdefault(cat, {})
        entry["declined"] = mean_ci([r.scores.get("declined") for r in items]).model_dump()
        entry["faithfulness"] = mean_ci([r.scores.get("faithfulness") for r in items]).model_dump()


def _judge(results: list[ItemResult], ctx, options, chat_model, metrics: dict[str, Stat], progress: bool,
           embed=None) -> dict:
    if chat_model is None and not options.judge_url:
        return {"skipped": "no judge: pass --judge-url (an OpenAI-compatible server) to add ragas "
                           "FactualCorrectness, Faithfulness and AnswerCorrectness"}
    from .metrics import judge
    from .metrics.ragas_offline import ragas_embeddings

    runs = getattr(options, "judge_runs", 1) or 1
    if chat_model is None:
        cache = judge.judge_cache(Path(ctx.settings.home) / "eval" / "judge-cache.jsonl")
        models = [judge.openai_judge(options.judge_url, options.judge_model, cache, run=k) for k in range(runs)]
    else:
        models = [chat_model] * runs
    _status(f"Asking the judge (ragas FactualCorrectness, Faithfulness, AnswerCorrectness), {runs} run(s)...", progress)
    judged, report = judge.evaluate_runs(results, models, ragas_embeddings(embed or ctx.embedder),
                                         url=options.judge_url, concurrency=options.workers or 4)
    metrics.update(judged)
    return report
