"""Round 16 of the report explainer and de-identification (development on reports_blind4/5 and phi_blind9 after
their first runs): negated clearance, item values in plain words, more item labels and table shapes, OCR digit
look-alikes, station codes, registration numbers, name shapes before credentials and typist initials."""

from __future__ import annotations

import re

import pytest

from assistant.phi import find_phi, redact
from assistant.reports.item_meanings import synoptic_point
from assistant.reports.findings import margins_in
from assistant.reports.synoptic import SynopticItem, label_key, synoptic_in
from assistant.text.ocr import digits_view

BCC_NOT_EXCISED = """CLINICAL NOTES:
?BCC R NASAL ALA, 5MM. EXC.

MICROSCOPIC:
SECTIONS SHOW A BASAL CELL CARCINOMA (MICRONODULAR PATTERN). THE DEEP MARGIN IS CLEAR.

DIAGNOSIS:
R NASAL ALA: MICRONODULAR BASAL CELL CARCINOMA, NOT COMPLETELY EXCISED - TUMOUR INVOLVES THE
SUPERIOR PERIPHERAL MARGIN.
"""


@pytest.mark.parametrize("text, status", [
    ("MICRONODULAR BASAL CELL CARCINOMA, NOT COMPLETELY EXCISED", "involved"),
    ("The lesion has not been fully removed.", "involved"),
    ("Margins are not clear.", "involved"),
    ("Incompletely excised at the deep margin.", "involved"),
    ("Completely excised.", "clear"),
    ("The lesion does not extend to the margins and is completely excised.", "clear"),
    ("Margin assessment is incomplete: margins cannot be assessed (fragmented).", "not assessable"),
])
def test_negated_clearance_is_an_involved_margin(text, status):
    assert margins_in(text)[0].status == status


def test_a_not_completely_excised_bcc_is_never_explained_as_clear():
    from assistant.reports.explain import Explainer

    exp = Explainer().explain(BCC_NOT_EXCISED)
    summary = exp.summary.lower()
    assert "margins are clear" not in summary
    assert "reach a cut edge" in summary
    # the glossary entry for a clear margin must not be matched inside "NOT COMPLETELY EXCISED"
    assert not [t for t in exp.terms if "completely excised" in t.matched.lower()]


@pytest.mark.parametrize("key, value, melanoma, says", [
    ("margins", "INVOLVED (SUPERIOR TIP)", None, "reach this cut edge"),
    ("margins", "CLEAR (1.2MM)", None, "nearest are 1.2MM away"),
    ("margins", ">2 mm", None, "are >2 mm from this cut edge"),
    ("excision", "Incomplete", None, "reach a cut edge"),
    ("excision", "Complete", None, "whole growth was removed"),
    ("pt_stage", "pT1a", True, "less than 0.8 mm, without ulceration"),
    ("pt_stage", "PT4B", True, "more than 4 mm thick, with ulceration"),
    ("pt_stage", "pT2a pN0(sn)", True, "no spread was seen in the lymph nodes"),
    ("pt_stage", "pT2", False, "T1 is the smallest"),
    ("pt_stage", "pTis", True, "only in the top layer"),
    ("pn_stage", "pN1a", None, "found in one or more lymph nodes"),
    ("invasion", "Not identified", None, "stay in the top layer"),
    ("residual", "None identified", None, "No tumour was left"),
    ("mitotic_rate", "<1/mm2", None, "very few dividing cells"),
    ("mitotic_rate", "6/mm2", None, "growing faster"),
    ("reactant", "Positive (2+); Linear, basement membrane zone", None, "protein was found"),
    ("ihc", "Negative", None, "negative"),
])
def test_item_values_are_explained_in_plain_words(key, value, melanoma, says):
    line = synoptic_point(SynopticItem(key=key, label=key, value=value), melanoma)
    assert value in line and says in line


def test_a_non_melanoma_stage_gets_no_melanoma_thickness():
    line = synoptic_point(SynopticItem(key="pt_stage", label="pT", value="pT2a"), melanoma=False)
    assert "mm" not in line and "melanoma" not in line.lower()


