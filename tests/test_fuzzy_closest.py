"""The abstention vocabulary's fuzzy word match (rapidfuzz) chooses as difflib.get_close_matches(n=1) does."""

import difflib
import random

from assistant.vocabulary import closest


def test_closest_agrees_with_difflib_and_breaks_ties_the_same_way():
    words = ["psoriasis", "eczema", "dermatitis", "isotretinoin", "methotrexate", "moisturiser", "ringworm",
             "melanoma", "vitiligo", "rosacea", "scabies", "impetigo", "urticaria", "hidradenitis"]
    vocab = words + ["psoriatic", "dermatology", "melanocyte", "moisturizer", "impetiginous"]
    rng = random.Random(7)
    for w in words:
        for _ in range(20):
            i = rng.randrange(len(w))
            typo = w[:i] + w[i + 1:] if rng.random() < 0.5 else w[:i] + rng.choice("aeiouxyz") + w[i:]
            for cutoff in (0.84, 0.88):
                expected = (difflib.get_close_matches(typo, vocab, n=1, cutoff=cutoff) or [None])[0]
                assert closest(typo, vocab, cutoff) == expected, (typo, cutoff)
    # a tie (same score) goes to the alphabetically last word, whatever the candidates' order
    assert closest("abcx", ["abcd", "abce"], 0.5) == closest("abcx", ["abce", "abcd"], 0.5) == "abce"
    assert closest("zzzzz", vocab, 0.84) is None
