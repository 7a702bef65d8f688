"""Every way the project cuts text into sentences and clauses, in one place.

``split_sentences`` is the sentence splitter: abbreviation-aware ("Dr. Smith", "e.g. this", "J. K. Rowe" stay
whole), a stop before a stage code that starts in lower case still ends a sentence ("... 0.6 mm. pT1a ..."), and
every Markdown bullet or line is its own sentence. The answer backends, the answer guard, the report fidelity check
and the evaluation all split with it.

The others cut finer or coarser for one job each, and say why:

- ``split_prose`` : knowledge-base prose for the report explainer's guidance lines (a stop before a capital, a
  digit, a quote or bracket; no abbreviation rule, so "stages I to V. Level I ..." is two sentences);
- ``split_clauses``: a patient's message for the triage head (sentences, semicolons, line breaks and dashes;
  a long sentence once more at commas and joining words);
- ``split_report_clauses``: a report's findings (a stop after a number ends a clause only before a capital, so
  "0.6 mm. pT1a" stays with its number; a spaced dash before a capital ends one);
- ``split_report_cells``: a report's lines for the raw-fact reader (also semicolons, tabs, table pipes and runs of
  three or more spaces, which separate cells in pasted tables);
- ``first_sentence``: the text up to its first stop (the evaluation reads which topic a reference answer is about
  from it, bullets after a colon included);
- ``items_on_lines``: "Breslow: 0.6 mm. Ulceration: absent" -> one synoptic item a line (a stop, then a label
  and a colon);
- ``value_sentence``: a report field's value up to the next sentence ("6/mm2. Peripheral margins clear." -> "6/mm2");
- ``address_sentence_end``: where an address field ends: a stop after a word of four letters or a number, before a
  capitalised word (not after "ul.", "St." or "Col.");
- ``split_fine_clauses``: an answer sentence for the evaluation's claim checks (also commas, colons, brackets,
  dashes and "but", "while", "whereas").
"""

from __future__ import annotations

import re

# a sentence ends at . ! ? before a capital, a digit, a quote or bracket, or a stage code that starts in lower case
# ("... 0.6 mm. pT1a ...")
# No split after a title, a common abbreviation or an initial ("Dr. Smith", "e.g. this", "J. K. Rowe").
_NO_SPLIT_AFTER = "".join(rf"(?<!\b{a})" for a in (r"Dr\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Prof\.", r"St\.", r"e\.g\.",
                                                   r"i\.e\.", r"vs\.", r"approx\.", r"cf\.", r"Fig\.", r"No\.",
                                                   r"[A-Z]\."))
_SENTENCE_END = re.compile(r"(?<=[.!?])" + _NO_SPLIT_AFTER + r"\s+(?=[A-Z0-9\"'(\[]|(?:y|r)?p[TNM](?:is|[0-4X]))")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; each Markdown bullet or line is its own sentence."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line).strip()
        if line:
            out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


# A sentence that leans on the one before it: pronoun or connective first, or "Use them", "Apply it"...
DEPENDENT_START = re.compile(
    r"^(it|its|they|them|their|these|this|those|that|such|both|he|she|here|there|but|however|so|also|"
    r"instead|then|otherwise|still|yet|and|or|if so|even so)\b|^\w+ (it|them|these|this|those)\b", re.I)


# ----------------------------------------------------------------------------------------------- the other cuts
_PROSE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_MESSAGE_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*[;\n]+\s*|\s+(?:-{1,2}|\u2013|\u2014)\s+")
_MESSAGE_SUBCLAUSE = re.compile(r",\s+|\s+(?:but|and then|and now|and i|and my|so i|because|cause|bc|tbh)\s+",
                                re.I)
_REPORT_CLAUSE = re.compile(r"(?<=[^\d\s][.;])\s+|(?<=\d[.;])\s+(?=[A-Z])|\n+|(?<!\s)[ \t]{1,4}-[ \t]{1,4}(?=[A-Z])")
_REPORT_CELL = re.compile(r"(?<=[.;!?])\s+(?=[A-Za-z(])|\n+|\t+|\s*\|\s*|\s{3,}")
_FINE_CLAUSE = re.compile(r"(?<=[.!?])\s+|[,;:()\u2013\u2014]|\s-\s|\bbut\b|\bwhile\b|\bwhereas\b")


def split_prose(text: str) -> list[str]:
    """Sentences of one paragraph of prose (stripped, empty ones dropped)."""
    return [s.strip() for s in _PROSE_END.split(text or "") if s.strip()]


def split_clauses(text: str, *, long_words: int = 14, max_chars: int = 400) -> list[str]:
    """A message's clauses of two words or more (each at most ``max_chars``); a sentence of more than
    ``long_words`` words is split once more at commas and joining words."""
    out: list[str] = []
    for sentence in _MESSAGE_SENTENCE.split(text or ""):
        sentence = sentence.strip()
        if not sentence:
            continue
        parts = _MESSAGE_SUBCLAUSE.split(sentence) if len(sentence.split()) > long_words else [sentence]
        out.extend(p.strip()[:max_chars] for p in parts if len(p.split()) >= 2)
    return out


def split_report_clauses(text: str) -> list[str]:
    return [c.strip() for c in _REPORT_CLAUSE.split(text or "") if c and c.strip()]


def split_report_cells(line: str) -> list[str]:
    """Cells and sentences of one report line (not stripped; may be empty)."""
    return _REPORT_CELL.split(line)


def split_fine_clauses(text: str) -> list[str]:
    return [p.strip() for p in _FINE_CLAUSE.split(text or "") if p and p.strip()]


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", (text or "").strip(), maxsplit=1)[0]


_ITEM_AFTER_STOP = re.compile(r"(?<=[.;])[ \t]+(?=(?:[A-Z]|p[TNM]\b)[A-Za-z '()/\-]{0,60}?[ \t]{0,5}[:=])")
_VALUE_END = re.compile(r"(?<=[A-Za-z0-9²%)])\.\s+(?=[A-Z])")
_ADDRESS_END = re.compile(r"(?:(?<=[^\W\d_]{4})|(?<=\d))\.\s+(?=[A-Z][a-z])")


def items_on_lines(text: str) -> str:
    return _ITEM_AFTER_STOP.sub("\n", text)


def value_sentence(value: str) -> str:
    return _VALUE_END.split(value, maxsplit=1)[0]


def address_sentence_end(text: str) -> int:
    m = _ADDRESS_END.search(text)
    return m.start() if m else len(text)
