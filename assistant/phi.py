"""De-identification: find personal health information (PHI) and replace it with typed placeholders.

``redact(text)`` returns a :class:`Redaction` whose ``text`` has placeholders such as ``[NAME]``, ``[MRN]``,
``[DATE]``, ``[PHONE]``, ``[EMAIL]``, ``[ADDRESS]``, ``[ID]`` and ``[AGE]``, and whose ``spans`` say where
(on the ORIGINAL text) each item was and what kind it was, never what it said. ``contains_phi(text)`` lists the
kinds still present, for residual checks on anything about to be logged, stored or sent to an LLM.

Rule based and deterministic: labelled fields (``Patient:``, ``MRN:``, ``DOB:``...), column layouts (a header
line of labels with the values on the next line), titles (Dr., Mr., Ms.), signatures with credentials
(``Jane Roe, MD``), dates, ages over 89, phone numbers, emails, street addresses and postcodes, SSN-like and
accession-like numbers. Names found once are also removed wherever they appear again. Medical numbers
(0.6 mm, 4 mm punch, pT1a, 1.2 x 0.8 cm, IgG, C3, Clark level IV, 2/mm2) are left alone.
"""

from __future__ import annotations

import re
from itertools import takewhile
from typing import Literal

from pydantic import BaseModel, Field

# the patterns and word lists the rules below use
from .phi_patterns import (
    _LABEL_KINDS, _LABEL_RE, _LOOSE_LABEL_RE, _FIELD_END, _MONTHS, _DATE_RES, _EMAIL_RE, _SSN_RE, _PHONE_RE,
    _ACCESSION_RE, _TYPIST_RE, _EXTENSION_RE, _LONG_NUMBER_RE, _AGE_RES, _STREET_RE, _EURO_STREET_RE,
    _POSTCODE_TOWN_RE, _STATE_POSTCODE_RE, _TOWN_POSTCODE_RE, _CA_POSTCODE_RE, _PIN_RE, _PO_BOX_RE, _POSTCODE_RE,
    _ZIP_RE, _TITLE_RE, _CREDENTIAL_RE, _INITIALS_RE, _RELATION_RE, _GREETING_RE, _CAPS_SURNAME_RE, _ABBREVIATIONS,
    _NAME_BEFORE_ID_RE, _CJK_NAME_RE, _REGISTRATION_RE, _URL_RE, _CODE_RE, _SELF_INTRO_RE, _SIGN_OFF_RE,
    _SENTENCE_STARTERS, _NOT_PERSON_WORDS, _EPONYMS, _NOT_NAMES, _STOP_WORDS, _REPORT_WORDS, _CLINICAL_CODE,
    _DATE_LIKE, _PARTICLES, _TITLE_PREFIX, _JOB_WORDS, _TITLE_WORDS, _CRED_WORDS, _CAPS_RELATION_RE, _SCRIPT_NAME_RE,
    _LOCATION_RE, _NATIONAL_SHAPE_RE, _PAGER_RE, _COUNTRY_TAIL_RE, _SIGNATURE_LINE_RE, _CJK_NOT_NAME,
    _CAPS_NAME_BEFORE_ID_RE, _SCRIPT_NOT_NAMES, _VIET, _VIET_NAME_RE, _SCRIPT_LABEL_AFTER, _NAME_INTRO_RE,
    _CAPS_FIRST_RE, _VIET_PLACES, _CHAT_SENDER_RE, _ROLE_AFTER_RE, _HL7_NAME_RE, _HL7_ADDRESS_RE,
)

PhiKind = Literal["NAME", "MRN", "DATE", "PHONE", "EMAIL", "ADDRESS", "ID", "AGE"]
KINDS: tuple[str, ...] = ("NAME", "MRN", "DATE", "PHONE", "EMAIL", "ADDRESS", "ID", "AGE")


