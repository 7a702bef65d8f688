"""ReportExplanation -> Markdown (screen), HTML (a self-contained patient handout to print or download) and JSON.

The HTML comes from templates/handout.html.jinja (autoescape: every piece of text is escaped) and has no scripts
or external links to load.
"""

from __future__ import annotations

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
    if exp.suggestions:
        out += ["### What the report suggests", "", *[f"- {p}" for p in exp.suggestions], ""]
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


def to_html(exp) -> str:
    """The printable handout: templates/handout.html.jinja, every text escaped by autoescape."""
    from assistant.text.html_pages import render

    return render("assistant.reports", "handout.html.jinja", title=TITLE, exp=exp,
                  next_steps=[(c.text, exp.cite(c)) for c in exp.next_steps],
                  questions=[(c.text, exp.cite(c)) for c in exp.questions],
                  sources=[c for _, c in exp.sources()]) + "\n"


def to_json(exp) -> str:
    return exp.model_dump_json(indent=2)
