"""Faithfulness without a judge: the share of answer sentences the cited passages support.

The checks are the answer guard's (``assistant.answer_guard``, the one that screens LLM sentences): support by
MiniLM similarity plus content-word overlap, no contradiction of the best evidence, and no number, dose,
medicine or diagnosis the passages lack. A sentence copied word for word from a cited passage is supported
by construction and skips the embedding step. Numbers and medicine names the passages do not contain are
also counted over whole answers. Without ``assistant.answer_guard`` (an older build) a simpler built-in check
with the same shape is used, and the summary notes it.
"""

from __future__ import annotations

import re

from assistant.embeddings import Embedder

from .. import text as tx
from ..keyfacts import EmbeddingCache, lexical
from ..pipelines import module_available
from ..results import ItemResult, answered
from ..stats import Stat, mean_ci

SEMANTIC_MIN = 0.75  # built-in check only (same as the guard's shipped MIN_SIMILARITY)
LEXICAL_MIN = 0.6
NOT_SUPPORT_PROBLEMS = ("reading_grade",)  # guard reasons that say nothing about support


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", s.lower())).strip()


def _verbatim(sentence: str, passages_norm: list[str]) -> bool:
    """Every piece of the sentence (split at full stops, whatever follows) is word for word in one passage."""
    pieces = [_norm(p) for p in re.split(r"(?<=[.!?])\s+", sentence)]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(any(p in doc for doc in passages_norm) for p in pieces)


class SentenceChecker:
    """Checks answers against their cited passages with the guard (or the built-in fallback)."""

    def __init__(self, embedder: Embedder | None, embed: EmbeddingCache) -> None:
        self.embed = embed
        self.guard = None
        if embedder is not None and module_available("assistant.answer_guard"):
            from assistant.answer_guard import AnswerGuard
            from assistant.support import SupportScorer

            self.guard = AnswerGuard(SupportScorer(embedder))

    @property
    def method(self) -> str:
        return "assistant.answer_guard" if self.guard is not None else "built-in (assistant.answer_guard missing)"

    def check(self, answer: str, passages: list[str]) -> dict:
        sents = tx.sentences(answer)
        passages_norm = [_norm(p) for p in passages]
        verbatim = [_verbatim(s, passages_norm) for s in sents]
        if self.guard is not None:
            rows = self._guard_rows(answer, passages, sents, verbatim)
            from assistant.answer_guard import Evidence

            absent = Evidence(passages).absent(tx.strip_citations(answer)) if passages else []
            numbers = [t for kind, t in absent if kind == "number"]
            drugs = [t for kind, t in absent if kind == "drug"]
        else:
            rows, numbers, drugs = self._builtin_rows(sents, passages, verbatim)
        share = sum(r["supported"] for r in rows) / len(rows) if rows else None
        return {"share": share, "sentences": rows, "unsupported_numbers": numbers, "unsupported_drugs": drugs}

    def _guard_rows(self, answer: str, passages: list[str], sents: list[str], verbatim: list[bool]) -> list[dict]:
        from assistant.answer_guard import Evidence, split_marked, strip_markers

        if all(verbatim):
            return [{"sentence": s, "supported": True, "reason": None, "verbatim": True} for s in sents]
        raw = [s for s in split_marked(answer) if strip_markers(s)]
        checked = self.guard.check_sentences(raw, Evidence(passages)) if passages else []
        rows = []
        for c in checked:
            ok = c.reason is None or c.reason in NOT_SUPPORT_PROBLEMS
            rows.append({"sentence": c.text, "supported": ok, "reason": c.reason, "detail": c.detail,
                         "similarity": round(c.similarity, 3), "overlap": round(c.overlap, 3)})
        if not passages:
            rows = [{"sentence": s, "supported": False, "reason": "no cited passage"} for s in sents]
        return rows

    def _builtin_rows(self, sents: list[str], passages: list[str], verbatim: list[bool]):
        passage_sents = [s for p in passages for s in tx.sentences(p)]
        p_numbers = set().union(*(tx.numbers(p) for p in passages)) if passages else set()
        p_drugs = set().union(*(tx.drug_names(p) for p in passages)) if passages else set()
        sims = None
        if passage_sents and not all(verbatim):  # word-for-word sentences need no embedding
            vecs = self.embed([*sents, *passage_sents])
            sims = vecs[: len(sents)] @ vecs[len(sents):].T
        rows, extra_numbers, extra_drugs = [], [], []
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
            reason = None if supported else ("number" if numbers else "drug" if drugs else "unsupported")
            rows.append({"sentence": s, "supported": supported, "reason": reason, "verbatim": verbatim[i],
                         "similarity": round(best_sim, 3), "overlap": round(best_lex, 3)})
        return rows, extra_numbers, extra_drugs


def check_answer(answer: str, passages: list[str], embed: EmbeddingCache, embedder: Embedder | None = None) -> dict:
    """Per-sentence support of ``answer`` by ``passages`` (the texts of the cited passages)."""
    return SentenceChecker(embedder, embed).check(answer, passages)


def evaluate(results: list[ItemResult], embed: EmbeddingCache, embedder: Embedder | None = None,
             notes: list[str] | None = None) -> dict[str, Stat]:
    checker = SentenceChecker(embedder, embed)
    if notes is not None and checker.guard is None:
        notes.append(f"faithfulness used the {checker.method} check")
    shares, n_numbers, n_drugs, n_items = [], 0, 0, 0
    for r in results:
        if r.kind != "qa" or not r.ok or not answered(r):
            continue
        passages = [c.get("text", "") for c in r.output.get("citations", [])]
        check = checker.check(r.output["text"], passages)
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