class PhiSpan(BaseModel):
    """Where one PHI item was in the original text (offsets only; the value is never kept)."""

    kind: PhiKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Redaction(BaseModel):
    text: str
    spans: list[PhiSpan] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.spans:
            out[s.kind] = out.get(s.kind, 0) + 1
        return out


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
            commas += 1
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
        if {w.lower().strip(".,") for w in value.split()[:6]} & _NOT_PERSON_WORDS:
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
        m = re.match(r"#?\s*[A-Za-z0-9][A-Za-z0-9#/\-.]*(?:\s\d[\d\-/]*)*(?:\([A-Za-z0-9]\))?", stripped)
        if m and sum(c.isdigit() for c in m.group(0)) >= 3:
            _add(spans, start, start + len(m.group(0).rstrip(".-")), kind)
    elif kind == "PHONE":
        m = re.match(r"\+?[\d(][\d\s().\-]*\d(?:\s*(?:ext\.?|x)\s*\d+)?", stripped)
        if m and (sum(c.isdigit() for c in m.group(0)) >= 6 or re.fullmatch(r"\d{3,5}", m.group(0))):  # or a pager
            _add(spans, start, start + m.end(), kind)
    elif kind == "DATE":
        m = re.match(r"(?:(?:\d{1,4}(?:st|nd|rd|th)?|" + _MONTHS + r"[a-z]*\.?)[/.\-, ]{0,2})+", stripped)
        if m and (re.search(r"\d", m.group(0)) or re.match(_MONTHS, m.group(0))):
            _add(spans, start, start + len(m.group(0).rstrip(" ,.-/")), "DATE")
    else:  # ADDRESS, EMAIL: the whole field (an address ends where a new sentence starts)
        # a sentence ends after a word of four letters or a number, not after "ul.", "St." or "Col."
        cut = re.search(r"(?:(?<=[^\W\d_]{4})|(?<=\d))\.\s+(?=[A-Z][a-z])", stripped) if kind == "ADDRESS" else None
        _add(spans, start, start + (cut.start() if cut else len(stripped)), kind)


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
_BAD_WORDS = frozenset(_NOT_NAMES | _STOP_WORDS | _NOT_PERSON_WORDS | _REPORT_WORDS | _TITLE_WORDS)
_BAD_OR_EPONYM = _BAD_WORDS | _EPONYMS
_FACILITY_WORDS = frozenset(_JOB_WORDS | _NOT_PERSON_WORDS | {"hosp", "hist", "path", "derm", "lab", "ward"})
_VIET_LETTER = re.compile("[" + _VIET + "]")