@pytest.mark.parametrize("label, key", [
    ("NUMBER OF SENTINEL NODES", "pn_stage"), ("NUMBER POSITIVE", "pn_stage"),
    ("LARGEST METASTATIC DEPOSIT", "nodal_deposit"), ("EXTRANODAL EXTENSION", "extranodal"),
    ("Invasion", "invasion"), ("Maximum clinical dimension (mm)", "tumour_size"),
    ("Thickness/depth of invasion (mm)", "thickness"), ("Diameter of largest involved nerve (mm)", "nerve_detail"),
    ("SOX10", "ihc"), ("Ki-67", "ihc"), ("ALBUMIN", "reactant"), ("Peripheral, other", "margins"),
    ("LVI / PNI", "lymphovascular_invasion"), ("Lymphovascular invasion", "lymphovascular_invasion"),
])
def test_more_item_labels_are_read(label, key):
    assert label_key(label) == key


def test_table_shapes_seen_on_blind_reports():
    text = ("Antibody\tResult\tPattern\nIgG\tPositive (2+)\tLinear, basement membrane zone\nIgA\tNegative\t-\n\n"
            "  Margins (histological)\n  Peripheral, nearest (9 o'clock)    1.8 mm\n  Peripheral, other    >2 mm\n\n"
            "Pathologic Stage (AJCC 8th ed.) ....... pT2a pN0(sn)\n")
    items = {(i.key, i.label): i.value for i in synoptic_in(text)}
    assert items[("reactant", "IgG")] == "Positive (2+); Linear, basement membrane zone"
    assert items[("reactant", "IgA")] == "Negative"
    assert items[("margins", "Peripheral, other")] == ">2 mm"
    assert [v for (k, _), v in items.items() if k == "pt_stage"] == ["pT2a pN0(sn)"]


def test_a_mitotic_rate_in_words_is_not_an_address():
    text = "Patient: Ana Ruiz\nDERMAL MITOTIC RATE: 11 PER SQUARE MILLIMETRE\nTUMOUR SIZE: 12 X 9 SQUARE MM"
    assert "11 PER SQUARE MILLIMETRE" in redact(text).text


@pytest.mark.parametrize("text, view", [
    ("FROM: 6l3 555 0l98", "FROM: 613 555 0198"),
    ("DOB: 1933-ll-04", "DOB: 1933-11-04"),
    ("FAX RECEIVED 14/O3/2O25 O9:52", "FAX RECEIVED 14/03/2025 09:52"),
    ("S25-00l932 and MRI-K8830l7", "S25-001932 and MRI-K883017"),
    ("pT1a, CD10, Ki-67 10%, Ill Oil Io, HbA1c, IgG, P. l/2", "pT1a, CD10, Ki-67 10%, Ill Oil Io, HbA1c, IgG, P. l/2"),
])
def test_ocr_look_alikes_are_read_as_digits_in_number_like_pieces_only(text, view):
    assert digits_view(text) == view and len(digits_view(text)) == len(text)


def _found(text: str) -> set[str]:
    return {text[s.start:s.end] for s in find_phi(text)}


