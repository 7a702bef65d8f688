"""Retrieval: recall@k and reciprocal rank of the expected documents among the retrieved passages."""

from __future__ import annotations

from ..results import ItemResult
from ..stats import Stat, mean_ci


def score_item(expected: list[str], retrieved_docs: list[str], k: int) -> tuple[float, float]:
    """(recall@k, reciprocal rank). ``retrieved_docs`` is the document id of each passage, best first."""
    want = set(expected)
    top = set(retrieved_docs[:k])
    recall = len(want & top) / len(want)
    rr = next((1.0 / rank for rank, d in enumerate(retrieved_docs, start=1) if d in want), 0.0)
    return recall, rr


def evaluate(results: list[ItemResult], k: int) -> dict[str, Stat]:
    recalls, rrs = [], []
    for r in results:
        if r.kind != "qa" or not r.ok or not r.input.get("answerable", True) or not r.input.get("doc_ids"):
            continue
        if "retrieve" not in (r.output.get("timings") or {}):
            continue  # triaged before retrieval: counted by the abstention and safety figures instead
        docs = [h["doc_id"] for h in r.output.get("retrieved", [])]
        recall, rr = score_item(r.input["doc_ids"], docs, k)
        r.scores["recall_at_k"], r.scores["reciprocal_rank"] = round(recall, 4), round(rr, 4)
        recalls.append(recall)
        rrs.append(rr)
    return {"recall_at_k": mean_ci(recalls), "mrr": mean_ci(rrs)}