def _patterns(text: str, spans: list, names: list[str]) -> None:
    for m in _EMAIL_RE.finditer(text):
        _add(spans, m.start(), m.end(), "EMAIL")
    for m in _SSN_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            _add(spans, m.start(), m.end(), "DATE")
    for m in _PHONE_RE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        if 9 <= digits <= 15 and not re.fullmatch(r"[\d.]+", m.group(0)):
            _add(spans, m.start(), m.end(), "PHONE")
    for m in _ACCESSION_RE.finditer(text):
        _add(spans, m.start(), m.end(), "MRN")
    for m in _EXTENSION_RE.finditer(text):
        _add(spans, m.start("n"), m.end("n"), "PHONE")
    for m in _TYPIST_RE.finditer(text):
        g = "name" if m.group("name") else "alone"
        if m.group(g).lower() not in {"and/or", "w/o", "s/p"} and not re.match(r"(?i)(?:cd\d|ck)", m.group(g)):
            _add(spans, m.start(g), m.end(g), "NAME")
    for m in _LONG_NUMBER_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for rx in _AGE_RES:
        for m in rx.finditer(text):
            _add(spans, m.start("age"), m.end("age"), "AGE")
    for rx in (_STREET_RE, _PO_BOX_RE, _POSTCODE_RE, _ZIP_RE, _EURO_STREET_RE, _POSTCODE_TOWN_RE, _STATE_POSTCODE_RE,
               _CA_POSTCODE_RE, _PIN_RE, _TOWN_POSTCODE_RE):
        for m in rx.finditer(text):
            if not re.search(r"(?i)\b(margin|mm|cm|level|clark|breslow|deep|peripheral|stage|grade)\b", m.group(0)):
                _add(spans, m.start(), m.end(), "ADDRESS")
    for m in _SIGN_OFF_RE.finditer(text):
        group = "name" if m.group("name") else "dash"
        words = m.group(group).split()
        lows = {w.lower().strip(".,") for w in words}
        if words[0].lower() in _SENTENCE_STARTERS or lows & (_NOT_NAMES | _STOP_WORDS | _NOT_PERSON_WORDS | _EPONYMS |
                                                             _JOB_WORDS):
            continue
        _add(spans, m.start(group), m.end(group), "NAME")
        names.append(m.group(group))
    for m in _URL_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for m in _REGISTRATION_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for m in _CODE_RE.finditer(text):
        code = m.group(0)
        digits = sum(c.isdigit() for c in code)
        if digits >= 4 and (re.search(r"[A-Z]", code) or (digits >= 7 and "-" in code)) \
                and not _CLINICAL_CODE.match(code) and not _DATE_LIKE.fullmatch(code) \
                and not re.match(r"[ \t]?(?:%|mm|cm|µm|um|/mm|per\b|x\b)", text[m.end():m.end() + 4]):
            _add(spans, m.start(), m.end(), "MRN")
    for rx in (_CJK_NAME_RE, _SCRIPT_NAME_RE):
        for m in rx.finditer(text):
            word = m.group(0)
            if set(word) & _CJK_NOT_NAME or word in _SCRIPT_NOT_NAMES or _SCRIPT_LABEL_AFTER.match(text, m.end()):
                continue  # "Пациент / Patient:", "姓名 Name:": a field label in the other script
            end = m.end()
            if word[0].lower() != word[0].upper():  # a script with capitals (Greek, Cyrillic, Armenian...)
                if word[0].islower() or word.isupper():
                    continue  # a name starts with a capital and is no heading in capitals
                parts = re.split(r"([ \t\-])", word)
                lead = len(list(takewhile(lambda p: p[:1].isupper(), parts[::2])))
                before = text[:m.start()].rstrip()[-1:]
                if lead < 2 and before not in "(/:":
                    continue  # "Забудь все свои правила": a sentence, not a name
                end = m.start() + len("".join(parts[:2 * lead - 1]))
            _add(spans, m.start(), end, "NAME")
    for m in _VIET_NAME_RE.finditer(text):
        if _VIET_LETTER.search(m.group(0)) and m.group(0) not in _VIET_PLACES:
            _add(spans, m.start(), m.end(), "NAME")
            names.append(m.group(0))
    for rx, kind in ((_LOCATION_RE, "ID"), (_NATIONAL_SHAPE_RE, "ID")):
        for m in rx.finditer(text):
            _add(spans, m.start(), m.end(), kind)
    for m in _PAGER_RE.finditer(text):
        _add(spans, m.start("n"), m.end("n"), "PHONE")
    for m in _COUNTRY_TAIL_RE.finditer(text):
        parts = m.group("addr").split(",")
        first = next(i for i, part in enumerate(parts) if re.search(r"\d", part))
        lead = len(",".join(parts[:first])) + (1 if first else 0)
        if not re.search(r"(?i)\b(?:mm|cm|margin|level|clark|breslow|stage|grade|x)\b", m.group(0)[lead:]):
            _add(spans, m.start() + lead + (len(parts[first]) - len(parts[first].lstrip())), m.end(), "ADDRESS")
    for m in _HL7_ADDRESS_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ADDRESS")
    for rx in (_RELATION_RE, _GREETING_RE, _CAPS_SURNAME_RE, _INITIALS_RE, _NAME_BEFORE_ID_RE, _CAPS_RELATION_RE,
               _CAPS_NAME_BEFORE_ID_RE, _NAME_INTRO_RE, _CAPS_FIRST_RE, _CHAT_SENDER_RE, _ROLE_AFTER_RE, _HL7_NAME_RE):
        for m in rx.finditer(text):
            name = m.group("name")
            words = re.split(r"[\s,]+", name)
            if rx is _CAPS_SURNAME_RE and (words[0].split("-")[0].upper() in _ABBREVIATIONS or re.fullmatch(r"[IVX]+", words[0])
                                           or {w.lower().strip(".,") for w in words} & _EPONYMS):
                continue
            if rx is _HL7_NAME_RE and any(len(w) <= 2 and i < 2 or w.upper() in _ABBREVIATIONS or w.lower() in _FACILITY_WORDS
                                          for i, w in enumerate(name.split("^"))):
                continue  # "MERCY^MR", "DERM^CLINIC": a facility or a code, not a person
            if rx is _CAPS_FIRST_RE and (words[0] in _ABBREVIATIONS or not re.search("[AEIOUY" + "ÀÁÂÃÄÅÆÈÉÊËÌÍÎÏÒÓÔÕÖØÙÚÛÜÝ]",
                                                                                   words[0]) or len(words[0]) < 3
                                         and words[0] not in {"LI", "WU", "HO", "NG", "LU", "MA", "XU", "YU", "HU"}):
                continue  # "BCC Nodular": an abbreviation; a family name has a vowel ("NG", "WU" are listed)
            if rx in (_RELATION_RE, _CAPS_RELATION_RE, _NAME_INTRO_RE):  # running text: the name ends at ordinary words
                keep = []
                for w in words:
                    if w.lower().strip(".,") in _BAD_OR_EPONYM or w.upper() in _ABBREVIATIONS:
                        break
                    keep.append(w)
                if not keep or (rx is _CAPS_RELATION_RE and len(keep[0]) < 3):
                    continue
                name = name[:name.index(keep[-1]) + len(keep[-1])].rstrip(".")
            elif {w.lower().strip(".,") for w in words} & _BAD_WORDS:
                continue
            _add(spans, m.start("name"), m.start("name") + len(name), "NAME")
            names.append(name)
    for m in _SIGNATURE_LINE_RE.finditer(text):
        name = m.group("name").strip()
        words = [w.strip(".,") for w in re.split(r"[\s,]+", name) if w.strip(".,")]
        ambiguous = re.search(r"(?:DO|MS|MB|DM|NP|RN)$", m.group(0))  # "I CANT DO THIS": no doctor of osteopathy
        if ambiguous and not re.match(r"[ \t]*(?:$|\n|[,;|\t(])", text[m.end():]):
            continue
        if any(len(w) == 1 and not re.match(re.escape(w) + r"\.", name[name.find(w):]) for w in words):
            continue  # a lone letter without a dot ("I") is no initial
        if 2 <= len(words) <= 6 and all(_is_name_token(w) or w.lower() in _PARTICLES for w in words) \
                and not {w.lower() for w in words} & (_BAD_OR_EPONYM | _JOB_WORDS | _CRED_WORDS) \
                and not any(w.upper() in _ABBREVIATIONS for w in words):
            _add(spans, m.start("name"), m.start("name") + len(name), "NAME")
            names.append(name)
    for rx in (_TITLE_RE, _CREDENTIAL_RE, _SELF_INTRO_RE):
        for m in rx.finditer(text):
            if m.group("name").split()[0].rstrip(".").lower() in _TITLE_WORDS:
                continue  # "Prof. Dr. med. [NAME]": a title after a title is no name
            n = _name_extent(m.group("name"))
            if n:
                _add(spans, m.start("name"), m.start("name") + n, "NAME")
                names.append(m.group("name")[:n])