@pytest.mark.parametrize("text, phi", [
    ("FROM: 6l3 555 0l98  |  PG l/2\n", "6l3 555 0l98"),  # OCR of a fax header
    ("| DOB: 2l/06/1990 | Ward 4\n", "2l/06/1990"),
    ("14/O2/2025  l4:31  |  TSID: EORLA-PATH-FX3\n", "EORLA-PATH-FX3"),  # a fax station code
    ("Consultant Histopathologist, MDCN Reg. 41872\n", "MDCN Reg. 41872"),
    ("Pathologist, PRC Lic. No. 0098765\n", "PRC Lic. No. 0098765"),
    ("Authorised: Prof. Cormac O'Sullivan, MCRN 019922, 07/03/2025\n", "MCRN 019922"),
    ("No atypia or malignancy. - C. Whitfield-Osei, MD, 20 Feb 2025\n", "C. Whitfield-Osei"),
    ("| Histotech | D. Yazzie, HT(ASCP) |\n", "D. Yazzie"),
    ("BLACK, ROSE M., MD   (ELECTRONICALLY SIGNED)\n", "BLACK, ROSE M"),
    ("SIGNED OUT BY: OYELARAN-FINCH^THEODORA^J, MD ON 02/21/2025||\n", "OYELARAN-FINCH^THEODORA^J"),
    ("Typed by\tlmb\t13/01/2025\n", "lmb"),
    ("REPORTED BY: DR S. NAIDOO / TYPED: RG\n", "RG"),
    ("My nurse Karen (RN) will call you to schedule. -- GAB\n", "GAB"),
    ("Follow-up: CLSC nurse (418-555-0161 poste 227) for dressings\n", "418-555-0161 poste 227"),
    ("Sampled: 14/04-2025\n", "14/04-2025"),
    ("Ośrodek: PMB 12003, Idi-Araba, Lagos 101014\n", "PMB 12003"),
    ("GP: Lægehuset, Trøjborgvej 22, 8200 Aarhus N\n", "Trøjborgvej 22"),
    ("Flat 2/1, 37 Hyndland Road, Glasgow G12 9UP\n", "Flat 2/1, 37 Hyndland Road"),
    ("Dr Hemi Parata\n23 Tui Street, Ōtāhuhu, Auckland 1062\n", "23 Tui Street, Ōtāhuhu"),
    ("Clinic, 1 Tampines Central 5, #02-14, Singapore 529508, fax 6789 0213\n", "Singapore 529508"),
])
def test_identifier_shapes_from_phi_blind9_are_removed(text, phi):
    found = _found(text)
    assert any(phi in f for f in found), (phi, found)


@pytest.mark.parametrize("text, kept", [
    ("Subject: photos\nTo: Accueil dermatologie\n", "Accueil"),
    ("Clark level IV, HMB-45 positive, Ki-67 10%, CD10 negative.\n", "HMB-45"),
    ("See the (BCC) note -- END\n", "BCC"),
])
def test_clinical_and_place_words_stay(text, kept):
    assert kept in redact(text).text


LETTER_REPORT = """Department of Dermatopathology
Our ref: [MRN]

Dear Dr [NAME],

Re: Mr [NAME], DOB [DATE]
Specimen: 4 mm punch biopsy, left extensor forearm

Thank you for sending this biopsy; you asked whether this is psoriasis or eczema. The sections show regular
psoriasiform acanthosis with confluent parakeratosis and Munro microabscesses. A PAS stain shows no fungal hyphae.
Taking everything together, I would favour psoriasis over a spongiotic dermatitis, although the two cannot be
separated with complete certainty on this biopsy. There is no evidence of malignancy.

Yours sincerely,
[NAME]
"""


def test_a_letter_without_a_diagnosis_heading_is_explained_from_its_concluding_sentences():
    from assistant.reports.explain import Explainer

    exp = Explainer().explain(LETTER_REPORT)
    group = exp.main_findings[0]
    assert "Dear Dr" not in group.report_words and "favour psoriasis" in group.report_words
    points = " ".join(group.points)
    assert 'leans toward psoriasis' in points
    assert "spongiotic dermatitis is less likely" in points  # "favour X over Y": Y is the less likely one
    assert "psoriasis" in exp.summary.lower()
    assert any("diagnosis was read from the report's own text" in w for w in exp.warnings)


@pytest.mark.parametrize("text, says", [
    ("Re-excision with a 1 cm margin is recommended.", "further operation"),
    ("The case will be discussed at the skin cancer MDT.", "specialist skin cancer team"),
    ("Clinicopathological correlation is advised.", "match these results"),
    ("Serology for BP180 and BP230 may help.", "blood or urine tests"),
    ("A repeat biopsy from an untreated plaque might help.", "another biopsy"),
    ("BRAF mutation testing has been requested and will follow.", "gene test"),
    ("No further treatment is required for this lesion.", "no further treatment is needed"),
])
def test_what_the_report_suggests_is_said_in_plain_words(text, says):
    from assistant.reports.suggestions import suggestions

    assert any(says in s for s in suggestions(text))


