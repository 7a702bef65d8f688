"""Calibrating and checking the claim judge on hand-labelled (claim, answer) pairs.

``eval/datasets/claim_calibration.jsonl`` holds pairs written and labelled by people who never saw this code:
synthetic pairs per topic (paraphrases, split and listed statements, partial matches, same-topic absences,
contradictions of every kind) and claims from reference answers against the assistant's real answers. Labels
are ``stated``, ``partial``, ``absent`` or ``contradicted``; the judge's three verdicts compare as stated /
missed (partial or absent) / contradicted. Each pair belongs to the development or the held-out half
(``split``, fixed by a hash of its id): constants are chosen on the development half only, and agreement is
reported on the held-out half.

    python -m eval.claims_calibration            # agreement of the shipped constants on both halves
    python -m eval.claims_calibration --search   # what the development half would choose
"""

from __future__ import annotations

import hashlib
from itertools import product
from pathlib import Path
from typing import Literal, Sequence

import numpy as np
from pydantic import BaseModel

from . import claims
from .keyfacts import EmbeddingCache, KeyFactMatcher

CALIBRATION_FILE = Path(__file__).resolve().parent / "datasets" / "claim_calibration.jsonl"
VERDICT = {"stated": "stated", "partial": "missed", "absent": "missed", "contradicted": "contradicted"}


class ClaimPair(BaseModel):
    id: str
    claim: str
    answer: str
    label: Literal["stated", "partial", "absent", "contradicted"]
    kind: str = ""
    note: str = ""
    split: Literal["dev", "heldout"]


def split_of(pair_id: str) -> str:
    return "heldout" if int(hashlib.sha256(pair_id.encode()).hexdigest()[:8], 16) % 2 else "dev"


def load_pairs(path: Path = CALIBRATION_FILE, split: str | None = None) -> list[ClaimPair]:
    from .datasets import read_jsonl_models

    pairs = read_jsonl_models(path, ClaimPair)
    return [p for p in pairs if split is None or p.split == split]


class Agreement(BaseModel):
    n: int
    accuracy: float  # three verdicts
    stated_accuracy: float  # stated vs not
    contradiction_precision: float | None
    contradiction_recall: float | None
    confusion: dict[str, dict[str, int]]  # label -> verdict -> count
    errors: list[str]


def _rows(pairs: Sequence[ClaimPair], matcher: KeyFactMatcher):
    matcher.prefetch([([p.claim], p.answer) for p in pairs])
    return [matcher.scores(p.claim, p.answer) for p in pairs]


def _verdicts(pairs, rows, judge: claims.ClaimJudge) -> list[str]:
    return [judge.verdict(p.claim, p.answer, r).verdict if r else "missed" for p, r in zip(pairs, rows)]


def agreement(pairs: Sequence[ClaimPair], embed: EmbeddingCache, *, threshold: float = claims.CLAIM_THRESHOLD,
              semantic_weight: float = claims.CLAIM_SEMANTIC_WEIGHT,
              contradiction_min: float = claims.CONTRADICTION_MIN, rows=None, head="shipped") -> Agreement:
    """Agreement of the judge with the hand labels (``head=None``: the rules alone)."""
    matcher = KeyFactMatcher(embed, threshold=threshold, semantic_weight=semantic_weight)
    rows = rows if rows is not None else _rows(pairs, matcher)
    got = _verdicts(pairs, rows, claims.ClaimJudge(matcher, contradiction_min, head=head))
    want = [VERDICT[p.label] for p in pairs]
    confusion: dict[str, dict[str, int]] = {}
    for p, g in zip(pairs, got):
        confusion.setdefault(p.label, {}).setdefault(g, 0)
        confusion[p.label][g] += 1
    pred_c = sum(g == "contradicted" for g in got)
    true_c = sum(w == "contradicted" for w in want)
    both_c = sum(g == w == "contradicted" for g, w in zip(got, want))
    return Agreement(
        n=len(pairs), accuracy=round(float(np.mean([g == w for g, w in zip(got, want)])), 4),
        stated_accuracy=round(float(np.mean([(g == "stated") == (w == "stated") for g, w in zip(got, want)])), 4),
        contradiction_precision=round(both_c / pred_c, 4) if pred_c else None,
        contradiction_recall=round(both_c / true_c, 4) if true_c else None,
        confusion=confusion,
        errors=[f"{p.id} ({p.kind}): labelled {p.label}, judged {g}" for p, g, w in zip(pairs, got, want) if g != w])


def search(pairs: Sequence[ClaimPair], embed: EmbeddingCache, weights=(0.5, 0.6, 0.7)) -> dict:
    """The constants with the best three-verdict accuracy on ``pairs`` (ties: closest to the shipped ones)."""
    best = None
    for w in weights:
        matcher = KeyFactMatcher(embed, semantic_weight=w)
        rows = _rows(pairs, matcher)
        for t, c in product(np.round(np.arange(0.45, 0.80, 0.01), 3), np.round(np.arange(0.40, 0.90, 0.02), 3)):
            acc = agreement(pairs, embed, threshold=float(t), semantic_weight=w, contradiction_min=float(c),
                            rows=rows, head=None).accuracy
            key = (acc, -abs(w - claims.CLAIM_SEMANTIC_WEIGHT) - abs(t - claims.CLAIM_THRESHOLD)
                   - abs(c - claims.CONTRADICTION_MIN))
            if best is None or key > best[0]:
                best = (key, {"threshold": float(t), "semantic_weight": w, "contradiction_min": float(c),
                              "accuracy": acc})
    return best[1]


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.config import Settings
    from assistant.embeddings import get_embedder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--search", action="store_true", help="grid-search the constants on the development half")
    ap.add_argument("--errors", action="store_true", help="list the disagreements")
    args = ap.parse_args(argv)
    embed = EmbeddingCache(get_embedder(Settings().embedder))
    if args.search:
        print("development half would choose:", search(load_pairs(split="dev"), embed))
    for split in ("dev", "heldout"):
        a = agreement(load_pairs(split=split), embed)
        print(f"{split}: n={a.n} agreement {a.accuracy:.3f} (stated vs not {a.stated_accuracy:.3f}; contradiction "
              f"precision {a.contradiction_precision}, recall {a.contradiction_recall})")
        print("  confusion (label -> verdict):", a.confusion)
        if args.errors:
            print("  " + "\n  ".join(a.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