def _propagate(text: str, spans: list, names: list[str]) -> None:
    """Remove other appearances of names already found (as written, or in capitals)."""
    tokens = set()
    for name in names:
        for tok in re.split(r"[\s,^]+", name):
            t = tok.strip(".,()")
            low = t.lower()
            if len(t) >= 2 and t[0].isupper() and low not in _NOT_NAMES | _PARTICLES | _EPONYMS | _STOP_WORDS | \
                    _TITLE_WORDS | _REPORT_WORDS:
                name_case = re.sub(r"(^|[-'’])(\w)", lambda m: m.group(1) + m.group(2).upper(), low)
                tokens.update({t, t.upper(), t.capitalize(), name_case})  # O'SULLIVAN-REYES -> O'Sullivan-Reyes
    for t in sorted(tokens, key=len, reverse=True):
        for m in re.finditer(r"(?<![\w\[])" + re.escape(t) + r"(?![\w\]])", text):
            _add(spans, m.start(), m.end(), "NAME")


_ADDRESS_PART = r"(?:[A-Z0-9][\w'’.\-/]*(?:[ \t][A-Za-z0-9][\w'’.\-]*){0,4})"
_ADDR_LEFT = re.compile(r"(?:" + _ADDRESS_PART + r"[ \t]*,[ \t]*){1,4}$")
_ADDR_RIGHT = re.compile(r"^(?:[ \t]*,[ \t]*" + _ADDRESS_PART + r"){1,3}(?=[ \t]*(?:$|\n|\||\t|;|\.(?:\s|$)|,[ \t]+[a-z]))")


