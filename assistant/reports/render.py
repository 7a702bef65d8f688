"""ReportExplanation -> Markdown (screen), HTML (a self-contained patient handout to print or download) and JSON.

The HTML escapes every piece of text and has no scripts or external links to load.
"""

from __future__ import annotations

import html
import re

TITLE = "Your skin biopsy report, explained"


def _quote_md(text: str) -> str:
    return "\n".join("> " + (ln.strip() or "") for ln in text.strip().splitlines() if ln.strip())


def _md_safe(text: str) -> str:
    """Report text shown in Markdown: no raw HTML tags can survive (angle brackets are escaped)."""
    return text.replace("<", "&lt;").replace(">", "&gt;") if re.search(r"<\s*[a-zA-Z/!]", text) else text


def to_markdown(exp) -> str:
    out = [f"# {TITLE}", ""]
    if exp.warnings:
        out += ["**Please note**", "", *[f"- {w}" for w in exp.warnings], ""]
    out += ["## Summary", "", exp.summary, ""]
    if exp.what_was_tested:
        out += ["## What was tested", "", *[f"- {t}" for t in exp.what_was_tested], ""]
    out += ["## What the report found", ""]
    for g in exp.main_findings:
        out += [f"### {g.title}", ""]
        if g.report_words:
            out += ["The report's words:", "", _md_safe(_quote_md(g.report_words)), ""]
        out += [f"- {p}" for p in g.points] + ([""] if g.points else [])
    if exp.other_results:
        out += ["### Other results", "", *[f"- {_md_safe(p)}" for p in exp.other_results], ""]
    for note in exp.report_notes:
        out += [_md_safe(note), ""]
    if exp.more_from_report:
        out += ["### More from the report", "", "These parts of the report are shown in its own words. The word "
                "list below explains the medical terms.", ""]
        out += [f"- \"{_md_safe(s)}\"" for s in exp.more_from_report] + [""]
    if exp.terms:
        out += ["## What the words mean", ""]
        out += [f"- **{t.term}**" + (f" ({t.matched})" if t.matched.lower() != t.term.lower() else "")
                + f": {t.definition}" for t in exp.terms]
        out.append("")
    if exp.next_steps:
        out += ["## What may happen next", "", "General guidance from the dermassist knowledge base; your doctor will "
                "say which parts apply to you.", ""]
        out += [f"- {c.text} [{exp.cite(c)}]" for c in exp.next_steps] + [""]
    if exp.questions:
        out += ["## Questions to ask your doctor", ""]
        out += [f"- {c.text} [{exp.cite(c)}]" for c in exp.questions] + [""]
    if exp.sources():
        out += ["**Sources**", ""]
        out += [f"[{n}] {c.title} — {c.heading} (`{c.doc_id}`)  " for n, c in exp.sources()]
        out.append("")
    out += ["---", "", f"_{exp.context_note}_", "", f"_{exp.disclaimer}_", ""]
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
line-height:1.55;color:#1d2433}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d8dde6;padding-bottom:.2rem}
h3{font-size:1.05rem}blockquote{margin:.5rem 0;padding:.5rem .9rem;background:#f4f6f9;border-left:4px solid #8a99b3;
white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
.note{background:#fff6df;border:1px solid #e8c66a;padding:.6rem .9rem;border-radius:6px}
.cite{color:#4a5a78;font-size:.85rem}.small{color:#4a5a78;font-size:.9rem}
@media print{body{margin:0}.note{border-color:#999}}
"""


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def to_html(exp) -> str:
    parts = [f"<h1>{_e(TITLE)}</h1>"]
    if exp.warnings:
        parts.append('<div class="note"><strong>Please note</strong>' + _list([_e(w) for w in exp.warnings]) + "</div>")
    parts += ["<h2>Summary</h2>", f"<p>{_e(exp.summary)}</p>"]
    if exp.what_was_tested:
        parts += ["<h2>What was tested</h2>", _list([_e(t) for t in exp.what_was_tested])]
    parts.append("<h2>What the report found</h2>")
    for g in exp.main_findings:
        parts.append(f"<h3>{_e(g.title)}</h3>")
        if g.report_words:
            parts.append(f"<p class=\"small\">The report's words:</p><blockquote>{_e(g.report_words)}</blockquote>")
        if g.points:
            parts.append(_list([_e(p) for p in g.points]))
    if exp.other_results:
        parts += ["<h3>Other results</h3>", _list([_e(p) for p in exp.other_results])]
    parts += [f"<p>{_e(n)}</p>" for n in exp.report_notes]
    if exp.more_from_report:
        parts += ["<h3>More from the report</h3>", '<p class="small">These parts of the report are shown in its own '
                  "words. The word list below explains the medical terms.</p>",
                  _list([f"&ldquo;{_e(s)}&rdquo;" for s in exp.more_from_report])]
    if exp.terms:
        parts += ["<h2>What the words mean</h2>",
                  "<dl>" + "".join(f"<dt><strong>{_e(t.term)}</strong></dt><dd>{_e(t.definition)}</dd>"
                                   for t in exp.terms) + "</dl>"]
    if exp.next_steps:
        parts += ["<h2>What may happen next</h2>",
                  '<p class="small">General guidance from the dermassist knowledge base; your doctor will say which '
                  "parts apply to you.</p>",
                  _list([f'{_e(c.text)} <span class="cite">[{exp.cite(c)}]</span>' for c in exp.next_steps])]
    if exp.questions:
        parts += ["<h2>Questions to ask your doctor</h2>",
                  _list([f'{_e(c.text)} <span class="cite">[{exp.cite(c)}]</span>' for c in exp.questions])]
    if exp.sources():
        parts += ["<h2>Sources</h2>", "<ol class=\"small\">" + "".join(
            f"<li>{_e(c.title)} — {_e(c.heading)} ({_e(c.doc_id)})</li>" for _, c in exp.sources()) + "</ol>"]
    parts += [f"<p><em>{_e(exp.context_note)}</em></p>", f"<p class=\"small\"><em>{_e(exp.disclaimer)}</em></p>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(TITLE)}</title><style>{_CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def to_json(exp) -> str:
    return exp.model_dump_json(indent=2)
