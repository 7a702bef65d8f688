"""Claim-judge features finer than one vector per sentence.

- Token alignment (BERTScore-style, over the shipped MiniLM's contextual word pieces): each content piece of
  the claim is matched to its most similar piece in the answer's best units. A claim whose pieces all find a
  close partner is stated; one with a run of unmatched pieces (an item, a number, the advice) is partial.
- Claim parts: a claim split at commas, "and", "or", "but", "if", "such as" ...; each part's best match in the
  answer. The weakest part's score is low when the answer says one half of the claim only.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.text.stopwords import STOP_WORDS

from . import text as tx
from .keyfacts import EmbeddingCache, lexical

_PART_SPLIT = re.compile(
    r";\s*|,\s*(?:and|or|but|so|because|while)\s+|,\s+|\s+(?:and|or|but|because|while|unless|if|when|although|"
    r"such as|including|like)\s+", re.I)
ALIGN_FEATURES = ("tok_mean", "tok_min", "tok_p20", "tok_below_50", "tok_below_60", "tok_below_70", "tok_precision")
PART_FEATURES = ("part_min", "part_mean", "part_lex_min", "part_cos_min", "parts")


def _content(pieces: list[str], vecs: np.ndarray) -> np.ndarray:
    # function words carry little of a claim's content (the shared list keeps negations and quantifiers)
    keep = [i for i, p in enumerate(pieces) if re.search(r"[a-z0-9]", p) and p.lstrip("#") not in STOP_WORDS]
    return vecs[keep] if keep else vecs[:0]


def alignment(claim: str, units: list[str], cache: EmbeddingCache) -> list[float]:
    """ALIGN_FEATURES for the claim against the given answer units (their sentences' pieces pooled)."""
    sents = list(dict.fromkeys(s for u in units for s in tx.sentences(u)))
    toks = cache.tokens([claim, *sents])
    c = _content(*toks[0])
    pool = np.concatenate([_content(*t) for t in toks[1:]]) if len(toks) > 1 else c[:0]
    if not len(c) or not len(pool):
        return [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0]
    sims = c @ pool.T
    recall = sims.max(axis=1)
    return [float(recall.mean()), float(recall.min()), float(np.percentile(recall, 20)),
            float((recall < 0.5).mean()), float((recall < 0.6).mean()), float((recall < 0.7).mean()),
            float(sims.max(axis=0).mean())]


def claim_parts(claim: str) -> list[str]:
    parts = [p.strip(" .") for p in _PART_SPLIT.split(claim)]
    parts = [p for p in parts if tx.content_stems(p)]
    return parts if len(parts) > 1 else [claim]


def part_scores(claim: str, answer: str, cache: EmbeddingCache, semantic_weight: float) -> list[float]:
    """PART_FEATURES: each part of the claim against its best answer sentence."""
    parts, sents = claim_parts(claim), tx.sentences(answer)
    if not sents:
        return [0.0, 0.0, 0.0, 0.0, float(len(parts))]
    cos = (cache(parts) @ cache(sents).T).max(axis=1)
    lex = np.array([max(lexical(p, s) for s in sents) for p in parts])
    combined = semantic_weight * cos + (1 - semantic_weight) * lex
    return [float(combined.min()), float(combined.mean()), float(lex.min()), float(cos.min()), float(len(parts))]
