"""Sentence support scoring (assistant.guard.support) and its calibration on tests/data/support_calibration.jsonl."""

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from assistant.guard import support
from assistant.guard.answer import AnswerGuard, Evidence
from assistant.embeddings import get_embedder
from assistant.guard.support import SupportScorer, calibrate_thresholds, content_words

DATA = Path(__file__).parent / "data" / "support_calibration.jsonl"
# The kinds whose label the support score alone decides (the others are numbers, medicines, diagnoses and
# negation flips, which the guard's other checks catch).
SUPPORT_KINDS = {"verbatim", "paraphrase", "merge", "topical", "filler", "injection", "smollm"}


class CountingEmbedder:
    def __init__(self):
        self.inner = get_embedder("fake")
        self.dim = self.inner.dim
        self.calls: list[int] = []

    def embed(self, texts, *, kind="document"):
        self.calls.append(len(texts))
        return self.inner.embed(texts, kind=kind)


def test_content_words_drop_function_words_and_stem():
    assert content_words("The creams are not working for my eczema") == {"cream", "work", "eczema"}
    assert content_words("") == set() and content_words("and the of 12") == set()


def test_scorer_picks_the_supporting_passage():
    scorer = SupportScorer(get_embedder("fake"))
    passages = ["The tax office sets deadlines in April.", "Psoriasis is not contagious. It runs in families."]
    ok, bad = scorer.score(["Psoriasis is not contagious.", "Bananas grow on tall plants."], passages)
    assert ok.supported and ok.passage == 2 and ok.similarity > 0.99 and ok.overlap == 1.0
    assert ok.evidence == "Psoriasis is not contagious."
    assert not bad.supported and bad.overlap == 0.0
    assert scorer.score([], passages) == []
    assert not scorer.score(["Anything at all."], [])[0].supported


def test_evidence_units_include_consecutive_pairs():
    units = SupportScorer.evidence_units(["One a. Two b. Three c.", "Four d."])
    assert [u[:2] for u in units] == [(1, "One a."), (1, "Two b."), (1, "Three c."), (1, "One a. Two b."),
                                      (1, "Two b. Three c."), (2, "Four d.")]
    assert units[3][2] == ("One a.", "Two b.")


def test_pairs_are_scored_with_summed_sentence_vectors():
    scorer = SupportScorer(get_embedder("fake"))
    units = scorer.evidence_units(["Eczema is itchy. It is not contagious."])
    vecs = scorer.unit_vectors(units)
    a, b = scorer.embed(["Eczema is itchy.", "It is not contagious."])
    expected = (a + b) / np.linalg.norm(a + b)
    assert np.allclose(vecs[2], expected, atol=1e-6) and np.allclose(vecs[0], a, atol=1e-6)


def test_embeddings_are_cached_between_calls():
    emb = CountingEmbedder()
    scorer = SupportScorer(emb)
    passages = ["Psoriasis is not contagious. It runs in families."]
    scorer.score(["Psoriasis is not contagious."], passages)
    scorer.score(["Psoriasis runs in families."], passages)
    assert emb.calls == [1, 1, 1]  # each sentence once: the checked one, the new evidence one, the next checked one


def test_calibrate_thresholds_finds_the_separating_pair():
    sims = [0.95, 0.9, 0.85, 0.6, 0.5, 0.88]
    overlaps = [1.0, 0.8, 0.9, 0.9, 0.1, 0.2]
    labels = [True, True, True, False, False, False]
    best = calibrate_thresholds(sims, overlaps, labels, max_false_accept=0.0)
    assert best["recall"] == 1.0 and best["false_accept"] == 0.0
    accept = (np.array(sims) >= best["min_similarity"]) & (np.array(overlaps) >= best["min_overlap"])
    assert accept.tolist() == labels
    with pytest.raises(ValueError):
        calibrate_thresholds([0.99], [1.0], [False], max_false_accept=0.0)


def _labelled(scorer):
    rows = []
    for group in map(json.loads, DATA.read_text(encoding="utf-8").splitlines()):
        scores = scorer.score([s["text"] for s in group["sentences"]], group["evidence"])
        rows += [(group, s, sc) for s, sc in zip(group["sentences"], scores)]
    return rows


def test_calibration_set_is_well_formed():
    groups = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    items = [s for g in groups for s in g["sentences"]]
    assert len(groups) >= 15 and len(items) >= 200
    assert {s["label"] for s in items} == {"supported", "unsupported"}
    assert all(len(g["evidence"]) >= 2 for g in groups)
    counts = Counter(s["label"] for s in items)
    assert min(counts.values()) / max(counts.values()) > 0.6  # roughly balanced


@pytest.mark.slow
def test_shipped_thresholds_hold_on_the_calibration_set(minilm):
    """The thresholds in assistant/guard/support.py are the calibrated ones: at most 5% of unsupported sentences
    accepted, and recall within 3 points of the best any threshold pair reaches under that limit."""
    rows = [r for r in _labelled(SupportScorer(minilm)) if r[1]["kind"] in SUPPORT_KINDS]
    labels = np.array([s["label"] == "supported" for _, s, _ in rows])
    accepted = np.array([sc.supported for *_, sc in rows])
    false_accept = accepted[~labels].mean()
    recall = accepted[labels].mean()
    best = calibrate_thresholds([sc.similarity for *_, sc in rows], [sc.overlap for *_, sc in rows], labels, 0.05)
    print(f"\nshipped: sim>={support.MIN_SIMILARITY} overlap>={support.MIN_OVERLAP}: recall {recall:.3f}, "
          f"false accept {false_accept:.3f} (n={len(rows)}); best on the grid: {best}")
    assert false_accept <= 0.05
    assert recall >= best["recall"] - 0.03 and recall >= 0.8


@pytest.mark.slow
def test_full_sentence_guard_on_the_calibration_set(minilm):
    """All checks together: nearly no unsupported sentence gets through; invented numbers, medicines,
    diagnoses, filler and injected instructions never do; most supported sentences are kept."""
    guard = AnswerGuard(SupportScorer(minilm))
    outcome: dict[str, Counter] = {}
    for group in map(json.loads, DATA.read_text(encoding="utf-8").splitlines()):
        checked = guard.check_sentences([s["text"] for s in group["sentences"]], Evidence(group["evidence"]))
        for s, c in zip(group["sentences"], checked):
            outcome.setdefault(s["kind"], Counter())[(s["label"], c.reason is None)] += 1
    total = sum(outcome.values(), Counter())
    unsupported_kept = total[("unsupported", True)] / (total[("unsupported", True)] + total[("unsupported", False)])
    supported_kept = total[("supported", True)] / (total[("supported", True)] + total[("supported", False)])
    print(f"\nunsupported kept {unsupported_kept:.3f}, supported kept {supported_kept:.3f}; "
          + "; ".join(f"{k}: {dict(v)}" for k, v in sorted(outcome.items())))
    assert unsupported_kept <= 0.05
    assert supported_kept >= 0.75
    for kind in ("number", "drug", "diagnosis", "filler", "injection", "smollm"):
        assert outcome[kind][("unsupported", True)] == 0, kind
