"""Factual accuracy from the reference answer alone: claim recall, claim precision, contradictions.

Works on any set with a question and a reference answer (``eval/claims.py`` splits the reference into claims):

- ``claim_recall``: of the reference's claims (boilerplate left out), the share the answer states. An
  in-coverage answerable question that was declined scores 0; out-of-coverage items are left out.
- ``claim_precision``: of the answer's sentences (its own boilerplate left out), the share that the reference
  answer or a cited passage states.
- ``contradiction_rate``: share of answers that contradict at least one reference claim.
"""

from __future__ import annotations

from .. import text as tx
from ..claims import ClaimJudge, claim_matcher, is_boilerplate, split_claims, supported
from ..keyfacts import KeyFactMatcher
from ..results import ItemResult, answered
from ..stats import Stat, means


def _claims(r: ItemResult) -> list:
    return [c for c in split_claims(r.input.get("reference_answer") or "") if not c.boilerplate]


def evaluate(results: list[ItemResult], matcher: KeyFactMatcher) -> dict[str, Stat]:
    matcher = claim_matcher(matcher.embed)  # the claim judge's own constants, sharing the embedding cache
    judge = ClaimJudge(matcher)
    rows = [r for r in results if r.kind == "qa" and r.ok and r.input.get("answerable", True)
            and (r.input.get("reference_answer") or "").strip()
            and (r.details.get("coverage") or {}).get("covered") is not False]
    batch = [([c.text for c in _claims(r)], r.output["text"]) for r in rows if answered(r)]
    matcher.prefetch(batch)
    if judge.head is not None:
        from ..claim_head import prefetch_tokens

        prefetch_tokens(matcher, batch)
    recall, precision, contradicted = [], [], []
    for r in rows:
        claims = _claims(r)
        if not claims:
            continue
        if not answered(r):
            r.details["claims"] = [{"claim": c.text, "verdict": "missed", "score": 0.0, "unit": "",
                                    "why": f"answer {r.output.get('status')}"} for c in claims]
            r.scores["claim_recall"] = 0.0
            recall.append(0.0)
            continue
        answer = r.output["text"]
        verdicts = [judge.judge(c.text, answer) for c in claims]
        r.details["claims"] = [vars(v) for v in verdicts]
        r.scores["claim_recall"] = round(sum(v.verdict == "stated" for v in verdicts) / len(verdicts), 4)
        r.scores["contradicted_claims"] = float(sum(v.verdict == "contradicted" for v in verdicts))
        recall.append(r.scores["claim_recall"])
        contradicted.append(float(r.scores["contradicted_claims"] > 0))
        sources = [r.input.get("reference_answer") or ""] + [c.get("text", "") for c in r.output.get("citations", [])]
        sents = [s for s in tx.sentences(answer) if not is_boilerplate(s)]
        if sents:
            checks = [(s, *supported(s, sources, matcher)) for s in sents]
            r.scores["claim_precision"] = round(sum(ok for _, ok, _, _ in checks) / len(checks), 4)
            r.details["answer_sentences"] = [{"sentence": s, "supported": ok, "score": round(sc, 4), "why": why}
                                             for s, ok, sc, why in checks]
            precision.append(r.scores["claim_precision"])
    return means({"claim_recall": recall, "claim_precision": precision, "contradiction_rate": contradicted})
