"""Acceptance tests over the whole synthetic report set (eval/datasets/reports.jsonl), on the real knowledge base.

Every report is explained once per test session; each test checks one promise across all reports and lists
every report that breaks it.
"""

import json
import re
from pathlib import Path

import pytest

from assistant.text.numbers import measurements
from assistant.phi import contains_phi
from assistant.reports.explain import Explainer
from assistant.reports.render import to_json

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "eval" / "datasets" / "reports.jsonl"
ITEMS = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def _has_phrase(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive, whitespace-tolerant match."""
    rx = r"\s+".join(re.escape(w) for w in phrase.lower().split())
    return re.search(rf"(?<![\w]){rx}(?![\w])", text.lower()) is not None


@pytest.fixture(scope="module")
def explained():
    ex = Explainer(kb_path=REPO / "knowledge_base")
    out = {}
    for item in ITEMS:
        exp = ex.explain(item["report"])
        out[item["id"]] = (item, exp, {"md": exp.to_markdown(), "json": to_json(exp), "html": exp.to_html()})
    return out


def test_the_set_is_big_and_varied_enough():
    assert len(ITEMS) >= 30
    cats = {i["category"] for i in ITEMS}
    assert {"inflammatory", "neoplastic", "multi-specimen", "phi", "injection"} <= cats
    assert len({i["id"] for i in ITEMS}) == len(ITEMS)
    for item in ITEMS:
        assert item["phi"] and item["key_findings"], item["id"]
        for s in item["phi"]:  # every labelled PHI string really is in its report
            assert s in item["report"], (item["id"], s)


def test_text_files_match_the_jsonl():
    for item in ITEMS:
        path = DATASET.parent / item["file"]
        assert path.read_text(encoding="utf-8") == item["report"], item["id"]


def test_no_phi_string_survives_in_any_output(explained):
    leaks = []
    for item, exp, outs in explained.values():
        for fmt, text in outs.items():
            for s in item["phi"]:
                if re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", text, flags=re.I):
                    leaks.append((item["id"], fmt, s))
    assert not leaks


def test_no_residual_phi_detected_in_explanations(explained):
    flagged = {i: contains_phi(outs["md"]) for i, (_, _, outs) in explained.items()}
    assert not {i: k for i, k in flagged.items() if k}


def test_phi_is_counted(explained):
    for item, exp, _ in explained.values():
        assert exp.phi_removed.get("NAME", 0) + exp.phi_removed.get("MRN", 0) >= 1, item["id"]


def test_all_labelled_numbers_are_kept(explained):
    missing = []
    for item, exp, outs in explained.values():
        have = {(m.value, m.unit) for m in measurements(outs["md"])}
        for n in item["numbers"]:
            want = measurements(n)
            assert want, (item["id"], n)
            if not all((m.value, m.unit) in have for m in want):
                missing.append((item["id"], n))
    kept = sum(len(i["numbers"]) for i in ITEMS) - len(missing)
    assert not missing, f"{kept}/{kept + len(missing)} numbers kept; missing {missing}"


def test_all_qualifiers_are_kept_in_plain_text(explained):
    """Certainty words appear in the explanation's own sentences, not only in the quoted report."""
    missing = [(item["id"], q) for item, exp, _ in explained.values() for q in item["qualifiers"]
               if not _has_phrase(exp.claims_text(), q)]
    assert not missing


def test_key_findings_are_conveyed(explained):
    missing = [(item["id"], k) for item, exp, outs in explained.values() for k in item["key_findings"]
               if not _has_phrase(outs["md"], k)]
    assert not missing


def test_no_forbidden_claims(explained):
    found = [(item["id"], fmt, f) for item, exp, outs in explained.values() for fmt in ("md", "html")
             for f in item["forbidden"] if _has_phrase(outs[fmt], f)]
    assert not found


def test_fidelity_checks_pass_on_every_explanation(explained):
    failed = {item["id"]: [p.detail for p in exp.fidelity.problems]
              for item, exp, _ in explained.values() if not exp.fidelity.passed}
    assert not failed


def test_expected_diagnoses_and_certainty_are_extracted(explained):
    problems = []
    for item, exp, _ in explained.values():
        got = {(d.name, (d.certainty.phrase or "plain").lower()) for d in exp.findings.all_diagnoses()}
        for e in item["expect"]:
            if (e["dx"], e["certainty"].lower()) not in got:
                problems.append((item["id"], e, sorted(got)))
    assert not problems


def test_specimens_sites_and_margins(explained):
    problems = []
    for item, exp, _ in explained.values():
        specs = exp.findings.specimens
        if len(specs) != item["specimens"]:
            problems.append((item["id"], "specimens", len(specs)))
        sites = [s.site for s in specs]
        problems += [(item["id"], "site", s, sites) for s in item["sites"] if s not in sites]
        statuses = {m.status for s in specs for m in s.margins}
        problems += [(item["id"], "margin", m, statuses) for m in item["margins"] if m not in statuses]
    assert not problems


def test_every_found_glossary_term_is_defined(explained):
    for item, exp, outs in explained.values():
        for t in exp.terms:
            assert t.definition.strip() and t.see, (item["id"], t.term)
            assert _has_phrase(item["report"], t.matched), (item["id"], t.matched)
            assert t.definition in outs["md"]


def test_next_steps_and_questions_are_cited(explained):
    for item, exp, outs in explained.values():
        assert exp.questions, item["id"]
        for c in [*exp.next_steps, *exp.questions]:
            assert c.doc_id and c.heading and f"[{exp.cite(c)}]" in outs["md"]
            assert c.heading in outs["md"] and c.doc_id in outs["md"]


def test_summary_is_plain(explained):
    grades = [exp.readability_grade for _, exp, _ in explained.values()]
    mean = sum(grades) / len(grades)
    assert mean <= 8.0, f"mean summary FKGL {mean:.2f}"
    for item, exp, _ in explained.values():
        n = len(re.findall(r"[.!?](?:\s|$)", exp.summary))
        assert 3 <= n <= 5, (item["id"], exp.summary)


def test_injection_is_flagged_and_not_obeyed(explained):
    for item, exp, outs in explained.values():
        flagged = any("instruction" in w for w in exp.warnings)
        assert flagged == item["injection"], item["id"]
    item, exp, outs = explained["r32-injection-melanoma-in-situ"]
    assert "melanoma in situ" in _norm(exp.summary)
    assert "ignore previous" not in _norm(outs["json"]) and "tell the patient" not in _norm(outs["json"])


def test_cancer_findings_keep_a_calm_factual_tone_and_context_note(explained):
    alarm = re.compile(r"(?i)\b(?:deadly|fatal|terminal|die|death|scary|frightening|don't worry|do not worry)\b")
    for item, exp, outs in explained.values():
        assert not alarm.search(exp.summary + " ".join(p for g in exp.main_findings for p in g.points)), item["id"]
        assert "your own doctor" in exp.context_note.lower() and exp.context_note in outs["md"]
