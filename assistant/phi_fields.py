"""De-identification, first pass: labelled fields (``Patient:``, ``MRN:``, ``DOB:``...), a header line of labels
with its values on the next line, tab-separated rows and table cells. ``assistant.phi`` runs it before its free-text
patterns; the rules share ``assistant.phi_patterns``."""

from __future__ import annotations

import re

from .text.sentences import address_sentence_end
from .phi_patterns import (
    _LABEL_KINDS, _LABEL_RE, _LOOSE_LABEL_RE, _FIELD_END, _MONTHS, _NOT_PERSON_WORDS, _NOT_NAMES, _STOP_WORDS,
    _PARTICLES, _TITLE_PREFIX, _JOB_WORDS, _CRED_WORDS,
)

KINDS: tuple[str, ...] = ("NAME", "MRN", "DATE", "PHONE", "EMAIL", "ADDRESS", "ID", "AGE")
_QUOTES = "\"“”'‘’()"


def _is_name_token(tok: str) -> bool:
    t = tok.strip(".,")
    if len(t) > 2 and t[0] in _QUOTES and t[-1] in _QUOTES:  # a nickname: "Peggy", ("Ken")
        t = t.strip(_QUOTES)
    if not t:
        return False
    if t.lower() in _PARTICLES or re.match(r"(?:al|el|ad|ar|as|ash|at|az|an|d|l)[-'’][^\W\d_]", t):
        return True  # particles, "al-Hashimi", "d'Angelo"
    letters = t.replace("'", "").replace("’", "").replace("-", "").replace(".", "")
    return letters.isalpha() and t[0].isupper()


def _name_extent(value: str) -> int:
    """Length of the leading part of ``value`` that reads as a person's name (0 when it does not)."""
    m = _TITLE_PREFIX.match(value)
    pos, end, words, commas = m.end(), 0, 0, 0
    for tm in re.finditer(r"[^\s,^]+|[,^]", value[pos:]):
        tok = tm.group(0)
        if tok in {",", "^"}:
            # "SURNAME, Given" and "GARZA DE LA CRUZ, MARIA" go on after the comma; "C. Grant, Abbeyfield" does not
            before = value[pos:pos + tm.start()]
            commas += tok == ","  # HL7 "SURNAME^GIVEN^M" has carets, not commas
            first = before.split()[0].rstrip(".") if before.split() else ""
            surname_like = (before.replace("'", "").replace("-", "").replace(" ", "").isupper()
                            or (len(first) > 1 and first.isupper())  # "WONG Ka-Yan, Grace"
                            or any(w.lower() in _PARTICLES for w in before.split()))  # "Fernández de la Cruz, Ramón"
            if commas > 1 or (words >= 2 and not surname_like):
                break
            continue
        bare = tok.strip(".,():#" + _QUOTES)
        if bare.lower() in _CRED_WORDS or bare.lower() in _JOB_WORDS or \
                (bare.lower() in _STOP_WORDS and not (words and bare.istitle() and bare.lower() == "man")):
            break  # "CHAN Tai Man": a given name, not "man"
        if not _is_name_token(tok):
            break
        words += bare.lower() not in _PARTICLES
        end = pos + tm.end()
        if words >= 6:
            break
    text = value[:end].rstrip(".,")
    has_real = any(len(w.strip(".,")) >= 2 and w.strip(".,").lower() not in _NOT_NAMES
                   for w in re.split(r"[\s,^]+", text[m.end():]) if w)
    return len(text) if has_real else 0


def _title_len(value: str) -> int:
    return _TITLE_PREFIX.match(value).end()


def _add(spans: list[tuple[int, int, str]], start: int, end: int, kind: str) -> None:
    if end > start:
        spans.append((start, end, kind))


def _labelled(text: str, spans: list[tuple[int, int, str]], names: list[str]) -> None:
    for regex in (_LABEL_RE, _LOOSE_LABEL_RE):
        for m in regex.finditer(text):
            kind = next(k for k in KINDS if m.groupdict().get(k))
            vstart = m.end()
            fm = _FIELD_END.search(text, vstart)
            vend = fm.start() if fm else len(text)
            if vend == vstart and regex is _LABEL_RE:  # label alone on its line: value on the next line
                nxt = re.compile(r"[ \t]*\n[ \t]*(?P<v>[^\n]+)").match(text, vstart)
                if not nxt or _LABEL_RE.match(text, nxt.start("v")):
                    continue
                vstart = nxt.start("v")
                fm = _FIELD_END.search(text, vstart)
                vend = fm.start() if fm else len(text)
            _value(text, vstart, vend, kind, spans, names)


