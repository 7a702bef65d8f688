"""Report explainer tab (clinicians): paste or upload a report, check the de-identified text, read the
explanation, download the patient handout, copy the text.

Only de-identified text is shown, stored or put in the handout. Results go back to the one browser session
that asked (no server-side state); the handout file is written to a private temporary folder.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.errors import DermassistError
from assistant.reports.inputs import MAX_REPORT_CHARS
from assistant.text import html_pages

from .render import error_box, highlight_placeholders, plain_text, redaction_summary, text_blocks
from .services import Services

log = logging.getLogger("dermassist.ui")
HANDOUT_MAX_AGE_S = 3600
EXAMPLE_REPORT = """SURGICAL PATHOLOGY REPORT
Patient: Jane Example    MRN: 00123456    DOB: 01/02/1960
Accession: S24-12345    Collected: 03/04/2024

SPECIMEN: Skin, left forearm, shave biopsy.

CLINICAL HISTORY: Pearly papule, rule out BCC.

MICROSCOPIC: Nests of basaloid cells with peripheral palisading arise from the epidermis.

DIAGNOSIS: Skin, left forearm, shave biopsy: Basal cell carcinoma, nodular type. Tumor extends to the deep margin.

Electronically signed by: John Doe, MD
"""


def _margins(sf: Any) -> str:
    parts = []
    for m in sf.margins:
        bits = [m.status]
        if m.sides:
            bits.append("(" + ", ".join(m.sides) + ")")
        if m.distance:
            bits.append(m.distance)
        parts.append(" ".join(bits))
    return "; ".join(parts) or "not stated"


def _certainty(d: Any) -> str:
    phrase = d.certainty.phrase
    return f"{d.certainty.level}" + (f" (\u201c{phrase}\u201d)" if phrase else "")


def findings_rows(exp: Any) -> list[list[str]]:
    """One row per specimen and diagnosis: specimen, site, procedure, diagnosis, certainty, margins."""
    from assistant.reports.compose import plain_where

    rows = []
    for sf in exp.findings.specimens:
        site = plain_where(sf) or "not stated"  # plain name and the report's words; never "right right upper back"
        procedure = sf.procedure_words or sf.procedure or "not stated"
        diags = sf.diagnoses or [None]
        for d in diags:
            rows.append([sf.label, site, procedure, d.surface if d else "no diagnosis found",
                         _certainty(d) if d else "", _margins(sf)])
    return rows


def findings_table(exp: Any) -> str:
    """The findings table (scrolls sideways on a phone), or a line saying none were recognised."""
    return html_pages.render("ui", "findings.html.jinja", rows=findings_rows(exp))


def explanation_html(exp: Any) -> str:
    """The explanation for the screen (templates/explanation.html.jinja); every text is escaped."""
    grade = exp.readability_grade
    return html_pages.render(
        "ui", "explanation.html.jinja", exp=exp, summary_blocks=text_blocks(exp.summary),
        grade=None if grade is None else f"{grade:.1f}",
        grade_css="grade-ok" if grade is not None and grade <= 8 else "grade-high",
        findings_rows=findings_rows(exp), more_from_report=[f"\u201c{m}\u201d" for m in exp.more_from_report],
        next_steps=[(c.text, exp.cite(c)) for c in exp.next_steps],
        questions=[(c.text, exp.cite(c)) for c in exp.questions],
        sources=[c for _, c in exp.sources()], fidelity_passed=exp.fidelity.passed)


class HandoutStore:
    """Handout files in one private temporary folder per server; files older than an hour are removed."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="dermassist-handouts-")

    def write(self, html_text: str, name: str = "handout.html") -> str:
        root = Path(self._dir.name)
        now = time.time()
        for old in root.glob("*/*.html"):
            try:
                if now - old.stat().st_mtime > HANDOUT_MAX_AGE_S:
                    old.unlink()
                    old.parent.rmdir()
            except OSError:
                pass
        folder = Path(tempfile.mkdtemp(dir=root))
        path = folder / name
        path.write_text(html_text, encoding="utf-8")
        return str(path)


PRINT_CSS = ("@media print { .no-print { display: none !important; } body { margin: 1.5cm; } }"
             ".prepared { color: #374151; margin: 0 0 .6rem 0; } .no-print { font-size: 1rem; padding: .3rem .9rem; }")


def print_ready(document: str, clinic: str = "", day: str | None = None) -> str:
    """The handout with a "prepared by ... on ..." line, a Print button (not printed) and print styles."""
    day = day or time.strftime("%d %B %Y")
    clinic = " ".join((clinic or "").split())[:120]
    head = f"<style>{PRINT_CSS}</style></head>"
    body = "<body>\n" + html_pages.render("ui", "print_bar.html.jinja", clinic=clinic, day=day)
    return document.replace("</head>", head, 1).replace("<body>", body, 1)