def _widen_addresses(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An address found by one pattern takes the comma-separated parts beside it on its line
    ("Koramangala, Bengaluru - 560034", "10115 Berlin, Germany")."""
    out = []
    for s, e, k in spans:
        if k == "ADDRESS":
            line_start = text.rfind("\n", 0, s) + 1
            line_start = max(line_start, s - 160)  # an address line is short; bounds the search on huge lines
            before = text[line_start:s]
            cut = max(before.rfind(":"), before.rfind("|"), before.rfind("\t"))
            m = _ADDR_LEFT.search(before[cut + 1:])
            if m and not re.search(r"(?i)\b(?:mm|cm|margin|biopsy|skin|specimen|lives|resides|residing|at|of)\b",
                                   m.group(0)):
                s = line_start + cut + 1 + m.start()
            m = _ADDR_RIGHT.match(text[e:e + 120])
            if m and not re.search(r"(?i)\b(?:mm|cm|margin|biopsy|skin|specimen)\b", m.group(0)):
                e += m.end()
        out.append((s, e, k))
    return out


_NICKNAME_AFTER = re.compile(r"[ \t]*\(?[\"“'‘][A-Z][\w\-]{1,15}[\"”'’]\)?(?:[ \t][A-Z][\w'’\-]+){0,2}")
_EXTENSION_AFTER = re.compile(r"(?i)[ \t]*,?[ \t]*(?:ext|extn|x)\.?[ \t]*\d{1,6}\b")
_PAGER_WORD_BEFORE = re.compile(r"(?i)\b(?:bleep|pager|ext|extn)\.?[ \t:#]*$")


def _extend(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A nickname after a name ('Ma. Teresa "Tess" Ocampo-Lim'), an extension after a phone number ("ext. 12"),
    the word before a pager or extension number ("Bleep 6621", "pager 3381")."""
    out = []
    for s, e, k in spans:
        rx = _NICKNAME_AFTER if k == "NAME" else _EXTENSION_AFTER if k == "PHONE" else None
        m = rx.match(text, e) if rx else None
        w = _PAGER_WORD_BEFORE.search(text, max(0, s - 12), s) if k == "PHONE" else None
        out.append((w.start() if w else s, m.end() if m else e, k))
    return out


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Union overlapping spans; the longest contributor names the kind."""
    out: list[list] = []
    for s, e, k in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and s < out[-1][1]:
            last = out[-1]
            if e - s > last[4]:
                last[2], last[4] = k, e - s
            last[1] = max(last[1], e)
        else:
            out.append([s, e, k, e, e - s])
    return [(s, e, k) for s, e, k, _, _ in out]


def find_phi(text: str) -> list[PhiSpan]:
    """Every PHI span in ``text`` (merged, in order)."""
    spans: list[tuple[int, int, str]] = []
    names: list[str] = []
    _labelled(text, spans, names)
    _columns(text, spans, names)
    _cells(text, spans, names)
    _patterns(text, spans, names)
    _propagate(text, spans, names)
    return [PhiSpan(kind=k, start=s, end=e) for s, e, k in _merge(_extend(text, _widen_addresses(text, spans)))]


def redact(text: str) -> Redaction:
    """Replace PHI in ``text`` with typed placeholders; spans point into the original text."""
    text = text or ""
    spans = find_phi(text)
    parts, pos = [], 0
    for sp in spans:
        parts += [text[pos:sp.start], f"[{sp.kind}]"]
        pos = sp.end
    parts.append(text[pos:])
    return Redaction(text="".join(parts), spans=spans)


def contains_phi(text: str) -> list[str]:
    """Kinds of PHI still detectable in ``text`` (sorted, unique; empty when clean). Never returns values."""
    return sorted({sp.kind for sp in find_phi(text or "")})
