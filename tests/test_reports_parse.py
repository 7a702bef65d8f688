"""Parsing and findings: sections, specimens, site/laterality/procedure, certainty, margins, synoptic, stains, DIF."""

import pytest

from assistant.reports.findings import diagnoses_in, dif_in, extract_findings, margins_in, stains_in
from assistant.reports.synoptic import synoptic_in
from assistant.reports.parse import find_procedure, find_site, parse_report, split_sections

REPORT = """SURGICAL PATHOLOGY
Patient: [NAME]

CLINICAL HISTORY: Lesions on the back.

SPECIMENS:
A. Skin, left upper back, shave biopsy
B. Skin, right forearm, 4 mm punch biopsy

GROSS: Two specimens.

MICROSCOPIC DESCRIPTION:
A PAS stain is negative for fungal organisms.

DIAGNOSIS:
A. Basal cell carcinoma, nodular type, extending to the deep margin.
B. Spongiotic dermatitis, consistent with allergic contact dermatitis.

COMMENT: The differential diagnosis includes a drug eruption.

Electronically signed out by: [NAME], MD
"""


def test_sections_and_specimens():
    p = parse_report(REPORT)
    names = [s.name for s in p.sections]
    assert names == ["header", "clinical", "specimen", "gross", "microscopic", "diagnosis", "comment", "signature"]
    assert [s.label for s in p.specimens] == ["A", "B"]
    a, b = p.specimens
    assert (a.site, a.laterality, a.procedure) == ("left upper back", "left", "shave biopsy")
    assert (b.site, b.laterality, b.procedure, b.punch_mm) == ("right forearm", "right", "punch biopsy", 4.0)
    assert "Basal cell carcinoma" in a.diagnosis_text and "Spongiotic" in b.diagnosis_text
    assert "signed" not in b.diagnosis_text.lower()


def test_findings_per_specimen():
    f = extract_findings(parse_report(REPORT))
    a, b = f.specimens
    assert [(d.name, d.certainty.family) for d in a.diagnoses] == [("basal cell carcinoma", "plain")]
    assert a.category == "malignant" and a.margins[0].status == "involved" and a.margins[0].sides == ["deep"]
    assert [(d.name, d.certainty.phrase) for d in b.diagnoses] == [("spongiotic dermatitis", ""),
                                                                   ("contact dermatitis", "consistent with")]
    assert [(d.name, d.certainty.family, d.source) for d in f.other_diagnoses] == [
        ("drug eruption", "differential", "comment")]
    assert [(s.stain, s.result) for s in f.stains] == [("PAS", "negative")]


@pytest.mark.parametrize("heading", ["FINAL DIAGNOSIS", "Final Diagnosis:", "## Diagnosis", "**DIAGNOSIS**",
                                     "Conclusion:", "DIAGNOSIS -"])
def test_heading_styles(heading):
    secs = split_sections(f"Clinical history: rash\n{heading}\nPsoriasis.\n")
    assert [s.name for s in secs] == ["clinical", "diagnosis"] and secs[1].text == "Psoriasis."


def test_specimen_words_inside_a_synoptic_block_stay_synoptic():
    secs = split_sections("DIAGNOSIS: Melanoma.\nSYNOPTIC REPORT:\nProcedure: Excision\nBreslow thickness: 0.6 mm\n")
    assert [s.name for s in secs] == ["diagnosis", "synoptic"] and "Breslow" in secs[1].text


def test_no_diagnosis_heading_reads_the_whole_text():
    p = parse_report("Skin, right shin, shave biopsy: squamous cell carcinoma in situ.")
    assert p.specimens[0].site == "right shin"
    assert extract_findings(p).specimens[0].diagnoses[0].name == "squamous cell carcinoma in situ"


@pytest.mark.parametrize("text, site, lat", [
    ("Skin, left upper back, shave", "left upper back", "left"),
    ("Vulva, left labium majus, punch", "left labium majus", "left"),
    ("SKIN, RIGHT ANTECUBITAL FOSSA", "right antecubital fossa", "right"),
    ("Skin, dorsum of the right hand", "dorsum of the right hand", "right"),
    ("Scalp, vertex", "scalp", None),
    ("Skin, forearm (L)", "forearm", "left"),
    ("no site here", None, None),
])
def test_site_and_laterality(text, site, lat):
    assert find_site(text) == (site, lat)


@pytest.mark.parametrize("text, name, size", [
    ("4 mm punch biopsy", "punch biopsy", 4.0), ("punch biopsy, 3 mm", "punch biopsy", 3.0),
    ("deep shave biopsy", "shave biopsy", None), ("wide local excision", "excision", None),
    ("incisional biopsy", "incisional biopsy", None), ("curettings", "curettage", None),
])
def test_procedure(text, name, size):
    got = find_procedure(text)
    assert got[0] == name and got[2] == size