def _value(text: str, start: int, end: int, kind: str, spans: list, names: list[str]) -> None:
    value = text[start:end]
    stripped = value.rstrip(" .,")
    if not stripped or stripped.lower() in {"unknown", "n/a", "na", "none", "not provided", "not given", "-"}:
        return
    if stripped.startswith("["):  # already a placeholder
        return
    if kind == "NAME":
        first = value.split(",")[0].split()
        # "From: Golden Acres Home for the Aged", "To: ER, Philippine General Hospital" are places; "From: Trinh Bao
        # Chau, Medical Records Clerk" is a person with a job after the comma
        if {w.lower().strip(".,") for w in first[:6]} & _NOT_PERSON_WORDS or (
                len(first) < 2 and {w.lower().strip(".,") for w in value.split()[:6]} & _NOT_PERSON_WORDS):
            return  # "From: Golden Acres Home for the Aged": a place, not a person
        n = _name_extent(value)
        t = _title_len(value)
        if n > t:
            _add(spans, start + t, start + n, "NAME")
            names.append(value[t:n])
    elif kind == "AGE":
        m = re.match(r"\s*\(?(\d{1,3})(?!\d)", value)
        if m and int(m.group(1)) > 89:
            _add(spans, start + m.start(1), start + m.end(1), "AGE")
    elif kind in ("MRN", "ID"):
        # "2953 46216 1 / 2" and "4271 83953 1 (IRN 3)" (Medicare with its reference number), "412 345 678K",
        # "1Z 88W 420 03 7714 5562" (a tracking number)
        m = re.match(r"#?\s*[A-Za-z0-9][A-Za-z0-9#/\-.]*(?:\s(?=[A-Z]{0,3}\d)[A-Z\d][A-Z\d\-/]*)*(?:\([A-Za-z0-9]\))?"
                     r"(?:[ \t]?[/\-][ \t]?\d{1,2}\b|[ \t]\((?:IRN[ \t]?)?\d\))?", stripped)
        code = m.group(0) if m else ""
        if m and (sum(c.isdigit() for c in code) >= 3 or re.fullmatch(r"[A-Z]{3}\d{2}[A-Z]{2}", code) or  # NZ NHI
                  # or a station code: "TSID: EORLA-PATH-FX3"
                  (re.fullmatch(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+){2,}", code) and re.search(r"\d", code))):
            _add(spans, start, start + len(code.rstrip(".-")), kind)
    elif kind == "PHONE":
        m = re.match(r"\+?[\d(][\d\s().\-]*\d(?:\s*(?:ext\.?|x)\s*\d+)?", stripped)
        if m and (sum(c.isdigit() for c in m.group(0)) >= 6 or re.fullmatch(r"\d{3,5}", m.group(0))):  # or a pager
            _add(spans, start, start + m.end(), kind)
    elif kind == "DATE":
        m = re.match(r"(?:(?:\d{1,4}(?:st|nd|rd|th)?|" + _MONTHS + r"[a-z]*\.?)[/.\-, ]{0,2})+", stripped)
        if m and (re.search(r"\d", m.group(0)) or re.match(_MONTHS, m.group(0))):
            _add(spans, start, start + len(m.group(0).rstrip(" ,.-/")), "DATE")
    else:  # ADDRESS, EMAIL: the whole field (an address ends where a new sentence starts)
        end = address_sentence_end(stripped) if kind == "ADDRESS" else len(stripped)
        _add(spans, start, start + end, kind)


_COLUMN_LABEL = re.compile(r"(?i)^(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABEL_KINDS) + r")$")


def _row_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a tab- or pipe-separated table row ("| a | b |" has two cells)."""
    sep = "|" if "|" in line else "\t"
    bounds = [-1] + [i for i, c in enumerate(line) if c == sep] + [len(line)]
    cells = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
    if sep == "|" and cells and not line[:cells[0][1]].strip():
        cells = cells[1:]  # the edge pipes of "| a | b |"
    if sep == "|" and cells and not line[cells[-1][0]:].strip():
        cells = cells[:-1]
    return cells


def _tab_rows(text: str, lines: list[str], offsets: list[int], spans: list, names: list[str]) -> None:
    """Tab- or pipe-separated tables: a header row naming columns (Patient, DOB, Age, Lab No...), then rows of
    values."""
    for i, ln in enumerate(lines):
        if ("\t" not in ln and "|" not in ln) or ":" in ln:
            continue
        heads = _row_cells(ln)
        kinds = []
        for a, b in heads:
            cm = _COLUMN_LABEL.match(ln[a:b].strip().rstrip(":#."))
            kinds.append(next((k for k in KINDS if cm and cm.group(k)), None))
        texts = [ln[a:b].strip() for a, b in heads]
        labels = [i for i, k in enumerate(kinds) if k]
        key_value = labels and all(i % 2 == 0 for i in labels) and all(not kinds[i] for i in range(1, len(kinds), 2))
        if len(labels) < 2 or key_value or any(re.search(r"\d", t) or len(t) > 30 for t in texts):
            continue  # "| Patient | X | MRN | Y |" is a key/value row (_cells), not a header
        for j in range(i + 1, len(lines)):
            if re.fullmatch(r"[\s|:+\-=]+", lines[j]) and "-" in lines[j]:  # a markdown rule under the header
                continue
            cells = _row_cells(lines[j])
            if len(cells) != len(heads) or not lines[j].strip():
                break
            for (a, b), kind in zip(cells, kinds):
                cell = lines[j][a:b]
                if kind and cell.strip() and not _COLUMN_LABEL.match(cell.strip().rstrip(":#.")):
                    lead = len(cell) - len(cell.lstrip())
                    _value(text, offsets[j] + a + lead, offsets[j] + a + len(cell.rstrip()), kind, spans, names)


def _columns(text: str, spans: list, names: list[str]) -> None:
    """A header line of labels only (no colons), with values on the next line in the same columns."""
    lines = text.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    _tab_rows(text, lines, offsets, spans, names)
    for i, ln in enumerate(lines[:-1]):
        cells = [(m.start(), m.group(0).strip()) for m in re.finditer(r"\S+(?: \S+)*", ln)]
        if len(cells) < 2 or ":" in ln or "\t" in ln:  # tab tables: _tab_rows
            continue
        kinds = []
        for _, cell in cells:
            cm = _COLUMN_LABEL.match(cell)
            kinds.append(next((k for k in KINDS if cm and cm.group(k)), None))
        if sum(k is not None for k in kinds) < 2:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines):
            continue
        row = lines[j]
        values = [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", row)]
        for vs, ve in values:
            col = max((c for c in range(len(cells)) if cells[c][0] <= vs + 1), default=0)
            kind = kinds[col]
            if kind:
                _value(text, offsets[j] + vs, offsets[j] + ve, kind, spans, names)


_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")


def _cells(text: str, spans: list, names: list[str]) -> None:
    """Key/value rows of tables: "| Patient | Surname, First |", "Patient<TAB>Surname, First"."""
    pos = 0
    for ln in text.split("\n"):
        if "|" in ln or "\t" in ln or "  " in ln.strip():
            cells, last = [], 0
            for sep in list(_CELL_SPLIT.finditer(ln)) + [None]:
                end = sep.start() if sep else len(ln)
                if end > last:
                    cells.append((last, end))
                last = sep.end() if sep else len(ln)
            for (ks, ke), (vs, ve) in zip(cells, cells[1:]):
                key = ln[ks:ke].strip().rstrip(":#.").strip()
                cm = _COLUMN_LABEL.match(key)
                kind = next((k for k in KINDS if cm and cm.group(k)), None)
                if kind and not _COLUMN_LABEL.match(ln[vs:ve].strip().rstrip(":#.")):
                    _value(text, pos + vs, pos + ve, kind, spans, names)
        pos += len(ln) + 1


# Words that end or veto a name found in running text (built once; the patterns test every candidate word).
