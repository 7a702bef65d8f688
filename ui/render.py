"""HTML/Markdown rendering for the app. Pure functions: no gradio import, easy to unit-test.

Rule: every piece of text that came from a user, a report or a model is escaped here before it reaches the
browser. Only the markup these functions add themselves is ever rendered as HTML. The chat messages (Markdown) are
built here; the tabs' HTML pages and fragments (header, explanation, quality summary) come from ui/templates/
with autoescape (assistant.text.html_pages).
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any, Iterable, Mapping

from assistant.text.citations import marker_pattern

PLACEHOLDER = re.compile(r"\[(NAME|MRN|DATE|PHONE|EMAIL|ADDRESS|ID|AGE)\]")

# label -> (css class, heading shown in the banner); labels without an entry get no banner
BANNERS: dict[str, tuple[str, str]] = {
    "emergency": ("banner-emergency", "Emergency: get medical help now"),
    "crisis": ("banner-crisis", "You are not alone: support is available now"),
    "see_doctor_soon": ("banner-doctor", "Please see a doctor soon"),
    "dosing": ("banner-info", "About your own medicine dose"),
    "out_of_scope": ("banner-info", "Outside what dermassist covers"),
    "injection": ("banner-info", "Request ignored"),
}
ICONS = {"emergency": "\u26a0\ufe0f", "crisis": "\U0001f49c", "see_doctor_soon": "\U0001fa7a"}
# Help lines named in the safety messages (assistant/safety/messages.py): shown as tap-to-call links
HELP_LINES = ("116 123", "911", "999", "112", "988")
_HELP_LINE = re.compile(r"(?<![\w/])(" + "|".join(re.escape(n) for n in HELP_LINES) + r")(?![\w/])")


def tel_links(escaped: str) -> str:
    """Turn the help-line numbers in already-escaped safety text into tel: links."""
    return _HELP_LINE.sub(lambda m: f'<a class="tel" href="tel:{m.group(1).replace(" ", "")}">{m.group(1)}</a>',
                          escaped)
_BULLET = re.compile(r"^\s*[-*]\s+")


_AUTOLINK = re.compile(r"(?i)(\w)(://)|\b(www)(\.)")


def esc(text: Any) -> str:
    """Escape text for HTML *and* neutralise Markdown: emphasis and code markers, link brackets, and the
    "://" or "www." a renderer would turn into a link, so typed text can never become a link."""
    return _markdown_inert(html.escape("" if text is None else str(text), quote=True))


def _markdown_inert(html_text: str) -> str:
    """Escaped text (or HTML built from it) made inert for a Markdown renderer too: emphasis and code markers,
    link brackets, and the "://" or "www." of autolinks. The tags this module adds contain none of these."""
    s = html_text.replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;").replace("[", "&#91;")
    return _AUTOLINK.sub(lambda m: f"{m.group(1)}&#58;//" if m.group(2) else f"{m.group(3)}&#46;", s.replace("]", "&#93;"))


def h(text: Any) -> str:
    """Escape text for an HTML context."""
    return html.escape("" if text is None else str(text), quote=True)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field from a pydantic model or from its JSON dict (the API returns dicts)."""
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Plain text as blocks: blank lines split paragraphs ("p", its lines), runs of '- ' lines become lists
    ("ul", the items without their bullets). The text is not escaped: templates and ``paragraphs`` do that."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        run: list[str] = []
        kind = None
        for ln in lines + [None]:
            this = None if ln is None else ("ul" if _BULLET.match(ln) else "p")
            if run and this != kind:
                out.append((kind, [_BULLET.sub("", x) for x in run] if kind == "ul" else run))
                run = []
            if ln is not None:
                run.append(ln)
                kind = this
    return out


def paragraphs(text: str) -> str:
    """Escaped text: blank lines split paragraphs, runs of '- ' lines become lists, single newlines are kept."""
    return "".join("<ul>" + "".join(f"<li>{h(x)}</li>" for x in lines) + "</ul>" if kind == "ul"
                   else "<p>" + "<br>".join(h(x) for x in lines) + "</p>" for kind, lines in text_blocks(text))


# ---------------------------------------------------------------------------------------------- chat
def pinned(triage: Any) -> bool:
    """Get-help-now safety replies (emergency, crisis) are pinned above the input until dismissed; every other
    notice is a gentler card inside the answer (``notice_card``)."""
    label = _get(triage, "label")
    return label in ("emergency", "crisis") and (_get(triage, "tier") == "get_help_now"
                                                  or _get(triage, "action") == "short_circuit")


