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
    _DATE_RES, _EMAIL_RE, _SSN_RE, _PHONE_RE, _ACCESSION_RE, _TYPIST_RE, _EXTENSION_RE, _LONG_NUMBER_RE, _AGE_RES,
    _STREET_RE, _EURO_STREET_RE, _POSTCODE_TOWN_RE, _STATE_POSTCODE_RE, _TOWN_POSTCODE_RE, _CA_POSTCODE_RE,
    _PIN_RE, _PO_BOX_RE, _POSTCODE_RE, _ZIP_RE, _TITLE_RE, _CREDENTIAL_RE, _INITIALS_RE, _RELATION_RE,
    _GREETING_RE, _CAPS_SURNAME_RE, _ABBREVIATIONS, _NAME_BEFORE_ID_RE, _CJK_NAME_RE, _REGISTRATION_RE, _URL_RE,
    _CODE_RE, _SELF_INTRO_RE, _SIGN_OFF_RE, _SENTENCE_STARTERS, _NOT_PERSON_WORDS, _EPONYMS, _NOT_NAMES,
    _STOP_WORDS, _REPORT_WORDS, _UP, _CLINICAL_CODE, _DATE_LIKE, _PARTICLES, _JOB_WORDS, _TITLE_WORDS, _CRED_WORDS,
    _CAPS_RELATION_RE, _SCRIPT_NAME_RE, _LOCATION_RE, _NATIONAL_SHAPE_RE, _PAGER_RE, _COUNTRY_TAIL_RE,
    _SIGNATURE_LINE_RE, _CJK_NOT_NAME, _CAPS_NAME_BEFORE_ID_RE, _SCRIPT_NOT_NAMES, _VIET, _VIET_NAME_RE,
    _SCRIPT_LABEL_AFTER, _NAME_INTRO_RE, _CAPS_FIRST_RE, _VIET_PLACES, _CHAT_SENDER_RE, _ROLE_AFTER_RE,
    _HL7_NAME_RE, _HL7_ADDRESS_RE, _CREDENTIAL_ALT_RE, _TYPIST_LABEL_RE, _DASH_INITIALS_RE,
)
from .phi_fields import (  # noqa: F401  (KINDS re-exported)
    KINDS,
    _is_name_token, _name_extent, _add, _labelled, _columns, _cells,
)

PhiKind = Literal["NAME", "MRN", "DATE", "PHONE", "EMAIL", "ADDRESS", "ID", "AGE"]


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


_BAD_WORDS = frozenset(_NOT_NAMES | _STOP_WORDS | _NOT_PERSON_WORDS | _REPORT_WORDS | _TITLE_WORDS)
_BAD_OR_EPONYM = _BAD_WORDS | _EPONYMS
_FACILITY_WORDS = frozenset(_JOB_WORDS | _NOT_PERSON_WORDS | {"hosp", "hist", "path", "derm", "lab", "ward"})
_VIET_LETTER = re.compile("[" + _VIET + "]")


_OID_RE = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,20}){5,}(?![\w.])")
# A month/day with no year where the context makes it a date: before a time ("[3/14 9:42 AM]") or after "on"/"by"
_MONTH_DAY_RE = re.compile(r"(?i)(?:\[|\b(?:on|by|since|from|until|dated?)[ \t]+)(?P<d>(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))"
                           r"(?![/\d])(?=[ \t]+\d{1,2}:\d{2}|[ \t]*[?.,;)\]]|[ \t]+(?:at|and)\b)")
