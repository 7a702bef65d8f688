"""Faithfulness without a judge: the share of answer sentences that the cited passages state.

Measured independently of the assistant's answer guard (``assistant.guard.answer``, which screens LLM
sentences): each answer sentence is checked as a claim against each cited passage with the evaluation's own
calibrated matcher (``eval/keyfacts.py`` + ``eval/claims.supported``: MiniLM similarity and content-word
overlap with its own threshold, polarity, number, antonym and subject vetoes), and a sentence with a number or
medicine that no cited passage contains is unsupported. A guard regression therefore shows up here: a
sentence the guard wrongly lets through is still scored by a different method. Sentences that only send the
reader to a doctor (``claims.is_boilerplate``) are left out. Numbers and medicine names that no cited passage
contains are also counted over whole answers.
"""

from __future__ import annotations

from .. import text as tx
from ..claims import claim_matcher, is_boilerplate, supported
from ..keyfacts import KeyFactMatcher
from ..results import ItemResult, answered
from ..stats import Stat, mean_ci


def check_answer(answer: str, passages: list[str], matcher: KeyFactMatcher) -> dict:
    """Per-sentence support of ``answer`` by ``passages`` (the texts of its cited passages)."""
    sents = [s for s in tx.sentences(answer) if not is_boilerplate(s)]
    rows = []
    for s in sents:
        ok, score, why = supported(s, passages, matcher)
        rows.append({"sentence": s, "supported": ok, "score": round(score, 4), "reason": why or None})
    joined = " ".join(passages)
    body = tx.strip_citations(answer)
    return {"share": sum(r["supported"] for r in rows) / len(rows) if rows else None, "sentences": rows,
            "unsupported_numbers": sorted(tx.numbers(body) - tx.numbers(joined)),
            "unsupported_drugs": sorted(tx.drug_names(body) - tx.drug_names(joined))}


def evaluate(results: list[ItemResult], matcher: KeyFactMatcher) -> dict[str, Stat]:
    matcher = claim_matcher(matcher.embed)  # the claim check's own constants, sharing the embedding cache
    shares, n_numbers, n_drugs, n_items = [], 0, 0, 0
    todo = [r for r in results if r.kind == "qa" and r.ok and answered(r)]
    matcher.embed.prefetch([s for r in todo for s in tx.sentences(r.output["text"])]
                           + [s for r in todo for c in r.output.get("citations", []) for s in tx.sentences(c.get("text", ""))])
    for r in todo:
        passages = [c.get("text", "") for c in r.output.get("citations", [])]
        check = check_answer(r.output["text"], passages, matcher)
        if check["share"] is None:
            continue
        n_items += 1
        r.scores["faithfulness"] = round(check["share"], 4)
        r.scores["unsupported_numbers"] = float(len(check["unsupported_numbers"]))
        r.scores["unsupported_drug_names"] = float(len(check["unsupported_drugs"]))
        r.details["faithfulness"] = [row for row in check["sentences"] if not row["supported"]]
        r.details["faithfulness_all"] = check["sentences"]
        shares.append(check["share"])
        n_numbers += len(check["unsupported_numbers"])
        n_drugs += len(check["unsupported_drugs"])
    return {"faithfulness": mean_ci(shares), "unsupported_numbers": Stat(value=float(n_numbers), n=n_items),
            "unsupported_drug_names": Stat(value=float(n_drugs), n=n_items)}
