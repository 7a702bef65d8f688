"""Report layouts the first parser did not follow, the parser-independent fidelity check and its repairs, and the
development figures on reports_blind1 / phi_blind1 (both tuned on after their first run: see eval/blind_runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.reports.explain import Explainer
from assistant.reports.raw_facts import conveys, raw_facts, unconveyed
from assistant.reports.synoptic import synoptic_in

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eval" / "datasets"


@pytest.fixture(scope="module")
def explainer():
    return Explainer()


def _items(text: str) -> dict[str, str]:
    return {i.key: i.value for i in synoptic_in(text)}


@pytest.mark.parametrize("layout, text", [
    ("pipe table", "| Breslow thickness | 1.2 mm |\n| Ulceration | Present |\n| Mitotic rate | 3/mm2 |"),
    ("tab table", "Breslow thickness\t1.2 mm\nUlceration\tPresent\nMitotic rate\t3/mm2"),
    ("aligned columns", "Breslow thickness      1.2 mm\nUlceration             Present\nMitotic rate           3/mm2"),
    ("dotted leaders", "Breslow thickness ........ 1.2 mm\nUlceration ........ Present\nMitotic rate ...... 3/mm2"),
    ("one line", "Breslow thickness: 1.2 mm. Ulceration: Present. Mitotic rate: 3/mm2. pN: not assigned."),
    ("RCPath dataset", "Breslow thickness (mm): 1.2\nUlceration: Present\nMitotic count (per mm²): 3"),
])
def test_synoptic_items_are_read_in_every_layout(layout, text):
    items = _items(text)
    assert items.get("breslow") == "1.2 mm", layout
    assert items.get("ulceration", "").lower() == "present", layout
    assert items.get("mitotic_rate", "").replace(" ", "").startswith("3"), layout


def test_labels_with_notes_in_brackets_and_new_items():
    items = {i.label: (i.key, i.value) for i in synoptic_in(
        "Anatomic (Clark) level: III\nMicrosatellite(s): Not identified\nMaximum dimension of tumour (mm): 11\n"
        "Maximum depth of invasion (mm): at least 2.9\nPerineural invasion: Not identified\nRisk status: High risk\n"
        "Total follicles ........ 11\nIgA: negative")}
    assert items["Anatomic (Clark) level"] == ("clark_level", "III")
    assert items["Microsatellite(s)"] == ("microsatellites", "Not identified")
    assert items["Maximum dimension of tumour (mm)"] == ("tumour_size", "11 mm")
    assert items["Maximum depth of invasion (mm)"][1] == "at least 2.9 mm"
    assert items["Risk status"][0] == "risk" and items["Total follicles"][0] == "follicles"
    assert items["IgA"] == ("reactant", "negative")


MELANOMA_TABLE = """DERMATOPATHOLOGY REPORT
Patient: Test, Person    DOB: 01/02/1950

SPECIMEN: Excision, right upper back.

DIAGNOSIS: Right upper back, excision: invasive melanoma, superficial spreading type.

SYNOPTIC REPORT
| Breslow thickness | 2.3 mm |
| Ulceration | Present |
| Mitotic rate | 6/mm2 |
| Peripheral margin | Clear, 4 mm |
| pT | pT3b |
"""


def test_every_synoptic_item_is_explained_with_its_value(explainer):
    exp = explainer.explain(MELANOMA_TABLE)
    plain = exp.plain_text()
    for value in ("2.3 mm", "6/mm2", "pT3b", "4 mm"):
        assert value in plain
    assert "Ulceration was seen" in plain
    assert "more than 2 mm and up to 4 mm (T3)" in plain  # the thickness placed in its group
    assert not [w for w in exp.warnings if "automatic check" in w]


AMENDED = """AMENDED REPORT - DIAGNOSIS CHANGED
Patient: Test, Person    DOB: 01/02/1950

SPECIMEN: Excision, left shin.

AMENDED DIAGNOSIS:
Left shin, excision: MELANOMA IN SITU, lentiginous type. pTis. Margins clear (0.8 mm).

