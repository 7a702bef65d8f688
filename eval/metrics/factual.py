"""Factual accuracy: key-fact recall with the calibrated matcher (eval/keyfacts.py), overall and per category."""

from __future__ import annotations

from ..keyfacts import KeyFactMatcher
from ..results import ItemResult, answered
from ..stats import Stat, mean_ci


def evaluate(results: list[ItemResult], matcher: KeyFactMatcher) -> tuple[dict[str, Stat], dict[str, Stat]]:
    """Returns (overall, per category). An answerable question that was declined scores 0."""
    values: list[float] = []
    by_cat: dict[str, list[float]] = {}
    matcher.prefetch([(r.input.get("key_facts") or [], r.output["text"]) for r in results
                      if r.kind == "qa" and r.ok and answered(r) and r.input.get("key_facts")])
    for r in results:
        facts = r.input.get("key_facts") or []
        if r.kind != "qa" or not r.ok or not r.input.get("answerable", True) or not facts:
            continue
        if answered(r):
            recall, matches = matcher.recall(facts, r.output["text"])
            r.details["key_facts"] = [m.model_dump() for m in matches]
        else:
            recall = 0.0
            r.details["key_facts"] = [{"fact": f, "matched": False, "score": 0.0, "best_unit": "",
                                       "veto": f"answer {r.output.get('status')}"} for f in facts]
        r.scores["key_fact_recall"] = round(recall, 4)
        values.append(recall)
        by_cat.setdefault(r.input.get("category") or "general", []).append(recall)
    return {"key_fact_recall": mean_ci(values)}, {c: mean_ci(v) for c, v in sorted(by_cat.items())}