@pytest.mark.parametrize("text, expected", [
    ("Psoriasiform dermatitis, favour psoriasis.",
     [("psoriasiform dermatitis", "plain", ""), ("psoriasis", "favour", "favour")]),
    ("The differential diagnosis includes lupus erythematosus and dermatomyositis.",
     [("cutaneous lupus", "differential", "differential diagnosis includes"),
      ("dermatomyositis", "differential", "differential diagnosis includes")]),
    ("Melanoma in situ cannot be excluded.", [("melanoma in situ", "possible", "cannot be excluded")]),
    ("Lupus or dermatomyositis cannot be excluded.",
     [("cutaneous lupus", "possible", "cannot be excluded"), ("dermatomyositis", "possible", "cannot be excluded")]),
    ("No evidence of dysplasia or malignancy.", [("malignancy", "negative", "No evidence of")]),
    ("Suggestive of bullous pemphigoid.", [("bullous pemphigoid", "suggestive", "Suggestive of")]),
    ("Findings compatible with morphea.", [("morphea", "fits", "compatible with")]),
    ("SPONGIOTIC DERMATITIS, FAVOR ATOPIC DERMATITIS.",
     [("spongiotic dermatitis", "plain", ""), ("atopic dermatitis", "favour", "FAVOR")]),
    ("Actinic keratosis, no evidence of invasive squamous cell carcinoma.",
     [("actinic keratosis", "plain", ""), ("squamous cell carcinoma", "negative", "no evidence of")]),
])
def test_certainty_is_kept_per_diagnosis(text, expected):
    assert [(d.name, d.certainty.family, d.certainty.phrase) for d in diagnoses_in(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("The tumour extends to the deep margin; peripheral margins are clear (closest 0.6 mm).",
     [("involved", ["deep"], None), ("clear", ["peripheral"], "0.6 mm")]),
    ("Margins are not involved.", [("clear", [], None)]),
    ("Completely excised.", [("clear", [], None)]),
    ("Incompletely excised at the lateral margin.", [("involved", ["lateral"], None)]),
    ("The lesion is 0.4 mm from the nearest peripheral margin.", [("distance only", ["peripheral"], "0.4 mm")]),
    ("Close deep margin (0.2 mm).", [("close", ["deep"], "0.2 mm")]),
    ("Margins cannot be assessed in curettings.", [("not assessable", [], None)]),
    ("Margins clear; the closest peripheral margin is 2.5 mm and the deep margin is 1.8 mm.",
     [("clear", [], None), ("distance only", ["peripheral"], "2.5 mm"), ("distance only", ["deep"], "1.8 mm")]),
])
def test_margins(text, expected):
    assert [(m.status, m.sides, m.distance) for m in margins_in(text)] == expected


def test_synoptic_items_lines_and_inline():
    items = synoptic_in("Breslow thickness: 0.6 mm\nUlceration: Not identified\nMitotic rate: 1/mm2\nClark level: IV\n"
                        "Lymphovascular invasion: Not identified\nMicrosatellites: Absent\nRegression: Present\n"
                        "Pathologic stage (AJCC 8th edition): pT1a\n")
    assert {i.key: i.value for i in items} == {
        "breslow": "0.6 mm", "ulceration": "Not identified", "mitotic_rate": "1/mm2", "clark_level": "IV",
        "lymphovascular_invasion": "Not identified", "microsatellites": "Absent", "regression": "Present",
        "pt_stage": "pT1a"}
    inline = {i.key: i.value for i in synoptic_in("Breslow thickness 1.6 mm. Ulceration present. Clark level IV. pT2b.")}
    assert inline == {"breslow": "1.6 mm", "clark_level": "IV", "pt_stage": "pT2b", "ulceration": "Ulceration present"}


def test_stains_and_dif():
    stains = stains_in("PAS and GMS stains are negative for fungal organisms. A PAS stain highlights hyphae.")
    assert [(s.stain, s.result) for s in stains] == [("PAS", "negative"), ("GMS", "negative"), ("PAS", "positive")]
    dif = dif_in("Linear deposition of IgG and C3 along the basement membrane zone. IgA, IgM and fibrinogen are negative.")
    assert (dif[0].reactants, dif[0].pattern, dif[0].location, dif[0].negative) == (
        ["IgG", "C3"], "Linear", "basement membrane zone", False)
    assert dif[1].negative and dif[1].reactants == ["IgA", "IgM", "fibrinogen"]
    assert dif_in("Intercellular IgG in a net-like pattern.")[0].pattern == "Intercellular"
