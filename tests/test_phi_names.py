"""The learned name tagger (assistant.phi_names) and its training (assistant.phi_training): real MiniLM, real head."""

import json

import numpy as np
import pytest

from assistant.phi import find_phi, redact
from assistant.phi_names import NameHead, candidate_words, load_head, name_spans, word_features
from tests.conftest import REPO

KB = REPO / "knowledge_base"

# Names with no field label, title, signature or relation word before them: the rules leave them; the head reads
# them from context. None of these sentences is in the training documents or the eval PHI sets.
UNCUED = [
    ("Forwarding this for Thandiwe Mokoena-Dlamini, who saw the GP last week about the mole on her shin.",
     "Thandiwe Mokoena-Dlamini"),
    ("The biopsy was reviewed at the meeting and Oluwaseun Adebayo-Okafor will be booked for wide local excision.",
     "Oluwaseun Adebayo-Okafor"),
]

# Capitalised words that are not people: eponyms, brands, hospitals.
NOT_NAMES = ("Breslow thickness 1.2 mm, Clark level IV. Spitz naevus excluded. Merkel cell carcinoma not seen. "
             "Mohs surgery at St Thomas' Hospital; Koebner phenomenon noted. Seen at Groote Schuur Hospital, treated "
             "with Dupixent. Wood's lamp examination negative. Nikolsky sign negative. Kaposi sarcoma unlikely.")


def test_shipped_head_is_trained_on_the_current_training_documents():
    from assistant.phi_training import data_hash

    head = load_head()
    assert head is not None, "assistant/name_head.npz is missing: run `dermassist deid train`"
    assert head.data_hash == data_hash(KB), "name head is stale: run `dermassist deid train`"
    assert head.meta["names"] > 3000 and len(head.meta["writers"]) >= 6


@pytest.mark.parametrize("text,name", UNCUED)
def test_a_name_with_no_cue_is_removed_by_the_head_and_not_by_the_rules(text, name):
    start = text.index(name)
    rules = find_phi(text, learned=False)
    assert not any(s.start <= start < s.end for s in rules)  # the rules alone leave it
    red = redact(text)
    assert name not in red.text and "[NAME]" in red.text
    assert [(s.start, s.end, s.kind) for s in red.spans] == [(start, start + len(name), "NAME")]


def test_eponyms_brands_and_hospitals_are_kept():
    assert find_phi(NOT_NAMES) == []


def test_a_name_found_by_the_head_is_removed_where_it_appears_again():
    text = ("Forwarding this for Thandiwe Mokoena-Dlamini, who saw the GP last week about the mole on her shin. "
            "MOKOENA-DLAMINI asked for a copy.")
    red = redact(text).text
    assert "Mokoena" not in red and "MOKOENA" not in red


def test_candidates_are_capitalised_words_of_two_letters_or_more():
    words = [w.text for w in candidate_words("Seen by Ama O. Owusu-Ansah in clinic; pT1a, A1, SOX10 and éclair")]
    assert words == ["Seen", "Ama", "Owusu-Ansah", "SOX"]


@pytest.fixture
def fixed(monkeypatch):
    """A head that reads the given words as names (so the span-building can be checked word by word)."""

    def make(names):
        monkeypatch.setattr("assistant.phi_names.word_features",
                            lambda text, words: np.array([[float(w.text in names)] for w in words]))
        head = NameHead(np.zeros(1), np.ones(1), [(np.ones((1, 1)) * 60, np.ones(1) * -30)], threshold=0.5,
                        single_threshold=1.01)
        return head

    return make


def test_particles_and_initials_join_the_name_and_one_word_alone_is_not_enough(fixed):
    text = "Reported to J.H. van der Berg and Tomás by phone."
    assert name_spans(text, fixed({"Berg", "Tomás"})) == []  # "Berg" and "Tomás" are each one word alone
    text = "Reported to Pieter van der Berg by phone; Koos du Preez-Sithole K was told."
    spans = [text[s:e] for s, e in name_spans(text, fixed({"Pieter", "Berg", "Koos", "Preez-Sithole"}))]
    assert spans == ["Pieter van der Berg", "Koos du Preez-Sithole K"]


def test_words_inside_a_facility_name_are_not_read_as_a_person(fixed):
    text = "Admitted to St Joseph Mercy Hospital; seen on Florence Nightingale Ward by Anna Berg."
    head = fixed({"Joseph", "Mercy", "Florence", "Nightingale", "Anna", "Berg"})
    assert [text[s:e] for s, e in name_spans(text, head)] == ["Anna Berg"]


def test_word_features_are_one_row_per_word_and_depend_on_context():
    a = "Call from Kofi Mensah about the biopsy."
    b = "Kofi Mensah: invasive melanoma, Breslow 1.1 mm."
    fa = word_features(a, candidate_words(a))
    fb = word_features(b, candidate_words(b))
    assert fa.shape == (3, 384 * 2 + 11)
    kofi_a, kofi_b = fa[1], fb[0]
    assert np.allclose(kofi_a[384:768], kofi_b[384:768])  # the word alone: same
    assert not np.allclose(kofi_a[:384], kofi_b[:384])  # in context: different


def test_training_on_a_small_set_writes_a_head_that_loads(tmp_path):
    from assistant.phi_training import train

    folder = tmp_path / "phi" / "training"
    folder.mkdir(parents=True)
    docs = [{"id": f"x{i}", "text": f"Letter copied to {first} {last} about the Breslow thickness at St Mary's Hospital.",
             "phi": [{"text": f"{first} {last}", "type": "name"}]}
            for i, (first, last) in enumerate([("Ama", "Owusu"), ("Lars", "Berg"), ("Wei", "Chen"), ("Ana", "Silva")])]
    (folder / "w.jsonl").write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    out = tmp_path / "head.npz"
    head = train(tmp_path, out, log=lambda *a: None)
    again = NameHead.load(out)
    assert again.meta["names"] == 8 and again.data_hash == head.data_hash
    text = "Letter copied to Ngozi Eze about the Breslow thickness."
    words = candidate_words(text)
    assert np.allclose(again.proba(word_features(text, words)), head.proba(word_features(text, words)))


def test_training_data_with_a_label_not_in_its_text_is_refused_with_a_fix(tmp_path):
    from assistant.errors import InputError
    from assistant.phi_training import load_documents

    folder = tmp_path / "phi" / "training"
    folder.mkdir(parents=True)
    (folder / "w.jsonl").write_text(json.dumps({"id": "a", "text": "Seen by Ama.", "phi": [
        {"text": "Kofi", "type": "name"}]}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_documents(tmp_path)
    assert "w.jsonl:1" in e.value.message and "exact substrings" in e.value.fix


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1))}


def _copied(text: str, others: list[set]) -> float:
    """The largest share of ``text``'s 5-word runs found in any one of ``others``."""
    mine = _shingles(text)
    return max((len(mine & o) / len(mine) for o in others), default=0.0)


def test_training_documents_are_not_copies_of_the_eval_phi_sets():
    evals = [_shingles(json.loads(line)["text"]) for f in sorted((REPO / "eval" / "datasets").glob("phi_blind*.jsonl"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(evals) >= 7 * 50
    worst = 0.0
    for f in sorted((KB / "phi" / "training").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            worst = max(worst, _copied(json.loads(line)["text"], evals))
    assert worst < 0.3
    # the check itself: a training document pasted from an eval set, with names changed, is caught
    pasted = json.loads((REPO / "eval" / "datasets" / "phi_blind1.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text = pasted["text"]
    for p in pasted["phi"]:
        text = text.replace(p["text"], "Someone")
    assert _copied(text, evals) > 0.5