ORIGINAL DIAGNOSIS (14/05/2025) - SUPERSEDED, retained for record only:
Compound dysplastic naevus with severe atypia. No evidence of melanoma.
"""


def test_an_amended_report_explains_the_latest_diagnosis_and_says_it_was_amended(explainer):
    exp = explainer.explain(AMENDED)
    assert "melanoma in situ" in exp.summary.lower()
    assert "naevus" not in exp.summary.lower()
    assert any("amended" in w for w in exp.warnings)
    assert not any("No DIAGNOSIS heading" in w for w in exp.warnings)
    assert not any("evidence of melanoma" in s for s in exp.more_from_report)  # the superseded words are not facts
    assert not any("superseded" in r.lower() or "evidence of melanoma" in r for r in exp.repairs)


def test_raw_facts_are_read_without_the_parser():
    text = ("Some heading nobody expects\nThe lesion is 2.3 mm thick with ulceration present; mitoses 6/mm2.\n"
            "Clark level: III. pT3b. Sampled from the right upper back.\nNo evidence of lymphovascular invasion.\n"
            "Changes are consistent with a regressing naevus.")
    facts = {(f.kind, f.text) for f in raw_facts(text)}
    assert ("number", "2.3 mm") in facts and ("number", "6/mm2") in facts and ("stage", "pT3b") in facts
    assert any(k == "side" and t.startswith("right upper") for k, t in facts)
    assert any(k == "negation" and "lymphovascular" in t for k, t in facts)
    assert any(k == "certainty" and t.startswith("consistent with") for k, t in facts)


def test_the_check_fails_a_text_that_drops_a_number_even_when_the_parser_missed_it(explainer):
    report = ("CLINICAL: Pearly papule, the patient reports a 0.4 mm bleeding point last week.\n"
              "DIAGNOSIS: Skin, left forearm, excision: basal cell carcinoma, nodular type.\n")
    facts = raw_facts(report)
    dropped = "A basal cell carcinoma was found on the left forearm. The margins are clear."
    assert [f.text for f in unconveyed(facts, dropped) if f.kind == "number"] == ["0.4 mm"]
    exp = explainer.explain(report)
    assert "0.4 mm" in exp.to_markdown()  # repaired in the report's own words...
    assert any("0.4 mm" in r for r in exp.repairs)  # ...and listed for the clinician
    assert not [w for w in exp.warnings if "automatic check" in w]  # no alarm for the patient


def test_numbers_are_matched_whole():
    fact = next(f for f in raw_facts("A brown macule measuring 4 x 4 mm.") if f.kind == "number")
    assert not conveys(fact, "An ellipse 10 x 5 x 4 mm.")  # 4 mm inside another size is not '4 x 4 mm'
    assert conveys(fact, "The macule measures 4 x 4 mm.")
    single = next(f for f in raw_facts("Lesion 6 mm.") if f.kind == "number")
    assert not conveys(single, "Ellipse 12 x 6 x 3 mm.")


def test_margin_points_say_the_edge_and_distance_in_plain_words():
    from assistant.reports.compose import margin_point
    from assistant.reports.findings import Margin

    clear = margin_point(Margin(status="clear", sides=["deep"], distance="1.5 mm", text=""))
    assert "The deep (bottom) edge is clear: the nearest abnormal cells are 1.5 mm away." in clear
    involved = margin_point(Margin(status="involved", sides=["peripheral"], text=""))
    assert "reach the side edges" in involved and "not all of the growth was removed and some may still be in the skin" in involved
    assert "cut edge are" not in margin_point(Margin(status="clear", text=""))


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_development_figures_on_reports_blind1(explainer):
    """reports_blind1 after its first run (7 leaks, 0.971 numbers, 0.326 synoptic, 2 alarms): now development data.
    Measured here: 0 leaks, 206/207 numbers, synoptic 0.877, 0 alarms."""
    from eval.metrics.reports import score_item

    leaks = alarms = 0
    num_k = num_n = syn_k = syn_n = 0
    for item in _load("reports_blind1.jsonl"):
        exp = explainer.explain(item["report"])
        out = {"markdown": exp.to_markdown(), "claims_text": exp.claims_text(), "plain_text": exp.plain_text(),
               "warnings": exp.warnings, "repairs": exp.repairs}
        s = score_item(item, out)
        leaks += bool(s["phi_leaked"])
        alarms += s["alarm"]
        num_k, num_n = num_k + s["numbers"][0], num_n + s["numbers"][1]
        syn_k, syn_n = syn_k + s["synoptic"][0], syn_n + s["synoptic"][1]
    assert leaks == 0 and alarms == 0
    assert num_k / num_n >= 0.99
    assert syn_k / syn_n >= 0.86


def test_deid_scoring_counts_misses_and_wrong_removals():
    from eval.deid import score

    items = [{"id": "x", "text": "Patient: Jane Roe, 91/F. Breslow 2.3 mm. Seen by Dr Amos.",
              "phi": [{"text": "Jane Roe", "type": "name"}, {"text": "91/F", "type": "age"},
                      {"text": "Amos", "type": "name"}]}]

    def spans(text):  # removes the name and the age's digits, misses Amos, wrongly removes 'Breslow'
        return [(text.index("Jane"), text.index("Jane") + 8, "NAME"), (text.index("91"), text.index("91") + 2, "AGE"),
                (text.index("Breslow"), text.index("Breslow") + 7, "NAME")]

    r = score(items, spans)
    assert r["recall_by_type"]["name"] == {"recall": 0.5, "n": 2}
    assert r["recall_by_type"]["age"]["recall"] == 1.0  # an age's digits are the identifier
    assert r["precision_by_kind"]["NAME"] == {"precision": 0.5, "n": 2}
    assert [m[2] for m in r["missed"]] == ["Amos"] and [w[2] for w in r["wrong"]] == ["Breslow"]


def test_development_figures_on_phi_blind1():
    """phi_blind1 after its first run (recall 0.770, precision 0.920): development data now; measured 0.994 / 0.986 (0.989 before the name tagger)."""
    from eval.deid import load, score

    r = score(load(DATA / "phi_blind1.jsonl"))
    assert r["identifiers"] == 352
    assert r["recall"] >= 0.99 and r["precision"] >= 0.985
    assert all(v["recall"] >= 0.98 for t, v in r["recall_by_type"].items() if t != "other")


def test_the_clinician_view_lists_repairs_and_shows_the_report_words(explainer):
    from ui.report_tab import explanation_html

    exp = explainer.explain("CLINICAL: Pearly papule <b>, the patient reports a 0.4 mm bleeding point last week.\n"
                            "DIAGNOSIS: Skin, left forearm, excision: basal cell carcinoma, nodular type.\n")
    page = explanation_html(exp)
    assert "Repaired by the fidelity check (" in page and "0.4 mm" in page
    assert "More from the report (its own words)" in page
    assert "<b>" not in page and "web page code" in page  # markup in a report is removed and said so


def test_no_word_is_doubled_in_any_explanation(explainer):
    import re

    doubled = []
    for name in ("reports.jsonl", "reports_blind1.jsonl", "reports_blind2.jsonl"):
        for item in _load(name):
            text = explainer.explain(item["report"]).plain_text()
            doubled += [(item["id"], m.group(0)) for m in re.finditer(r"(?i)\b(\w{2,})\s+\1\b", text)]
    assert not doubled  # "right right upper back" was one


def test_sentences_split_after_units_and_codes_but_not_after_titles_or_initials():
    from assistant.llm.base import split_sentences

    assert split_sentences("Breslow thickness: 0.6 mm. pT1b. Seen by Dr. Okafor e.g. Today. J. K. Rowe agreed.") == [
        "Breslow thickness: 0.6 mm.", "pT1b.", "Seen by Dr. Okafor e.g. Today.", "J. K. Rowe agreed."]
