"""Claims from reference answers, the claim judge and its calibration, coverage, the baseline gate, review."""

import csv
import json

import pytest

from assistant.embeddings.fake import HashEmbedder
from assistant.errors import ConfigError, InputError
from eval import claims_calibration
from eval.claims import ClaimJudge, is_boilerplate, split_claims
from eval.coverage import CoverageFinder, load_topics
from eval.gates import check_baseline, load_baseline
from eval.keyfacts import KeyFactMatcher
from eval.results import ItemResult


# ------------------------------------------------------------------ splitting
def test_lists_split_into_one_claim_per_item_with_the_lead_in():
    got = [c.text for c in split_claims("Treatments include topical steroids, light therapy and tacrolimus.")]
    assert got == ["Treatments include topical steroids.", "Treatments include light therapy.",
                   "Treatments include tacrolimus."]
    bullets = [c.text for c in split_claims("Common triggers:\n- soap and detergents\n- heat\n- stress")]
    assert bullets == ["Common triggers: soap and detergents.", "Common triggers: heat.", "Common triggers: stress."]


def test_clauses_that_are_not_list_items_stay_whole():
    text = "No. Lichen planus is not an infection, so you cannot catch it or pass it on, including to a partner."
    assert [c.text for c in split_claims(text)] == [text]  # "No." says nothing checkable on its own... kept whole
    text = "It is used for BCCs on the face, ears, eyelids and lips, ones with unclear edges, and ones that came back."
    assert [c.text for c in split_claims(text)] == [text]
    assert split_claims("Yes. It can be.") == []


def test_boilerplate_is_marked_but_specific_advice_is_a_claim():
    assert is_boilerplate("Talk to your doctor about which treatment is right for you.")
    assert is_boilerplate("If you have any questions, ask your pharmacist.")
    assert not is_boilerplate("See a doctor urgently if you have a fever with the rash.")
    assert not is_boilerplate("Tell your doctor before you stop methotrexate.")
    marked = split_claims("Eczema is not contagious. Talk to your doctor about treatment options.")
    assert [c.boilerplate for c in marked] == [False, True]


# ------------------------------------------------------------------ judging (rules; the learned head is below)
def test_rules_judge_stated_missed_and_contradicted():
    judge = ClaimJudge(KeyFactMatcher(HashEmbedder()), head=None)
    assert judge.method == "rules"
    assert judge.judge("Eczema is not contagious.", "Eczema is not contagious [1]. Use cream daily.").verdict == "stated"
    flipped = judge.judge("Eczema is not contagious.", "Eczema is contagious [1].")
    assert flipped.verdict == "contradicted" and "opposite polarity" in flipped.why
    units = judge.judge("Keep the dressing on for 48 hours.", "Keep the dressing on for 48 minutes.")
    assert units.verdict == "contradicted" and units.why.startswith("antonym (") and "minut" in units.why
    assert judge.judge("Eczema is not contagious.", "Psoriasis plaques are thick and scaly.").verdict == "missed"


def test_the_shipped_head_is_bound_to_its_embedder_and_was_trained_on_the_current_training_data():
    from eval.claim_head import HEAD_FILE, data_hash, training_pairs

    # used with the embedder it was trained on; the hash-seeded test embedder gets the rules judge
    assert ClaimJudge(KeyFactMatcher(HashEmbedder())).method == "rules"
    shipped = json.loads(HEAD_FILE.read_text())
    assert shipped["embedder"] == "all-MiniLM-L6-v2"
    assert shipped["training_sha256"] == data_hash(training_pairs()), "re-train: python -m eval.claim_head"


# ------------------------------------------------------------------ calibration data
def test_calibration_set_is_large_split_and_covers_every_kind_of_pair():
    pairs = claims_calibration.load_pairs()
    assert len(pairs) >= 300 and len({p.id for p in pairs}) == len(pairs)
    assert all(p.split == claims_calibration.split_of(p.id) for p in pairs)  # the halves are fixed by the id
    for half in ("dev", "heldout"):
        labels = {p.label for p in pairs if p.split == half}
        assert labels == {"stated", "partial", "absent", "contradicted"}, half
        assert sum(p.split == half for p in pairs) >= 150
    kinds = {p.kind for p in pairs}
    assert {"paraphrase", "split", "list", "negation", "number", "unit", "antonym", "drug", "real-answer"} <= kinds
    files = sorted(claims_calibration.CALIBRATION_FILE.parent.glob("claim_training*.jsonl"))
    assert {f.name for f in files} >= {"claim_training.jsonl", "claim_training_real.jsonl",
                                       "claim_training_synthetic.jsonl"}
    training = [p for f in files for p in claims_calibration.load_pairs(f)]
    heldout = [p for p in pairs if p.split == "heldout"]
    assert len(training) >= 1600 and not {(p.claim, p.answer) for p in heldout} & {(p.claim, p.answer) for p in training}
    # the labelled real answers and the synthetic pairs share no claim and no real answer with the held-out half
    # (the older claim_training.jsonl has 3 common claims, "Methotrexate for psoriasis is taken once a week.",
    # against other answers)
    newer = [p for f in files if f.name != "claim_training.jsonl" for p in claims_calibration.load_pairs(f)]
    assert not {p.claim.strip().lower() for p in heldout} & {p.claim.strip().lower() for p in newer}
    held_answers = {p.answer.strip()[:200] for p in heldout if p.kind == "real-answer"}
    assert not held_answers & {p.answer.strip()[:200] for p in training if p.kind == "real-answer"}