# Measurement words inside an address-shaped match ("11 PER SQUARE MILLIMETRE" is a mitotic rate, not a square)
_NOT_ADDRESS = re.compile(r"(?i)\b(?:margin|mm|cm|level|clark|breslow|deep|peripheral|stage|grade|per|"
                          r"millimet(?:re|er)s?|hpf|high[\s-]power|fields?|mitos[ie]s|mitotic)\b")


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
        if 9 <= digits <= 15 and (not re.fullmatch(r"[\d.]+", m.group(0)) or re.fullmatch(r"\d{3}\.\d{3}\.\d{4}", m.group(0))):
            _add(spans, m.start(), m.end(), "PHONE")
    for m in _ACCESSION_RE.finditer(text):
        _add(spans, m.start(), m.end(), "MRN")
    for m in _EXTENSION_RE.finditer(text):
        _add(spans, m.start("n"), m.end("n"), "PHONE")
    for m in _TYPIST_RE.finditer(text):
        g = "name" if m.group("name") else "alone"
        if m.group(g).lower() not in {"and/or", "w/o", "s/p"} and not re.match(r"(?i)(?:cd\d|ck)", m.group(g)):
            _add(spans, m.start(g), m.end(g), "NAME")
    for rx in (_TYPIST_LABEL_RE, _DASH_INITIALS_RE):
        for m in rx.finditer(text):
            if m.group("name").upper() not in _ABBREVIATIONS and m.group("name").lower() not in _BAD_WORDS:
                _add(spans, m.start("name"), m.end("name"), "NAME")
    for m in _LONG_NUMBER_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for rx in _AGE_RES:
        for m in rx.finditer(text):
            _add(spans, m.start("age"), m.end("age"), "AGE")
    for rx in (_STREET_RE, _PO_BOX_RE, _POSTCODE_RE, _ZIP_RE, _EURO_STREET_RE, _POSTCODE_TOWN_RE, _STATE_POSTCODE_RE,
               _CA_POSTCODE_RE, _PIN_RE, _TOWN_POSTCODE_RE):
        for m in rx.finditer(text):
            if not _NOT_ADDRESS.search(m.group(0)):
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
    for m in _OID_RE.finditer(text):  # an imaging study UID "1.2.840.113619.2.55..."
        _add(spans, m.start(), m.end(), "ID")
    for m in _MONTH_DAY_RE.finditer(text):
        _add(spans, m.start("d"), m.end("d"), "DATE")
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
            if rx is _CAPS_FIRST_RE and (words[0] in _ABBREVIATIONS or words[0].lower() in _CRED_WORDS or
                                         any(w.lower().strip(".,") in _JOB_WORDS | _BAD_WORDS for w in words[1:]) or
                                         not re.search("[AEIOUY" + "ÀÁÂÃÄÅÆÈÉÊËÌÍÎÏÒÓÔÕÖØÙÚÛÜÝ]",
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
    for rx in (_TITLE_RE, _CREDENTIAL_RE, _CREDENTIAL_ALT_RE, _SELF_INTRO_RE):
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


_ADDRESS_PART = r"(?:[" + _UP + r"0-9][\w'’.\-/]*(?:[ \t][A-Za-z0-9][\w'’.\-]*){0,4})"
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
_EXTENSION_AFTER = re.compile(r"(?i)[ \t]*,?[ \t]*(?:ext|extn|x|poste|local)\.?[ \t]*\d{1,6}\b")
_WEEKDAY_BEFORE = re.compile(r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]+$")
_PAGER_WORD_BEFORE = re.compile(r"(?i)\b(?:bleep|pager|ext|extn)\.?[ \t:#]*$")


def _extend(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A nickname after a name ('Ma. Teresa "Tess" Ocampo-Lim'), an extension after a phone number ("ext. 12"),
    the word before a pager or extension number ("Bleep 6621", "pager 3381")."""
    out = []
    for s, e, k in spans:
        rx = _NICKNAME_AFTER if k == "NAME" else _EXTENSION_AFTER if k == "PHONE" else None
        m = rx.match(text, e) if rx else None
        w = _PAGER_WORD_BEFORE.search(text, max(0, s - 12), s) if k == "PHONE" else \
            _WEEKDAY_BEFORE.search(text, max(0, s - 12), s) if k == "DATE" else None  # "Thursday 13 March 2025"
        out.append((w.start() if w else s, m.end() if m else e, k))
    return out


_AGE_AFTER_NAME = re.compile(r",[ \t]*(?P<age>9\d|1[01]\d)(?=[ \t]*(?:[,;(\n]|$))")


def _ages_after_names(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An age over 89 right after a name ("Florence Adeyemi-Lloyd, 94, Hosp no. ...")."""
    out = list(spans)
    for s, e, k in spans:
        m = _AGE_AFTER_NAME.match(text, e) if k == "NAME" else None
        if m:
            out.append((m.start("age"), m.end("age"), "AGE"))
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


def _never_name(word: str) -> bool:
    low = word.lower()
    return low in _BAD_OR_EPONYM or low in _FACILITY_WORDS or word.upper() in _ABBREVIATIONS


def _learned(text: str, spans: list, names: list[str]) -> None:
    """Names the learned tagger reads in what the rules left (see assistant.phi_names)."""
    from .phi_names import load_head, name_spans

    head = load_head()
    if head is None:
        return
    for s, e in name_spans(text, head, skip=_never_name, covered=[(s, e) for s, e, _ in spans]):
        _add(spans, s, e, "NAME")
        names.append(text[s:e])


def find_phi(text: str, *, learned: bool = True) -> list[PhiSpan]:
    """Every PHI span in ``text`` (merged, in order). ``learned=False`` runs the rules alone."""
    from .text.ocr import digits_view

    spans: list[tuple[int, int, str]] = []
    names: list[str] = []
    view = digits_view(text)  # the rules read scanned "6l3 555 0l98" as digits; same length, so spans carry over
    _labelled(view, spans, names)
    _columns(view, spans, names)
    _cells(view, spans, names)
    _patterns(view, spans, names)
    if learned:
        _learned(text, spans, names)
    _propagate(view, spans, names)
    spans = _ages_after_names(view, _extend(view, _widen_addresses(view, spans)))
    return [PhiSpan(kind=k, start=s, end=e) for s, e, k in _merge(spans)]


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


def contains_phi(text: str, *, learned: bool = False) -> list[str]:
    """Kinds of PHI still detectable in ``text`` (sorted, unique; empty when clean). Never returns values.

    A residual check on text made from redacted input (an explanation, a log line): the rules by default, since
    the learned tagger already read the input when it was redacted."""
    return sorted({sp.kind for sp in find_phi(text or "", learned=learned)})
