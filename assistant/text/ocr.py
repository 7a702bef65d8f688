"""Letters that optical character recognition confuses with digits, read back as digits for pattern matching.

A faxed or scanned report often has "6l3 555 0l98" or "14/O3/2O25": the digit patterns of the de-identification
(dates, phone numbers, record numbers) miss them. ``digits_view`` returns a copy of the text of the same length in
which l and I read as 1 and O and o as 0, only inside number-like pieces (a run of digits and those letters with at
least one digit, after an optional letter prefix such as "S25-" or "MRI-K"); a piece of those letters alone turns
only between number pieces of a long code ("1933-ll-04"). Spans found on the copy are spans of the original text.
Words are never changed ("Ill", "Oil", "Io" have no digit).
"""

from __future__ import annotations

import re

_CONFUSED = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[\-/:.][A-Za-z0-9]+)*")
_PIECE = re.compile(r"[A-Za-z0-9]+")
_NUMBERISH = re.compile(r"^(?P<prefix>[A-Za-z]*?)(?P<body>[0-9lIOo]*[0-9][0-9lIOo]*)$")


def _fix_token(tok: str) -> str:
    if not re.search(r"\d", tok) or not re.search(r"[lIOo]", tok):
        return tok
    pieces = list(_PIECE.finditer(tok))
    digits = sum(c.isdigit() for c in tok)
    out = list(tok)
    for p in pieces:
        s = p.group(0)
        m = _NUMBERISH.match(s)
        if m and re.search(r"[lIOo]", m.group("body")):
            start = p.start() + len(m.group("prefix"))
            body = m.group("body").translate(_CONFUSED)
            out[start:start + len(body)] = body
        elif digits >= 4 and len(pieces) >= 3 and re.fullmatch(r"[lIOo]{1,2}", s) \
                and p.start() > 0 and p.end() < len(tok):
            out[p.start():p.end()] = s.translate(_CONFUSED)
    return "".join(out)


def digits_view(text: str) -> str:
    """``text`` with OCR digit look-alikes inside number-like pieces read as digits (same length)."""
    if not text or not re.search(r"\d", text):
        return text
    return _TOKEN.sub(lambda m: _fix_token(m.group(0)), text)
