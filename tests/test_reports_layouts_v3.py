"""Layouts found by the reports_blind3 writers (diagnosis first with the letterhead after it, RCPath and CAP
datasets whose heading the parser did not know, item labels with commas or part numbers), and the development
figures on the blind sets tuned on after their first runs (see eval/blind_runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.reports.explain import Explainer
from assistant.reports.synoptic import synoptic_in
from assistant.reports.parse import parse_report, split_sections

DATA = Path(__file__).resolve().parent.parent / "eval" / "datasets"

DIAGNOSIS_FIRST = """DIAGNOSIS: RIGHT FOREARM, EXCISION - BASAL CELL CARCINOMA, NODULAR TYPE. MARGINS CLEAR.

Department of Cellular Pathology
Northgate General Hospital NHS Trust, Mill Road, Northgate NG1 1AA
Surname: [NAME]          Forename(s): [NAME]
DOB: [DATE]              NHS No: [ID]

Microscopy: Nodules of basaloid cells with peripheral palisading. Deep margin clear by 2.1 mm.
"""

DATASET_NO_HEADING = """Microscopy: Atypical melanocytes along the basal layer.
Specimen type: Excision
Site of lesion: Left cheek
Maximum diameter of lesion (mm): 11
Breslow thickness (mm): 0.4
Ulceration: Not identified
Dermal mitoses (/mm2): 1
Peripheral margin, melanoma in situ (mm): 0.9
Deep margin (mm): 3.1
pT stage (TNM 8): pT1a
"""


@pytest.fixture(scope="module")
def explainer():
    return Explainer()


def test_a_clinical_paragraph_that_names_a_hospital_stays_in_its_section():
    text = ("COMMENT: Completely excised.\n\nRecommend referral to the Royal Marsden Hospital for sentinel node biopsy.\n"
            "Please discuss at the skin cancer MDT.\n")
    comment = next(s.text for s in split_sections(text) if s.name == "comment")
    assert "Royal Marsden Hospital" in comment and "MDT" in comment


def test_a_diagnosis_written_first_ends_where_the_letterhead_starts():
    sections = split_sections(DIAGNOSIS_FIRST)
    diagnosis = next(s.text for s in sections if s.name == "diagnosis")
    assert "BASAL CELL CARCINOMA" in diagnosis
    assert "Department" not in diagnosis and "[NAME]" not in diagnosis
    assert any(s.name == "header" and "[NAME]" in s.text for s in sections)


@pytest.mark.parametrize("heading", [
    "Dataset for histopathological reporting of primary cutaneous melanoma (RCPath):",
    "CUTANEOUS MELANOMA - SYNOPTIC (CAP)",
    "Melanoma data set:",
    "Dataset (RCPath: primary cutaneous melanoma - excision/re-excision specimen)",
])
def test_dataset_headings_open_a_synoptic_section(heading):
    text = f"Microscopy: see below.\n\n{heading}\nSpecimen type: Excision\nUlceration: Not identified\n"
    names = [s.name for s in split_sections(text)]
    assert "synoptic" in names and "specimen" not in names, names


def test_a_dataset_without_a_heading_is_read_as_items_not_as_a_specimen_section():
    sections = split_sections(DATASET_NO_HEADING)
    assert [s.name for s in sections] == ["microscopic", "synoptic"]
    items = {i.label: i.value for i in synoptic_in(sections[1].text)}
    assert items["Peripheral margin, melanoma in situ (mm)"] == "0.9 mm"  # a label with a comma
    assert items["Dermal mitoses (/mm2)"] == "1/mm2"  # the unit in the label goes with the number
    assert items["Maximum diameter of lesion (mm)"] == "11 mm"
    assert items["Site of lesion"] == "Left cheek"


def test_part_numbers_before_an_item_do_not_hide_it():
    keys = [i.key for i in synoptic_in("Part 1 deep margin: 1.8 mm\nPart 1 maximum tumour dimension: 6 mm")]
    assert keys == ["margins", "tumour_size"]


def test_every_dataset_item_is_explained_and_the_summary_skips_a_thickness_without_a_number(explainer):
    from eval.metrics.reports import synoptic_explained

    text = DATASET_NO_HEADING.replace("Breslow thickness (mm): 0.4", "Breslow thickness (mm): Not applicable (in situ)")
    exp = explainer.explain("DIAGNOSIS: Left cheek, excision: lentigo maligna (melanoma in situ).\n\n" + text)
    plain = exp.plain_text()
    for item in synoptic_in(text):
        assert synoptic_explained({"item": item.label, "value": item.value}, plain), item.label
    assert "thickness is Not applicable" not in exp.summary


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name, first, floor", [
    # (first-run synoptic share, development floor a little under what is measured now: 0.772 and 0.783)
    ("reports_blind2.jsonl", 0.642, 0.78),  # measured 0.797
    ("reports_blind3.jsonl", 0.507, 0.83),  # measured 0.842
    ("reports_blind4.jsonl", 0.843, 0.94),  # measured 0.948
    ("reports_blind5.jsonl", 0.863, 0.98),  # measured 1.000
    ("reports_blind6.jsonl", 0.806, 0.87),  # measured 0.887
])
def test_development_figures_on_later_report_sets(explainer, name, first, floor):
    from eval.metrics.reports import score_item

    leaks = syn_k = syn_n = 0
    for item in _load(name):
        exp = explainer.explain(item["report"])
        out = {"markdown": exp.to_markdown(), "claims_text": exp.claims_text(), "plain_text": exp.plain_text(),
               "warnings": exp.warnings, "repairs": exp.repairs}
        s = score_item(item, out)
        leaks += bool(s["phi_leaked"])
        syn_k, syn_n = syn_k + s["synoptic"][0], syn_n + s["synoptic"][1]
    assert leaks == 0
    assert syn_k / syn_n >= floor > first


@pytest.mark.parametrize("name, recall, precision", [
    # phi_blind2's precision 0.987 -> 0.984: a pathologist's licence number ("PRC Lic. No. ...") that its writer did
    # not label is now removed (clinician registration numbers are identifiers in the PHI spec)
    ("phi_blind2.jsonl", 0.99, 0.98),  # first run 0.826 / 0.968; measured now 0.994 / 0.984
    ("phi_blind3.jsonl", 0.99, 0.99),  # first run 0.879 / 0.971; measured now 0.994 / 0.994
    ("phi_blind4.jsonl", 0.97, 0.98),  # first run 0.847 / 0.913; measured now 0.977 / 0.988
    ("phi_blind5.jsonl", 0.945, 0.985),  # first run 0.877 / 0.986; measured now 0.950 / 0.990
    ("phi_blind6.jsonl", 0.915, 0.97),  # first run 0.890 / 0.973; measured now 0.918 / 0.974
    ("phi_blind7.jsonl", 0.93, 0.955),  # first run (with the name tagger) 0.923 / 0.960; measured now 0.935 / 0.960
    ("phi_blind8.jsonl", 0.885, 0.985),  # first run (with the name tagger) 0.886 / 0.992; measured now 0.891 / 0.992
    ("phi_blind9.jsonl", 0.975, 0.985),  # first run 0.914 / 0.988; measured now 0.981 / 0.988
    # first run 0.874 / 0.967 (0.935 / 0.967 once name labels may carry a title or credentials); measured now 0.969 / 0.971
    ("phi_blind10.jsonl", 0.965, 0.965),
])
def test_development_figures_on_later_phi_sets(name, recall, precision):
    from eval.deid import load, score

    r = score(load(DATA / name))
    assert r["recall"] >= recall and r["precision"] >= precision


@pytest.mark.parametrize("name", ["phi_blind6.jsonl", "phi_blind7.jsonl", "phi_blind8.jsonl"])
def test_the_learned_name_tagger_adds_recall_over_the_rules_at_the_same_precision(name):
    """Measured: phi_blind6 recall 0.889 -> 0.915, precision 0.973 -> 0.974; phi_blind7 (first run) 0.899 -> 0.923,
    0.963 -> 0.960; phi_blind8 (first run) 0.853 -> 0.886, 0.992 both. The tagger was trained on none of them."""
    from eval.deid import load, own_spans, rule_spans, score

    items = load(DATA / name)
    rules, both = score(items, rule_spans), score(items, own_spans)
    assert both["recall"] >= rules["recall"] + 0.02
    assert both["recall_by_type"]["name"]["recall"] >= rules["recall_by_type"]["name"]["recall"] + 0.04
    assert both["precision"] >= rules["precision"] - 0.005


def test_the_parsed_report_keeps_the_dataset_items_out_of_the_specimen_list():
    report = parse_report("DIAGNOSIS: Left cheek, excision: lentigo maligna.\n\n" + DATASET_NO_HEADING)
    assert [s.label for s in report.specimens] == ["A"]


@pytest.mark.parametrize("text, phrase, claimed", [
    ("There is no scarring alopecia.", "scarring alopecia", False),
    ("A seborrhoeic keratosis does not turn into cancer.", "cancer", False),
    ("It was not completely removed.", "completely removed", False),
    ("This is a cancer.", "cancer", True),
    ("The margins are not involved; it was completely removed.", "completely removed", True),  # its own clause
    ("The report says no ulceration was seen.", "no ulceration", True),  # a negative phrase counts as itself
    ("Cancer was ruled out.", "cancer", True),  # a negation after the phrase is not read: counted (the safe side)
])
def test_a_forbidden_phrase_counts_only_as_a_claim(text, phrase, claimed):
    from eval.metrics.reports import _asserts

    assert _asserts(text, phrase) is claimed


@pytest.mark.parametrize("text, key, value", [
    ("Synoptic: Tumour - SCC in situ (Bowen type); Deep margin - clear, 1.1 mm; Lesion size - 12 mm.", "margins",
     "clear, 1.1 mm"),
    ("Residual tumour: Present", "residual", "Present"),
    ("pN Category: pN0(sn)", "pn_stage", "pN0(sn)"),
    ("Number of Sentinel Nodes Examined: 2", "pn_stage", "2"),
    ("GROWTH PATTERN: MICRONODULAR", "subtype", "MICRONODULAR"),
    ("Extent of Ulceration: 2.1 mm", "ulceration", "2.1 mm"),
    ("Satellites and/or In-Transit Metastasis: Not identified", "microsatellites", "Not identified"),
    ("Level: papillary dermis", "invasion_level", "papillary dermis"),
])
def test_more_item_names_and_dash_separated_items(text, key, value):
    items = {(i.key, i.value) for i in synoptic_in(text)}
    assert (key, value) in items, items


def test_a_higher_risk_growth_pattern_is_explained_without_naming_a_diagnosis(explainer):
    from assistant.reports.item_meanings import value_meaning
    from assistant.reports.synoptic import SynopticItem

    meaning = value_meaning(SynopticItem(key="subtype", label="Growth pattern", value="Infiltrative"))
    assert "higher-risk" in meaning and "carcinoma" not in meaning
    assert "lower-risk" in value_meaning(SynopticItem(key="subtype", label="Subtype", value="Nodular BCC"))