@pytest.mark.slow
def test_agreement_with_hand_labels_on_the_held_out_half(minilm):
    """Measured 0.713 (stated vs not 0.767; contradictions: recall 0.485, precision 0.727) with the shipped head
    (0.683 before the token-alignment and claim-part features and the 1,420 new training pairs; 0.718 at their
    first measurement, with a stop-word list of the alignment's own); the goal of 0.85 is not reached (README). The
    head is deterministic, so these floors sit just under the measured figures."""
    from eval.keyfacts import EmbeddingCache

    embed = EmbeddingCache(minilm)
    from eval.claims import claim_matcher

    assert ClaimJudge(claim_matcher(embed)).method.startswith("learned head")  # the embedder it was trained on
    held = claims_calibration.agreement(claims_calibration.load_pairs(split="heldout"), embed)
    rules = claims_calibration.agreement(claims_calibration.load_pairs(split="heldout"), embed, head=None)
    print(f"held-out agreement: head {held.accuracy}, rules {rules.accuracy}; {held.confusion}")
    assert held.n >= 150 and held.accuracy >= 0.71 and held.stated_accuracy >= 0.76
    assert held.contradiction_recall >= 0.48 and held.contradiction_precision >= 0.70
    assert held.accuracy > rules.accuracy


# ------------------------------------------------------------------ coverage
KB_NAMES = {"acne": ("acne", "isotretinoin"), "psoriasis": ("psoriasis",), "sun-protection": ("sun protection",)}


def test_coverage_names_topics_longest_first_and_finds_uncovered_ones():
    topics = {"contact dermatitis": ("contact dermatitis",), "dermatitis": ("dermatitis",),
              "scabies": ("scabies", "seven-year itch"), "acne": ("acne", "pimples"), "psoriasis": ("psoriasis",)}
    finder = CoverageFinder(KB_NAMES, topics)
    cov = finder.find("Can you catch the seven-year itch?")
    assert cov.topics == ["scabies"] and cov.covered is False and cov.uncovered == ["scabies"]
    cov = finder.find("Do pimples and psoriasis go together?")
    assert cov.covered is True and set(cov.doc_ids) == {"acne", "psoriasis"}
    assert finder.find("What is contact dermatitis?").topics == ["contact dermatitis"]
    assert finder.find("How long does it last?").covered is None
    # no topic in the question: the reference answer's first sentence names it
    assert finder.find("Is it contagious?", "Scabies is caused by mites. It spreads by touch.").topics == ["scabies"]


def test_the_shipped_topic_list_loads_and_has_no_name_twice():
    topics = load_topics()
    names = [n for ns in topics.values() for n in ns]
    assert len(topics) >= 300 and len(names) == len(set(names))


# ------------------------------------------------------------------ baseline gate
def _summary(value, low=None, high=None, leaks=0.0, limit=40):
    return {"run": {"limit": limit}, "datasets": [{"name": "patient_qa", "run": 40}],
            "metrics": {"claim_recall": {"value": value, "low": low, "high": high, "n": 40},
                        "phi_leaks": {"value": leaks, "n": 36}, "latency_p50_total": {"value": 0.1, "n": 40}}}


def test_baseline_gate_fails_only_beyond_the_interval_and_ignores_latency():
    base = _summary(0.60, 0.50, 0.70)
    base["metrics"]["latency_p50_total"]["value"] = 0.01
    ok = {g.metric: g for g in check_baseline(_summary(0.52), base)}
    assert ok["claim_recall"].passed and ok["phi_leaks"].passed and "latency_p50_total" not in ok
    worse = {g.metric: g for g in check_baseline(_summary(0.49, leaks=1.0), base)}
    assert not worse["claim_recall"].passed and not worse["phi_leaks"].passed
    missing = _summary(0.6)
    del missing["metrics"]["claim_recall"]
    assert not {g.metric: g for g in check_baseline(missing, base)}["claim_recall"].passed
    with pytest.raises(ConfigError, match="same --dataset and --limit"):
        check_baseline(_summary(0.6, limit=8), base)


