"""Faithfulness without a judge: the share of answer sentences the cited passages support.

A sentence is supported when a cited passage contains it word for word, or when its best-matching
passage sentence is close in meaning (MiniLM cosine) and covers most of its content words, and it adds
no number and no medicine name that the cited passages lack. Numbers and medicine names the passages do
not contain are counted separately: they are the errors that matter most in medical text.
"""

from __future__ import annotations

import re

from ..keyfacts import EmbeddingCache, lexical
from ..results import ItemResult, answered
from ..stats import Stat, mean_ci
from .. import text as tx

SEMANTIC_MIN = 0.75
LEXICAL_MIN = 0.6


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", s.lower())).strip()


def check_answer(answer: str, passages: list[str], embed: EmbeddingCache) -> dict:
    """Per-sentence support of ``answer`` by ``passages`` (the texts of the cited passages)."""
    sents = tx.sentences(answer)
    passage_sents = [s for p in passages for s in tx.sentences(p)]
    joined = " ".join(_norm(p) for p in passages)
    p_numbers = set().union(*(tx.numbers(p) for p in passages)) if passages else set()
    p_drugs = set().union(*(tx.drug_names(p) for p in passages)) if passages else set()
    rows, extra_numbers, extra_drugs = [], [], []
    verbatim = [bool(_norm(s)) and _norm(s) in joined for s in sents]
    sims = None
    if passage_sents and not all(verbatim):  # word-for-word sentences need no embedding
        vecs = embed([*sents, *passage_sents])
        sims = vecs[: len(sents)] @ vecs[len(sents):].T
    for i, s in enumerate(sents):
        numbers = sorted(tx.numbers(s) - p_numbers)
        drugs = sorted(tx.drug_names(s) - p_drugs)
        extra_numbers += numbers
        extra_drugs += drugs
        best_sim, best_lex = (1.0, 1.0) if verbatim[i] else (0.0, 0.0)
        if sims is not None and not verbatim[i]:
            best_sim = float(sims[i].max())
            best_lex = max(lexical(s, ps) for ps in passage_sents)
        supported = not numbers and not drugs and (
            verbatim[i] or (best_sim >= SEMANTIC_MIN and best_lex >= LEXICAL_MIN))
        rows.append({"sentence": s, "supported": supported, "verbatim": verbatim[i], "similarity": round(best_sim, 3),
                     "lexical": round(best_lex, 3), "unsupported_numbers": numbers, "unsupported_drugs": drugs})
    share = sum(r["supported"] for r in rows) / len(rows) if rows else None
    return {"share": share, "sentences": rows, "unsupported_numbers": extra_numbers,
            "unsupported_drugs": extra_drugs}


def evaluate(results: list[ItemResult], embed: EmbeddingCache) -> dict[str, Stat]:
    shares, n_numbers, n_drugs = [], 0, 0
    n_items = 0
    for r in results:
        if r.kind != "qa" or not r.ok or not answered(r):
            continue
        passages = [c.get("text", "") for c in r.output.get("citations", [])]
        check = check_answer(r.output["text"], passages, embed)
        if check["share"] is None:
            continue
        n_items += 1
        r.scores["faithfulness"] = round(check["share"], 4)
        r.scores["unsupported_numbers"] = float(len(check["unsupported_numbers"]))
        r.scores["unsupported_drug_names"] = float(len(check["unsupported_drugs"]))
        r.details["faithfulness"] = [row for row in check["sentences"] if not row["supported"]]
        shares.append(check["share"])
        n_numbers += len(check["unsupported_numbers"])
        n_drugs += len(check["unsupported_drugs"])
    return {"faithfulness": mean_ci(shares), "unsupported_numbers": Stat(value=float(n_numbers), n=n_items),
            "unsupported_drug_names": Stat(value=float(n_drugs), n=n_items)}