@pytest.mark.parametrize("text", [
    "Sentinel lymph node biopsy is generally not recommended for this T category.",
    "Ulceration: not identified. Mitotic rate: 2/mm2.",
    "Is re-excision needed?",
])
def test_nothing_is_suggested_that_the_report_does_not_ask(text):
    from assistant.reports.suggestions import suggestions

    assert suggestions(text) == []


def test_negative_fungal_stain_and_negated_malignancy_in_plain_words():
    from assistant.reports.explain import Explainer

    exp = Explainer().explain("MICROSCOPY:\nPsoriasiform hyperplasia with parakeratosis. A PAS stain shows no fungal "
                              "hyphae.\n\nDIAGNOSIS:\nSkin, left elbow: consistent with psoriasis. No evidence of "
                              "malignancy.\n")
    text = exp.plain_text()
    assert "no fungal infection was seen on this stain" in text
    assert "no cancer was seen" in text


def test_a_pas_stain_for_basement_membrane_is_not_read_as_a_fungal_result():
    from assistant.reports.explain import Explainer

    exp = Explainer().explain("DIAGNOSIS: Discoid lupus erythematosus, left cheek.\nPAS stain highlights basement "
                              "membrane thickening.\n")
    assert "fung" not in " ".join(exp.other_results).lower()


TELEGRAPHIC = """Acc#: [MRN]    MRN: [MRN]
Pt: [NAME]   DOB: [DATE]   M
Site: R temple, excision
Gross: ellipse 3.6 x 1.8 cm; ill-defined firm white area 1.2 cm.

Dx: DESMOPLASTIC MELANOMA, pure type (>90% desmoplastic), R temple.
Breslow 4.8 mm; Clark V; no ulceration; mitoses 1/mm2; NEUROTROPISM PRESENT; LVI neg; microsatellites neg.
IHC: S100+, SOX10+; Melan-A neg, HMB-45 neg.
Margins: clear. Peripheral 3 mm (9 o'clock); deep 3.5 mm.
Stage: pT4a (AJCC 8).
Comment: Suggest tumor board review; consider wider excision.
"""


def test_a_telegraphic_dx_report_is_read_item_by_item():
    from assistant.reports.explain import Explainer

    exp = Explainer().explain(TELEGRAPHIC)
    assert "desmoplastic melanoma" in exp.summary.lower()
    assert "[NAME]" not in exp.summary and "stage is [" not in exp.summary  # "Pt: [NAME]" is the patient, no pT stage
    lines = " ".join(exp.other_results)
    for said in ("Breslow: 4.8 mm", "Clark: V", "Mitoses: 1/mm2", "NEUROTROPISM: PRESENT",
                 "LVI: neg. No spread of tumour cells into small blood or lymph vessels was seen",
                 "Stage: pT4a (AJCC 8). For a melanoma, T4a means more than 4 mm thick, without ulceration"):
        assert said in lines, said
    assert "specialist skin cancer team" in " ".join(exp.suggestions)


def test_guidance_that_describes_the_opposite_of_the_finding_is_left_out():
    from assistant.reports.explain import Explainer

    exp = Explainer().explain("DIAGNOSIS: Scalp, vertex, punch: lymphocytic scarring alopecia; features favour lichen "
                              "planopilaris.\n")
    assert "non-scarring" not in " ".join(c.text for c in exp.next_steps).lower()


def test_an_incomplete_deep_margin_is_involved():
    assert margins_in("deep margin incomplete; peripheral margins clear")[0].status == "involved"