def test_load_baseline_says_what_is_wrong(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_baseline(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ConfigError, match="is not a summary.json"):
        load_baseline(tmp_path / "bad.json")
    (tmp_path / "summary.json").write_text(json.dumps(_summary(0.5)))
    assert load_baseline(tmp_path)["metrics"]["claim_recall"]["value"] == 0.5


def test_committed_gate_baseline_is_a_40_item_run_of_the_three_datasets():
    from tests.test_eval_gate import BASELINE

    base = load_baseline(BASELINE)
    runs = {d["name"]: d["run"] for d in base["datasets"]}
    assert base["run"]["limit"] == 40 and runs == {"patient_qa": 40, "safety": 40, "reports": 36}
    assert base["metrics"]["claim_recall"]["value"] > 0 and base["metrics"]["phi_leaks"]["value"] == 0


# ------------------------------------------------------------------ review CSV and labels
def _item():
    r = ItemResult(dataset="qa", kind="qa", id="q1", input={"question": "Is eczema contagious?"},
                   output={"status": "answered", "text": "Eczema is not contagious [1]."})
    r.details["claims"] = [{"claim": "Eczema is not contagious.", "verdict": "stated", "score": 0.9, "unit": ""},
                           {"claim": "It often starts in babies.", "verdict": "missed", "score": 0.2, "unit": ""}]
    r.details["faithfulness_all"] = [{"sentence": "Eczema is not contagious.", "supported": True}]
    return r


def test_review_csv_round_trip_measures_agreement(tmp_path):
    from eval.review import agreement, read_labels, write_review_csv

    path = tmp_path / "review.csv"
    write_review_csv(path, [_item()])
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    assert [(r["kind"], r["metric"]) for r in rows] == [("claim", "stated"), ("claim", "missed"),
                                                         ("sentence", "supported")]
    rows[0]["label"], rows[1]["label"] = "stated", "stated"  # the reviewer disagrees on the second claim
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    got = agreement(read_labels(path), [_item()], str(path))
    assert (got["n"], got["agree"], got["unmatched"]) == (2, 1, 0)
    assert got["disagreements"][0]["text"] == "It often starts in babies."


def test_bad_label_files_fail_with_the_line_and_the_allowed_labels(tmp_path):
    from eval.review import read_labels

    path = tmp_path / "labels.csv"
    path.write_text("id,kind,text,label\nq1,claim,Eczema is not contagious.,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2") as e:
        read_labels(path)
    assert "stated, missed or contradicted" in e.value.fix
    path.write_text("id,text\nq1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column kind, label"):
        read_labels(path)
    path.write_text("id,kind,text,label\nq1,claim,x,\n", encoding="utf-8")
    with pytest.raises(InputError, match="no filled 'label'"):
        read_labels(path)


def test_a_topic_mentioned_often_inside_another_document_is_covered():
    topics = {"isotretinoin": ("isotretinoin", "roaccutane"), "tattoo removal": ("tattoo removal",)}
    texts = {"acne": "Isotretinoin is a tablet. Isotretinoin needs blood tests. Roaccutane is its old name.",
             "psoriasis": "Tattoo removal is not covered here."}
    finder = CoverageFinder({"acne": ("acne",), "psoriasis": ("psoriasis",)}, topics, kb_texts=texts)
    assert finder.find("Is isotretinoin safe?").doc_ids == ["acne"]
    assert CoverageFinder({"acne": ("acne",)}, topics).find("Is isotretinoin safe?").covered is False
    assert finder.find("How does tattoo removal work?").covered is False  # one passing mention is not coverage


def test_only_a_contradiction_carries_a_veto_reason_from_the_head():
    from eval.claim_head import CLASSES

    class Always:  # a head that always says one thing
        def __init__(self, verdict):
            self.verdict = verdict

        def predict(self, x):
            return [self.verdict]

    m = KeyFactMatcher(HashEmbedder())
    for verdict in CLASSES:
        v = ClaimJudge(m, head=Always(verdict)).judge("Eczema is not contagious.", "Eczema is contagious [1].")
        assert v.verdict == verdict and (v.why.startswith("opposite polarity") if verdict == "contradicted"
                                         else v.why == "")