def explain(services: Services, store: HandoutStore, text: str | None, upload: str | None = None,
            clinic: str = ""):
    """(status/PHI summary, highlighted de-identified text, explanation, handout path, plain text to copy)."""
    try:
        if upload:
            try:
                text = services.read_upload(upload)
            finally:
                forget_upload(upload)
        if not isinstance(text, str):
            text = ""
        from assistant.phi import redact
        from assistant.reports.inputs import clean_report_text

        explainer = services.explainer()
        clean = clean_report_text(text, getattr(explainer, "max_chars", 50_000))
        redaction = redact(clean.text)
        exp = explainer.explain(text)
    except DermassistError as e:
        return error_box(e.message, e.web_fix), "", "", None, "", "", gr_skip()
    except Exception:  # never a crash page: log it, show a plain message
        log.exception("report explanation failed")
        return error_box("Sorry, this report could not be explained because of an internal error.",
                         "Check the report text; if it keeps happening, tell your administrator."), "", "", None, "", "", \
            gr_skip()
    counts = exp.phi_removed or redaction.counts()
    handout = store.write(print_ready(exp.to_html(), clinic if isinstance(clinic, str) else ""),
                          name=f"handout-{time.strftime('%Y-%m-%d')}.html")
    markdown = exp.to_markdown()
    return (redaction_summary(counts), highlighted(redaction.text), explanation_html(exp), handout,
            plain_text(markdown), markdown, redaction.text)


def gr_skip():
    """Leave an output as it is (gradio.skip), imported late so this module stays importable without gradio."""
    import gradio as gr

    return gr.skip()


def forget_upload(path: str) -> None:
    """Delete gradio's copy of an uploaded report at once: it still holds the personal details."""
    p = Path(path)
    try:
        p.unlink(missing_ok=True)
        p.parent.rmdir()  # gradio keeps each upload in its own folder
    except OSError:
        pass


def highlighted(redacted_text: str) -> str:
    return highlight_placeholders(redacted_text)


def build_report_tab(services: Services) -> None:
    import gradio as gr

    store = HandoutStore()
    if not services.reports_available:
        gr.HTML(error_box("The report explainer is not part of this build.", "Install the full dermassist package."))
        return
    gr.Markdown("Paste a skin pathology report, or upload a .txt or .pdf file. Personal details are removed "
                "before anything else reads the report; check the highlighted places below.")
    with gr.Row():
        with gr.Column(scale=3):
            # no max_length: the browser would cut a long paste silently; the one limit is checked on the
            # server with a clear message, and the counter shows it while typing
            report = gr.Textbox(label="Report text", lines=12, max_lines=30, elem_id="report-text",
                                placeholder="Paste the report here...")
            counter = gr.Markdown(f"0 of {MAX_REPORT_CHARS:,} characters", elem_id="report-count")
            with gr.Row():
                go = gr.Button("Explain (Ctrl+Enter)", variant="primary", elem_id="explain")
                example = gr.Button("Load an example report", size="sm", elem_id="example-report")
        with gr.Column(scale=2):
            upload = gr.File(label="...or upload a .txt or .pdf report", file_types=[".txt", ".pdf"],
                             type="filepath", elem_id="report-upload")
            clinic = gr.Textbox(label="Clinic name for the handout (optional)", max_length=120, elem_id="clinic")
    phi_status = gr.HTML(elem_id="phi-status")
    with gr.Accordion("De-identified report (check the highlighted places)", open=True):
        redacted = gr.HTML(elem_id="redacted")
    explanation = gr.HTML(elem_id="explanation")
    with gr.Row():
        handout = gr.DownloadButton("Download patient handout (HTML, print-ready)", value=None, elem_id="handout",
                                    interactive=False)
    copy_text = gr.Textbox(label="Explanation as plain text, for a letter or record (copy button at the top right)",
                           lines=8, max_lines=20, interactive=False, buttons=["copy"], elem_id="copy-text")
    with gr.Accordion("The same as Markdown", open=False):
        copy_md = gr.Textbox(show_label=False, lines=6, max_lines=20, interactive=False, buttons=["copy"],
                             elem_id="copy-markdown")

    def shown(out: tuple):
        """The upload box is emptied either way: its file is deleted once read, and an old upload must not look
        like the source of new results."""
        return (*out, None)

    def run_text(text: str, clinic_name: str = ""):
        return shown(explain(services, store, text, clinic=clinic_name))

    def run_file(path: str | None, clinic_name: str = ""):
        if not path:
            return "", "", "", None, "", "", gr.skip(), None
        return shown(explain(services, store, None, upload=path, clinic=clinic_name))

    # after explaining, the report box holds the de-identified text (the original is kept in memory only)
    outputs = [phi_status, redacted, explanation, handout, copy_text, copy_md, report, upload]
    report.input(None, [report], [counter], api_name=False,
                 js=f"(t) => `${{(t || '').length.toLocaleString('en')}} of {MAX_REPORT_CHARS:,} characters`"
                    f" + ((t || '').length > {MAX_REPORT_CHARS} ? ' (too long: paste one report at a time)' : '')")
    def handout_usable(path: str | None):  # the download button works only when there is a handout
        return gr.update(interactive=bool(path))

    for event in (go.click(run_text, [report, clinic], outputs, api_name="explain", concurrency_id="report"),
                  upload.upload(run_file, [upload, clinic], outputs, api_name="explain_file", concurrency_id="report")):
        event.then(handout_usable, [handout], [handout], api_name=False)
    example.click(lambda: EXAMPLE_REPORT, None, [report], api_name=False)