def _card_body(triage: Any) -> str:
    message = _get(triage, "message") or ""
    notices = [n for n in (_get(triage, "notices") or []) if n]
    if not message and not notices:
        return ""
    return tel_links(_markdown_inert(paragraphs(message) + "".join(f"<p>{h(n)}</p>" for n in notices)))


def triage_banner(triage: Any) -> str:
    """The pinned safety card for emergency and crisis replies (icon, heading, tap-to-call numbers); "" for
    anything else (those notices are shown inside the answer by ``notice_card``)."""
    label = _get(triage, "label")
    if label not in BANNERS or not pinned(triage):
        return ""
    css, title = BANNERS[label]
    body = _card_body(triage)
    if not body:
        return ""
    icon = f'<span class="card-icon" aria-hidden="true">{ICONS[label]}</span>' if label in ICONS else ""
    return (f'<div class="triage-banner safety-card {css}" role="alert" data-label="{h(label)}" tabindex="-1">'
            f'<h2 class="banner-title">{icon}{h(title)}</h2>{body}</div>')


GENTLE_TITLES = {"emergency": "If this could be urgent", "crisis": "Support is there if you need it"}


def notice_card(triage: Any) -> str:
    """A gentler card shown above the answer: see-a-doctor, dosing and other notices, and the resources shown
    first for a possible emergency or crisis. "" when the reply is pinned, is itself the notice, or has none."""
    label = _get(triage, "label")
    if label not in BANNERS or pinned(triage) or _get(triage, "action") == "short_circuit":
        return ""
    body = _card_body(triage)
    if not body:
        return ""
    css, title = BANNERS[label]
    title = GENTLE_TITLES.get(label, title)
    icon = f'<span class="card-icon" aria-hidden="true">{ICONS[label]}</span>' if label in ICONS else ""
    return (f'<div class="notice-card {css}" role="note" data-label="{h(label)}"><p class="notice-title"><strong>'
            f"{icon}{h(title)}</strong></p>{body}</div>\n\n")


def _source_item(label: str, url: str) -> str:
    """One guideline source; linked only when the knowledge base gives an https address for it."""
    if url.startswith("https://") and not re.search(r"[\s\"'<>]", url):
        return f'<li><a href="{h(url)}" target="_blank" rel="noopener noreferrer">{h(label)}</a></li>'
    return f"<li>{h(label)}</li>"


def citation_block(c: Any, uid: str) -> str:
    """A cited passage as a collapsible block (lists kept), with its document's sources, linked where known."""
    urls = list(_get(c, "source_urls") or [])
    sources = [_source_item(s, urls[i] if i < len(urls) else "") for i, s in enumerate(_get(c, "sources") or [])]
    n = h(_get(c, "n"))
    return (f'<details class="citation" id="cite-{uid}-{n}"><summary>[{n}] {h(_get(c, "title"))} — '
            f'{h(_get(c, "heading"))}</summary><div class="passage">{paragraphs(_get(c, "text") or "")}</div>'
            + (f'<p>Guidance this is based on:</p><ul>{"".join(sources)}</ul>' if sources else "") + "</details>")


_ESCAPED_MARKER = marker_pattern("&#91;", "&#93;")  # a marker in text escaped by esc()


def _linked(m: re.Match, uid: str, known: set[str]) -> str:
    """An escaped marker as links to the answer's own cited passages ("[1, 2]" -> two links)."""
    nums = [n.strip() for n in m.group(1).split(",")]
    if not all(n in known for n in nums):
        return m.group(0)
    return ", ".join(f'<a class="cite-ref" href="#cite-{uid}-{n}">[{n}]</a>' for n in nums)