@pytest.mark.parametrize("text, phi", [
    ("Lebanon, NH 03756-0001 | T 603.555.0120 | F 603.555.0121\n", "603.555.0120"),
    ("Specialist: Dr. Ji-won Seo, FRCPC (Dermatology), 604-555-0181 local 3\n", "604-555-0181 local 3"),
    ("Date of meeting: Thursday 13 March 2025, 08:00, Seminar Room\n", "Thursday 13 March 2025"),
    ("Medicare: 2953 46216 1 / 2\nAddress: 8 Jacaranda St\n", "2953 46216 1 / 2"),
    ("DOB: 04/09/1992   Medicare: 4271 83953 1 (IRN 3)\n", "4271 83953 1 (IRN 3)"),
    ("Name: Sefo LEAUPEPE-TUIASOSOPO   NHI: ZKR08TW   DOB: 30 June 1934\n", "ZKR08TW"),
    ("Pensioner Concession Card: 412 345 678K\nPhone: 0433 091 286\n", "412 345 678K"),
    ("Slides returned by courier, tracking 1Z 88W 420 03 7714 5562\n", "1Z 88W 420 03 7714 5562"),
    ("Images stored in PACS under study UID 1.2.840.113619.2.55.3.604688.20250220.905\n",
     "1.2.840.113619.2.55.3.604688.20250220.905"),
    ("Phone: (718) 555-0154 x 307\nSending device: QSCC-MR-FAX3 (S/N 7KF0092341)\n", "QSCC-MR-FAX3"),
    ("Received 09/05/2024 15:02   Rec'd by: JT\n", "JT"),
    ("Follow-up 3 months.\nCoder: hd/ptr\n", "hd/ptr"),
    ("Discharge to GP.\n\nTyped: gmc/16.01.25\n", "gmc"),
    ("Pathologist: M. Augustin-Lamarre, MD\nDictated by MA-L; edited by jpb\n", "jpb"),
    ("Collection date/time: 02/27/25 14:10\tCollected by: T. Wiggins, MA\n", "T. Wiggins"),
    ("Mohs log\tFS technician: D. Moss\n", "D. Moss"),
    ("Member name (Last, First MI): TRAN, MINH ANH T\nDate of birth: 07/21/1950\n", "TRAN, MINH ANH T"),
    ("Subject ID: 0417-012\tSubject initials: J-R-M\tScreening date: 2025-01-02\n", "J-R-M"),
    ("Phone: 212-555-0192\nFrom: Trinh Bao Chau, Medical Records Clerk\n", "Trinh Bao Chau"),
    ("Sex:\tF\nHome ZIP:\t33139\nOrdering MD:\tKenji Watanabe, MD\n", "33139"),
    ("Dermatology Department, Newcastle Road, Galway H91 YR71\n", "Galway H91 YR71"),
    ("[3/14 9:42 AM] Hyun-woo Kim:\nCan it be done on 3/28? I have insurance\n", "3/28"),
])
def test_identifier_shapes_from_phi_blind10_are_removed(text, phi):
    covered = {i for sp in find_phi(text) for i in range(sp.start, sp.end)}
    start = text.index(phi)
    missing = [c for i, c in enumerate(phi, start) if c.isalnum() and i not in covered]
    assert not missing, (phi, _found(text))


@pytest.mark.parametrize("text, kept", [
    ("From: Golden Acres Home for the Aged    To: ER, Philippine General Hospital\n", "Philippine General Hospital"),
    ("Ki-67 about 1/2 of nuclei; PAS 1.2.3 not done; mitoses 3/10 HPF.\n", "3/10 HPF"),
])
def test_places_and_fractions_stay(text, kept):
    assert kept in redact(text).text


@pytest.mark.parametrize("diagnosis, says", [
    ("micronodular basal cell carcinoma, completely excised", "carcinoma, micronodular type, one of the higher-risk"),
    ("Basal cell carcinoma, nodular type. Margins clear (2 mm)", "carcinoma, nodular type, one of the lower-risk"),
    ("basal cell carcinoma extending to the superficial margin", None),  # a margin, not a growth pattern
    ("squamous cell carcinoma, infiltrative pattern. Margins clear", None),  # not a basal cell carcinoma
])
def test_the_summary_names_a_basal_cell_carcinomas_growth_pattern_and_its_risk(diagnosis, says):
    from assistant.reports.explain import Explainer

    summary = Explainer().explain(f"DIAGNOSIS: Skin, left cheek, excision: {diagnosis}.\n").summary
    if says:
        assert says in summary
    else:
        assert "type, one of the" not in summary
    assert 3 <= len(re.findall(r"[.!?](?:\s|$)", summary)) <= 5  # the summary stays 3-5 sentences
