"""A small learned head that decides stated / missed / contradicted for a (claim, answer) pair.

Features come from the key-fact matcher over the shipped MiniLM (``KeyFactMatcher.scores``: every answer
sentence and neighbouring pair, with cosine, weighted word overlap and the veto the rules found) plus a few
whole-answer ones (word and number coverage, other numbers, other subjects). A multinomial logistic
regression over them is trained on hand-labelled pairs that are NOT the held-out half of
``claim_calibration.jsonl``: the development half, ``claim_training.jsonl`` and the older
``keyfact_calibration.jsonl`` (yes/no labels; its contradiction and number pairs count as contradicted).
Weights live in ``eval/data/claim_head.json`` with the hash of the training data; ``python -m eval.claim_head``
re-trains them and prints agreement on the held-out half.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Sequence

import numpy as np

from . import text as tx
from .alignment import ALIGN_FEATURES, PART_FEATURES, alignment, part_scores
from .keyfacts import KeyFactMatcher, lexical

HEAD_FILE = Path(__file__).resolve().parent / "data" / "claim_head.json"
CLASSES = ("stated", "missed", "contradicted")
VETOES = ("opposite polarity", "different numbers", "different subject", "antonym", "different site")
FEATURES = ("best_combined", "best_cos", "best_lex", "top_cos", "top_lex", *(f"veto_{v}" for v in VETOES),
            "best_clean", "veto_gap", "answer_coverage", "claim_has_numbers", "numbers_found", "other_numbers",
            "subject_missing", "claim_words", "hedge_gap", *ALIGN_FEATURES, *PART_FEATURES)
TOP_UNITS = 3  # the answer units (by score, vetoes ignored) whose word pieces the claim's pieces are aligned to
_HEDGES = frozenset("may might can could sometimes some often usually possible possibly".split())


def features(claim: str, answer: str, matcher: KeyFactMatcher, rows=None) -> np.ndarray:
    rows = rows if rows is not None else matcher.scores(claim, answer)
    if not rows:
        return np.zeros(len(FEATURES))
    raw = [(matcher.semantic_weight * c + (1 - matcher.semantic_weight) * lx, c, lx, v, u) for u, c, lx, v in rows]
    top = max(raw, key=lambda r: r[0])
    units = [r[4] for r in sorted(raw, key=lambda r: -r[0])[:TOP_UNITS]]
    clean = [r[0] for r in raw if not r[3]]
    claim_nums, answer_nums = tx.numbers(claim), tx.numbers(answer)
    claim_subj, answer_subj = tx.subjects(claim), tx.subjects(answer)
    claim_hedged = bool(_HEDGES & set(tx.tokens(claim)))
    unit_hedged = bool(_HEDGES & set(tx.tokens(top[4])))
    return np.array([
        top[0], max(r[1] for r in raw), max(r[2] for r in raw), top[1], top[2],
        *(float(bool(top[3]) and top[3].startswith(v)) for v in VETOES),
        max(clean, default=0.0), top[0] - max(clean, default=0.0), lexical(claim, answer),
        float(bool(claim_nums)), float(bool(claim_nums) and claim_nums <= answer_nums),
        float(bool(claim_nums) and bool(answer_nums - claim_nums) and not claim_nums <= answer_nums),
        float(bool(claim_subj) and not claim_subj & answer_subj), math.log1p(len(tx.content_stems(claim))),
        float(unit_hedged and not claim_hedged) - float(claim_hedged and not unit_hedged),
        *alignment(claim, units, matcher.embed), *part_scores(claim, answer, matcher.embed, matcher.semantic_weight),
    ], dtype=np.float64)


def prefetch_tokens(matcher: KeyFactMatcher, pairs) -> None:
    """Word-piece vectors of the claims and answer sentences of many (claims, answer) pairs in one batch."""
    texts = [t for claims, answer in pairs for t in [*claims, *tx.sentences(answer)]]
    matcher.embed.tokens(list(dict.fromkeys(texts)))


class ClaimHead:
    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 embedder: str = "") -> None:
        self.mean, self.scale, self.coef, self.intercept = mean, scale, coef, intercept
        self.embedder = embedder  # the embedder whose similarities and word-piece vectors it was trained on

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, x: np.ndarray) -> list[str]:
        return [CLASSES[i] for i in self.probabilities(x).argmax(axis=1)]

    def to_json(self, data_hash: str) -> dict:
        return {"classes": list(CLASSES), "features": list(FEATURES), "training_sha256": data_hash,
                "embedder": self.embedder,
                "mean": self.mean.round(8).tolist(), "scale": self.scale.round(8).tolist(),
                "coef": self.coef.round(8).tolist(), "intercept": self.intercept.round(8).tolist()}


def load_head(path: Path = HEAD_FILE) -> ClaimHead:
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES or tuple(data["classes"]) != CLASSES:
        raise RuntimeError(f"{path} was trained for other features; run python -m eval.claim_head to re-train it.")
    return ClaimHead(*(np.array(data[k], dtype=np.float64) for k in ("mean", "scale", "coef", "intercept")),
                     embedder=data.get("embedder", ""))


def training_pairs() -> list[tuple[str, str, str]]:
    """(claim, answer, verdict) for training: everything labelled except the held-out half."""
    from .claims_calibration import CALIBRATION_FILE, VERDICT, load_pairs
    from .keyfacts import load_calibration

    out = [(p.claim, p.answer, VERDICT[p.label]) for p in load_pairs(split="dev")]
    for extra in sorted(CALIBRATION_FILE.parent.glob("claim_training*.jsonl")):
        out += [(p.claim, p.answer, VERDICT[p.label]) for p in load_pairs(extra)]
    for p in load_calibration():
        verdict = "stated" if p.label else ("contradicted" if p.kind in ("contradiction", "number") else "missed")
        out.append((p.fact, p.answer, verdict))
    return out


def data_hash(pairs: Sequence[tuple[str, str, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(pairs)).encode()).hexdigest()


def train(pairs: Sequence[tuple[str, str, str]], matcher: KeyFactMatcher, c: float = 1.0) -> ClaimHead:
    from sklearn.linear_model import LogisticRegression

    matcher.prefetch([([a], b) for a, b, _ in pairs])
    prefetch_tokens(matcher, [([a], b) for a, b, _ in pairs])
    x = np.stack([features(a, b, matcher) for a, b, _ in pairs])
    y = np.array([CLASSES.index(v) for _, _, v in pairs])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    # no class weighting: weighting contradicted up (13% of the training pairs) turned more stated and missed
    # pairs into false contradictions than it caught (5-fold CV on the training pairs: 0.695 unweighted, 0.658
    # balanced)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return ClaimHead(mean, scale, model.coef_, model.intercept_, embedder=getattr(matcher.embed.embedder, "name", ""))


def main() -> int:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.config import Settings
    from assistant.embeddings import get_embedder

    from .claims import claim_matcher
    from .claims_calibration import agreement, load_pairs
    from .keyfacts import EmbeddingCache

    embed = EmbeddingCache(get_embedder(Settings().embedder))
    pairs = training_pairs()
    head = train(pairs, claim_matcher(embed))
    HEAD_FILE.parent.mkdir(parents=True, exist_ok=True)
    HEAD_FILE.write_text(json.dumps(head.to_json(data_hash(pairs)), indent=1) + "\n", encoding="utf-8")
    print(f"trained on {len(pairs)} pairs -> {HEAD_FILE}")
    for split in ("dev", "heldout"):
        a = agreement(load_pairs(split=split), embed, head=head)
        print(f"{split}: n={a.n} agreement {a.accuracy:.3f} (stated vs not {a.stated_accuracy:.3f}; contradiction "
              f"precision {a.contradiction_precision}, recall {a.contradiction_recall})  {a.confusion}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