def answer_markdown(answer: Any, *, partial_text: str | None = None) -> str:
    """The assistant's chat message (Markdown, every piece of text escaped): the answer with its [n] markers
    linked to its own cited passages, notices, and those passages (collapsible) with their sources."""
    text = partial_text if partial_text is not None else (_get(answer, "text") or "")
    if partial_text is not None:
        return esc(text)
    triage = _get(answer, "triage")
    if pinned(triage) and _get(triage, "label") in BANNERS:  # the help-now reply: a card, not a grey bubble
        css, title = BANNERS[_get(triage, "label")]
        icon = f'<span class="card-icon" aria-hidden="true">{ICONS.get(_get(triage, "label"), "")}</span>'
        return (f'<div class="notice-card {css}" role="note" data-label="{h(_get(triage, "label"))}">'
                f'<p class="notice-title"><strong>{icon}{h(title)}</strong></p>{tel_links(_markdown_inert(paragraphs(text)))}'
                '</div>')
    cites = _get(answer, "citations") or []
    uid = hashlib.sha1(f"{_get(answer, 'question')}\x00{text}".encode()).hexdigest()[:8]
    known = {str(_get(c, "n")) for c in cites}
    body = _ESCAPED_MARKER.sub(lambda m: _linked(m, uid, known), esc(text))
    lines = [notice_card(_get(answer, "triage")) + body]
    for n in _get(answer, "notices") or []:
        lines.append(f"\n_{esc(n)}_")
    if cites:
        lines.append('\n<div class="answer-sources"><strong>Sources</strong>'
                     + "".join(citation_block(c, uid) for c in cites) + "</div>")
    return "\n".join(lines)


def render_sources(answer: Any) -> str:
    """Numbered citations; each expands to the cited passage, its document title and the document's sources."""
    cites = _get(answer, "citations") or []
    if not cites:
        return ""
    parts = []
    for c in cites:
        refs = "".join(f"<li>{h(s)}</li>" for s in _get(c, "sources") or [])
        parts.append(
            f'<details class="citation" id="cite-{h(_get(c, "n"))}"><summary>[{h(_get(c, "n"))}] '
            f'{h(_get(c, "title"))} — {h(_get(c, "heading"))}</summary>'
            f'<blockquote>{h(_get(c, "text"))}</blockquote>'
            f'<p class="doc-id">Document: <code>{h(_get(c, "doc_id"))}</code></p>'
            f"{'<p>Guidance this is based on:</p><ul>' + refs + '</ul>' if refs else ''}</details>")
    return "\n".join(parts)


def grade_badge(answer: Any) -> str:
    """The reading level in words ("Easy to read"), with the grade as a detail (<= 8 is the target)."""
    grade = _get(answer, "readability_grade")
    if grade is None:
        return ""
    css = "grade-ok" if grade <= 8.0 else "grade-high"
    words = "Easy to read" if grade <= 8.0 else "Some harder words"
    return (f'<span class="grade-badge {css}">{words} (reading grade {float(grade):.1f}; '
            f"8 or lower suits most readers)</span>")


# ---------------------------------------------------------------------------------------------- reports
def highlight_placeholders(redacted_text: str) -> str:
    """De-identified report as HTML: everything escaped, placeholders such as [NAME] marked for checking."""
    escaped = h(redacted_text or "")
    marked = PLACEHOLDER.sub(lambda m: f'<mark class="phi" data-kind="{m.group(1)}">[{m.group(1)}]</mark>', escaped)
    return f'<pre class="redacted">{marked}</pre>'


def redaction_summary(counts: Mapping[str, int]) -> str:
    if not counts:
        return '<p class="phi-summary">No personal details were found. Check the text below before sharing.</p>'
    items = ", ".join(f"{h(k)}: {int(v)}" for k, v in sorted(counts.items()))
    return f'<p class="phi-summary">Removed personal details ({items}). Check the highlighted places below.</p>'


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]], css: str = "") -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in headers)
    body = "".join("<tr>" + "".join(f"<td>{h('' if v is None else v)}</td>" for v in r) + "</tr>" for r in rows)
    return f'<table class="{h(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def bullet_list(items: Iterable[Any]) -> str:
    items = [i for i in items if i not in (None, "")]
    return "<ul>" + "".join(f"<li>{h(i)}</li>" for i in items) + "</ul>" if items else ""


def error_box(message: str, fix: str = "") -> str:
    fix_html = f"<p><strong>How to fix:</strong> {h(fix)}</p>" if fix else ""
    return f'<div class="error-box" role="alert"><p>{h(message)}</p>{fix_html}</div>'


_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def plain_text(markdown: str) -> str:
    """Markdown as text that pastes cleanly into a letter or a record: no #, **, _ or link syntax; bullets as
    "• "; blank lines kept between blocks."""
    out = []
    for line in (markdown or "").splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)  # headings
        line = re.sub(r"^(\s*)[-*+]\s+", lambda m: m.group(1) + "\u2022 ", line)  # bullets
        line = _MD_LINK.sub(r"\1", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", line)
        line = line.replace("\\", "")
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
