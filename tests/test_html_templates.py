"""HTML pages come from Jinja2 templates with autoescape: dataset and report text stays text, the report's one
inline script still matches its Content-Security-Policy hash, and no page module escapes HTML by hand."""

import base64
import hashlib
import re

import pytest

from tests.conftest import REPO

XSS = '<script>alert(1)</script> and "quotes"'
PAGE_MODULES = ["eval/report.py", "eval/review.py", "assistant/reports/render.py", "ui/report_tab.py",
                "ui/quality_tab.py", "ui/app.py"]


def _result():
    from eval.results import ItemResult

    return ItemResult(
        dataset="qa", kind="qa", id="x1", input={"question": f"Is psoriasis contagious? {XSS}",
                                                 "reference_answer": "No <b>it is not</b>."},
        output={"status": "answered", "text": "Psoriasis is not contagious [1].",
                "citations": [{"n": 1, "doc_id": "psoriasis", "heading": "Contagious <i>?</i>", "text": XSS}]},
        scores={"claim_recall": 0.5, "key_fact_recall": 0.5, "faithfulness": 1.0},
        details={"claims": [{"claim": f"Not contagious {XSS}", "verdict": "stated", "unit": XSS}],
                 "faithfulness_all": [{"sentence": "Psoriasis is not contagious [1].", "supported": True}],
                 "key_facts": [{"fact": XSS, "matched": False}],
                 "coverage": {"covered": True, "topics": ["psoriasis"]}})


def test_report_html_escapes_dataset_text_and_its_script_matches_the_csp_hash():
    from eval.report import render_html
    from eval.review import SCRIPT, script_hash

    summary = {"run": {"date": "2026-01-01", "backend": "grounded", "embedder": "minilm",
                       "knowledge_base": {"version": "v1", "documents": 3, "sha256": "0123456789abcdef0123"},
                       "seconds_total": 1.5, "packages": {"jinja2": "3"}},
               "datasets": [{"name": "qa", "kind": "qa", "items": 1, "run": 1, "errors": 0}],
               "notes": [f"note {XSS}"],
               "metrics": {"key_fact_recall": {"value": 0.5, "low": 0.2, "high": 0.8, "n": 1}},
               "coverage": {"topics": {"psoriasis": 1}, "no_known_topic": 0, "uncovered_topics": {XSS: 1}}}
    page = render_html(summary, [_result()])
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</body></html>")
    assert "<script>alert(1)</script>" not in page and "<b>it is not</b>" not in page and "<i>?</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &#34;quotes&#34;" in page
    assert "No &lt;b&gt;it is not&lt;/b&gt;." in page and "Contagious &lt;i&gt;?&lt;/i&gt;" in page
    # the one inline script is SCRIPT byte for byte, and the CSP allows exactly its hash
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert scripts == [SCRIPT] and page.count("<script") == 1
    digest = "sha256-" + base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = re.search(r"http-equiv='Content-Security-Policy' content=\"([^\"]*)\"", page).group(1)
    assert digest == script_hash() and f"script-src '{digest}'" in csp
    # the ids, classes and data attributes the page's script and the browser tests use
    for part in ("<details class='q' data-id='x1'", "data-recall='0.5'", "data-contra='0'", "data-faith='0.0'",
                 "id='q-filter'", "id='q-show'", "id='q-sort'", "id='q-count'", "<div id='q-items'>",
                 "<li class='stated'><b>stated</b>", "<ol class='cites'>", "<h2>Coverage</h2>", "<h2>Packages</h2>"):
        assert part in page, part


def test_quality_tab_review_has_no_script_and_escapes():
    from eval.review import items_html

    out = items_html([_result()])
    assert out.startswith("<p>1 shown</p><div class='q-list'><details class='q'") and "<script" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_handout_escapes_report_text():
    from assistant.reports.explain import explain_report
    from assistant.reports.render import to_html

    exp = explain_report("SPECIMEN: Skin, left forearm, shave biopsy.\n"
                         "DIAGNOSIS: Basal cell carcinoma, nodular type. <img src=x onerror=alert(1)>\n"
                         "COMMENT: Re-excision <img src=x onerror=alert(1)> is advised.\n")
    exp.report_notes.append("Note <img src=x onerror=alert(1)> & more")  # the explainer strips tags: put one back
    page = to_html(exp)
    assert page.startswith("<!DOCTYPE html>") and page.count("<body>") == 1 and page.count("</head>") == 1
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; &amp; more" in page
    assert "basal cell carcinoma" in page.lower()


def test_screen_explanation_and_header_escape():
    from types import SimpleNamespace

    from assistant.reports.explain import explain_report
    from ui.app import header_html
    from ui.report_tab import explanation_html, print_ready

    exp = explain_report("DIAGNOSIS: Skin, left forearm, shave biopsy: Basal cell carcinoma, nodular type.\n")
    exp.warnings.append("Careful <img src=x onerror=alert(1)>")
    page = explanation_html(exp)
    assert page.startswith('<div class="explanation">') and "<img" not in page and "&lt;img src=x" in page
    assert '<div class="warn-box" role="alert"><strong>Please note</strong><ul>' in page
    printed = print_ready(exp.to_html(), clinic="Clinic <b>A</b>", day="1 May 2026")
    assert "Prepared by Clinic &lt;b&gt;A&lt;/b&gt; on 1 May 2026." in printed and "window.print()" in printed
    services = SimpleNamespace(backend_info=lambda: ("grounded", True, "model <x>"))
    header = header_html(services, staff_page=True)
    assert "Backend: <strong>grounded</strong> (model &lt;x&gt;)" in header and 'id="offline-pill"' in header


@pytest.mark.parametrize("path", PAGE_MODULES)
def test_page_modules_do_not_escape_html_by_hand(path):
    source = (REPO / path).read_text(encoding="utf-8")
    assert not re.search(r"\bhtml\.escape\s*\(", source), path
    assert not re.search(r"^\s*import html\s*$", source, flags=re.M), path
    assert not re.search(r"^def _e\(", source, flags=re.M), path


def test_every_template_folder_is_package_data_and_loads():
    from assistant.text.html_pages import environment

    setup = (REPO / "setup.py").read_text(encoding="utf-8")
    folders = (("eval", "eval/templates", '"templates/*.jinja"'), ("ui", "ui/templates", '"templates/*.jinja"'),
               ("assistant.reports", "assistant/reports/templates", '"reports/templates/*.jinja"'))
    for package, folder, pattern in folders:
        files = sorted(p.name for p in (REPO / folder).glob("*.jinja"))
        assert files and pattern in setup, folder
        env = environment(package)
        assert env.autoescape is True and sorted(env.list_templates()) == files
        for name in files:
            env.get_template(name)  # every template compiles
