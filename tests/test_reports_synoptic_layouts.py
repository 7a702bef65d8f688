"""Melanoma synoptic items written on one line (issue 15): each item is read and explained with its value."""

from __future__ import annotations

import pytest

from assistant.reports.explain import Explainer
from assistant.reports.synoptic import synoptic_in
from tests.conftest import KB

ONE_LINE = ("Specimen: Skin, left upper back, excision.\n"
            "DIAGNOSIS: Invasive melanoma, superficial spreading type. Breslow thickness: 0.6 mm. Ulceration: not "
            "identified. Dermal mitotic rate: less than 1 per mm2. Clark level: III. Lymphovascular invasion: not "
            "identified. Peripheral margins: clear, closest 3 mm. Deep margin: clear, 2.5 mm. Pathologic stage: pT1a.")
THICK = ("Specimen: Skin, right upper back, excision.\n"
         "Diagnosis: Nodular melanoma. Breslow thickness: 2.3 mm. Ulceration: present. Mitotic rate: 6/mm2. Peripheral "
         "and deep margins clear. Pathologic stage: pT3b.")


@pytest.fixture(scope="module")
def explainer():
    return Explainer(kb_path=KB)


def test_items_run_together_on_one_line_are_each_read_with_their_own_value():
    items = {i.key: i.value for i in synoptic_in(ONE_LINE)}
    assert items["breslow"] == "0.6 mm" and items["ulceration"] == "not identified"
    assert items["mitotic_rate"] == "less than 1 per mm2" and items["clark_level"] == "III"
    assert items["pt_stage"] == "pT1a"
    # a value stops where the next sentence starts, even without a label after it
    assert {i.key: i.value for i in synoptic_in(THICK)}["mitotic_rate"] == "6/mm2"


def test_thin_melanoma_on_one_line_is_explained_item_by_item(explainer):
    md = explainer.explain(ONE_LINE).to_markdown()
    assert "Ulceration: Ulceration" not in md
    summary = md.split("## What was tested")[0]
    assert "0.6 mm" in summary and "ulceration was not seen" in summary and "pT1a" in summary
    assert "the thinnest group of melanomas (T1)" in md
    assert "Dermal mitotic rate: less than 1 per mm2." in md and "Clark level: III." in md


def test_thick_ulcerated_melanoma_states_the_thickness_group_and_the_ulceration(explainer):
    md = explainer.explain(THICK).to_markdown()
    summary = md.split("## What was tested")[0]
    assert "2.3 mm" in summary and "ulceration was seen" in summary and "pT3b" in summary
    assert "more than 2 mm and up to 4 mm (T3)" in md and 'the "b" group' in md
    assert "Mitotic rate: 6/mm2." in md


@pytest.mark.parametrize("specimen,size", [("Skin, left upper back, excision (1.2 x 0.8 cm).", "1.2 x 0.8 cm"),
                                           ("SKIN, RIGHT FOREARM, EXCISION 1.4 X 0.9 CM", "1.4 X 0.9 CM"),
                                           ("Skin ellipse from the left calf, 18 x 9 x 4 mm", "18 x 9 x 4 mm")])
def test_the_sample_size_is_kept_in_what_was_tested(explainer, specimen, size):
    report = f"Specimen: {specimen}\nDiagnosis: Compound naevus. Margins clear."
    tested = explainer.explain(report).to_markdown().split("## What was tested")[1].split("##")[0]
    assert f"measuring {size}" in tested


def test_the_findings_table_never_repeats_the_side(explainer):
    from ui.report_tab import findings_table

    table = findings_table(explainer.explain(THICK))
    assert "right upper back" in table and "right right" not in table.lower()
