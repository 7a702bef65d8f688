"""The key-fact matcher and its hand-labelled calibration set (eval/datasets/keyfact_calibration.jsonl)."""

import pytest

from assistant.embeddings.fake import HashEmbedder
from eval import keyfacts
from eval.keyfacts import CalibrationPair, KeyFactMatcher, calibrate, load_calibration


def test_calibration_set_is_valid_balanced_and_covers_the_hard_cases():
    pairs = load_calibration()
    assert len(pairs) >= 100 and len({p.id for p in pairs}) == len(pairs)
    positives = sum(p.label for p in pairs)
    assert 0.3 <= positives / len(pairs) <= 0.7
    kinds = {p.kind for p in pairs}
    assert {"verbatim", "paraphrase", "contradiction", "number", "other-subject", "abstention",
            "real-answer"} <= kinds
    assert all(not p.label for p in pairs if p.kind in ("contradiction", "number", "abstention", "unrelated"))


def test_calibrate_picks_a_separating_threshold_on_known_scores():
    # with the hash embedder equal texts score 1 and unrelated texts score low: any threshold in between works
    pairs = [CalibrationPair(id=f"p{i}", fact=f, answer=a, label=lab) for i, (f, a, lab) in enumerate([
        ("Eczema is not contagious.", "Eczema is not contagious.", True),
        ("Psoriasis runs in families.", "Psoriasis runs in families.", True),
        ("Eczema is not contagious.", "Banana bread needs ripe bananas.", False),
        ("Psoriasis runs in families.", "The clinic opens at nine.", False),
    ])]
    result = calibrate(pairs, HashEmbedder())
    assert result.accuracy == 1.0 and result.errors == []
    matcher = KeyFactMatcher(HashEmbedder(), threshold=result.threshold, semantic_weight=result.semantic_weight)
    assert [matcher.match(p.fact, p.answer).matched for p in pairs] == [p.label for p in pairs]


def test_polarity_veto_keeps_mixed_facts_and_catches_flips():
    m = KeyFactMatcher(HashEmbedder())
    fact = "Methotrexate is taken once a week, not every day."
    assert m.match(fact, "Methotrexate is taken once a week, on the same day each week, not every day.").matched
    flipped = m.match(fact, "Methotrexate is taken every day with food.")
    assert not flipped.matched and flipped.veto.startswith("antonym (week / day)")  # "once a week" vs "every day"
    negated = m.match("Eczema is not contagious.", "Eczema is contagious.")
    assert not negated.matched and "opposite polarity" in negated.veto
    assert m.match("It does not spread by touch, hugs or sharing towels.",
                   "It does not spread by touch, hugs or sharing towels with others.").matched


@pytest.mark.slow
def test_shipped_threshold_is_the_calibrated_one_and_accurate(minilm):
    """Re-run the calibration with the bundled MiniLM: the shipped constants must still be what it picks."""
    pairs = load_calibration()
    result = calibrate(pairs, minilm)
    assert result.semantic_weight == keyfacts.SEMANTIC_WEIGHT
    assert result.threshold == pytest.approx(keyfacts.THRESHOLD, abs=0.03)
    assert result.accuracy >= 0.9 and result.precision >= 0.85 and result.recall >= 0.85
    print(f"key-fact matcher on {result.n} hand-labelled pairs: accuracy {result.accuracy}, precision "
          f"{result.precision}, recall {result.recall}, threshold {result.threshold}")
