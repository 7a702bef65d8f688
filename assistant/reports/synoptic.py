"""Synoptic items of a report ("Breslow thickness: 0.6 mm", "Ulceration | not identified", "Mitotic rate ... 2/mm2"):
the item names a report uses for each key, the layouts they come in (label and colon, pipe or tab tables, aligned
columns, dotted leaders, "Label - value", run together after a stop) and the items written inline in prose."""

from __future__ import annotations

import re

from pydantic import BaseModel

from ..text.numbers import APPROX_WORDS, LABEL_UNITS
from ..text.sentences import items_on_lines, value_sentence


class SynopticItem(BaseModel):
    key: str
    label: str
    value: str


SYNOPTIC_KEYS: dict[str, str] = {
    "breslow": r"breslow(?:\s+(?:thickness|depth))?|(?:tumou?r|maximum|maximal)\s+(?:thickness|depth)\s*\(breslow\)",
    "thickness": r"(?:(?:maximum|maximal)\s+)?(?:tumou?r\s+)?(?:thickness|depth)(?:\s*/\s*depth)?(?:\s+of\s+invasion)?|"
                 r"(?:(?:maximum|maximal)\s+)?depth\s+of\s+invasion",
    "ulceration": r"(?:extent\s+of\s+)?ulceration(?:\s+(?:extent|diameter|width))?",
    "mitotic_rate": r"(?:dermal\s+)?mitotic\s+(?:rate|count|index|figures)|(?:dermal\s+)?mitoses",
    "clark_level": r"clark(?:'s)?\s+level|anatomic(?:al)?\s+level|level\s+of\s+invasion",
    "lymphovascular_invasion": r"lympho-?vascular(?:\s+(?:space\s+)?invasion)?|(?-i:LVI)|angiolymphatic\s+invasion|"
                               r"(?-i:LVI)\s*/\s*(?-i:PNI)|lymphovascular\s*/\s*perineural(?:\s+invasion)?",
    "perineural_invasion": r"perineural(?:\s+invasion)?|neurotropism|(?-i:PNI)",
    "nerve_detail": r"(?:diameter|size|calibre|caliber|location|depth)\s+of\s+(?:the\s+)?(?:largest\s+)?involved\s+nerves?|"
                    r"(?:largest\s+)?involved\s+nerve\s+(?:diameter|size|location)",
    "invasion": r"(?:dermal\s+|stromal\s+)?invasion|invasive\s+(?:component|carcinoma|growth)",
    "nodal_deposit": r"(?:size\s+of\s+(?:the\s+)?)?largest\s+(?:metastatic\s+|nodal\s+|tumou?r\s+)?deposit(?:\s+size)?|"
                     r"metastatic\s+deposit(?:\s+size)?",
    "extranodal": r"extra-?nodal\s+(?:extension|spread)|extracapsular\s+(?:extension|spread)|(?-i:ENE)",
    "ihc": r"SOX-?10|Melan-?A|MART-?1|HMB-?45|PRAME|Ki-?67(?:\s+(?:index|proliferation(?:\s+index)?))?|S-?100|p16|p53|"
           r"p63|CD\d{1,3}[a-z]?|CK\s?\d+(?:/\d+)?|factor\s+XIIIa|Ber-?EP4|EMA|BRAF(?:\s+V600E)?|cytokeratin|"
           r"(?:pan-?)?keratin|desmin|SMA|D2-40|podoplanin",
    "microsatellites": r"(?:micro-?)?satellit(?:es|osis)(?:\s+and\s+satellites)?(?:\s+and/or\s+in-?transit\s+metastas[ie]s)?",
    "regression": r"(?:tumou?r\s+)?regression",
    "pt_stage": r"(?:pathologic(?:al)?\s+)?(?:pT\s*(?:stage|category)?|t\s*stage|stage|staging|pTNM)(?:\s*\([^)]*\))?",
    "subtype": r"(?:histologic(?:al)?\s+)?(?:sub)?type|melanoma\s+(?:sub)?type|growth\s+phase|"
               r"(?:tumou?r|lesion)\s+(?:sub)?type(?:\s*/\s*subtype)?|growth\s+pattern|tumou?r",
    "tils": r"tumou?r[\s-]infiltrating\s+lymphocytes|(?-i:TILs?)",
    "margins": r"(?:peripheral|deep|lateral|radial|base|mucosal)(?:\s*,\s*(?:invasive|in\s+situ|other|nearest|closest))?"
               r"(?:\s*\((?:invasive|in\s+situ|other)\))?|"
               r"(?:(?:part\s+\w+|[a-z0-9]{1,2}\.|peripheral|lateral|radial|deep|closest|nearest|in\s+situ|invasive|"
               r"surgical)\s*){0,3}(?:margins?|margin\s+status|clearance)(?:,?\s+(?:part\s+\w+|[a-z ]{2,30}))?(?:\s*\([^)]*\))?",
    "precursor": r"associated\s+n(?:a)?evus|precursor(?:\s+lesion)?",
    "differentiation": r"(?:histologic(?:al)?\s+)?grade|differentiation",
    "tumour_size": r"(?:tumou?r|lesion)\s+(?:size|diameter|dimension)|(?:maximum\s+)?clinical\s+(?:dimension|diameter|size)|(?:maximum|greatest|largest)\s+"
                   r"(?:tumou?r\s+)?(?:dimension|diameter|size)(?:\s+of\s+tumou?r)?|tumou?r\s+diameter\s+\w+",
    "invasion_level": r"level|(?:level|depth)\s+of\s+(?:invasion|infiltration)|anatomic(?:al)?\s+level\s+of\s+invasion|"
                      r"invasion\s+(?:level|depth)",
    "bone_invasion": r"(?:bone|cartilage|perichondri(?:um|al))\s+invasion|invasion\s+of\s+(?:bone|cartilage)",
    "pn_stage": r"pN(?:\s+(?:category|stage))?|number\s+(?:of\s+nodes\s+)?(?:positive|involved|examined)|"
                r"number\s+of\s+(?:sentinel\s+)?(?:lymph\s+)?nodes(?:\s+(?:received|submitted|removed))?|"
                r"number\s+of\s+(?:sentinel\s+)?(?:lymph\s+)?nodes\s+(?:examined|"
                r"with\s+tumou?r|involved|positive)|(?:regional\s+)?lymph\s+nodes?(?:\s+\(pN\))?|nodal\s+(?:stage|status)|pN\s+stage|"
                r"sentinel\s+lymph\s+nodes?|nodes?\s+(?:examined|positive|involved)",
    "risk": r"risk(?:\s+(?:status|group|category|level))?",
    "excision": r"excision(?:\s+status)?|completeness\s+of\s+excision",
    "residual": r"residual\s+(?:tumou?r|melanoma|disease|carcinoma|lesion)",
    "site": r"(?:tumou?r\s+|clinical\s+|specimen\s+|anatomic(?:al)?\s+)?site(?:\s+of\s+(?:the\s+)?(?:tumou?r|lesion|"
            r"biopsy|specimen))?|location",
    "specimen_size": r"(?:maximum\s+|greatest\s+)?(?:dimensions?|size|measurements?)\s+of\s+(?:the\s+)?specimen|"
                     r"specimen\s+(?:size|dimensions?|measurements?)",
    "lesion_size": r"(?:maximum\s+|greatest\s+)?(?:diameter|dimensions?|size)\s+of\s+(?:the\s+)?(?:lesion|tumou?r)|"
                   r"lesion\s+(?:dimensions?|diameter|size)",
    "laterality": r"(?:specimen\s+)?laterality",
    "procedure": r"procedure|specimen(?:\s+type)?|clinical\s+type",
    "follicles": r"(?:total|terminal|vellus|miniaturi[sz]ed|anagen|telogen|catagen)\b[\w\s/:]*|"
                 r"(?:follicular\s+units?|fibrous\s+(?:tracts?|streamers?)|anagen\s*:\s*telogen(?:\s+ratio)?|"
                 r"terminal\s*:\s*vellus(?:\s+ratio)?)[\w\s/]*",
    "reactant": r"IgG4?|IgA|IgM|C3|C1q|fibrinogen|albumin|basement\s+membrane\s+zone",
}
_SYN_LINE = re.compile(r"^[ \t>*\-•]{0,8}(?P<label>[A-Za-z][A-Za-z0-9² '(),/\-]{1,60}?)[ \t]{0,5}[:=][ \t]{0,20}"
                       r"(?P<value>\S[^\n]*)$", re.M)
_SYN_KEY_RES = {k: re.compile(rf"^\s*(?:{v})\s*$", re.I) for k, v in SYNOPTIC_KEYS.items()}
# Table rows become "label: value" lines: "| Breslow thickness | 2.3 mm |", "Ulceration<TAB>Present",
# "Mitotic rate        3/mm2" (three or more spaces between label and value).
_PIPE_ROW = re.compile(r"^[ \t]*\|?[ \t]*(?P<l>[A-Za-z][^|\n:]{1,60}?)[ \t]*\|[ \t]*(?P<v>[^|\n]+?)[ \t]*\|?[ \t]*$", re.M)
_TAB_ROW = re.compile(r"^[ \t]*(?P<l>[A-Za-z][^\t\n:]{1,60}?)[ \t]*\t+[ \t]*(?P<v>[^\n]+?)[ \t]*$", re.M)
_ALIGNED_ROW = re.compile(r"^[ \t]*(?P<l>[A-Za-z][A-Za-z '(),/\-]{1,60}?)[ ]{3,}(?P<v>\S[^\n]*?)[ \t]*$", re.M)
_DOTTED_ROW = re.compile(r"^[ \t]*(?P<l>[A-Za-z](?:[^.\n:]|\.(?!\.)){1,60}?)[ \t]*\.{3,}[ \t]*(?P<v>\S[^\n]*?)[ \t]*$", re.M)
_UNIT_IN_LABEL = re.compile(rf"\((?P<u>{LABEL_UNITS})\)", re.I)
_APPROX_NUMBER = re.compile(rf"(?:(?:{APPROX_WORDS})\s+|[<>≤≥~]\s*)?\d+(?:\.\d+)?", re.I)


def label_key(label: str) -> str | None:
    label = re.sub(r"(?i)^(?:part\s+\w{1,2}|specimen\s+\w{1,2}|[A-H0-9][.)])\s+(?=\w)", "", label)  # "Part 1 deep margin"
    bare = re.sub(r"\s+", " ", re.sub(r"\((?:s|es)\)|\([^)]*\)", lambda m: "s" if m.group(0) in ("(s)", "(es)") else " ",
                                       label)).strip()
    return next((k for k, rx in _SYN_KEY_RES.items() if rx.match(label) or rx.match(bare)), None)


def table_rows_as_items(text: str) -> str:
    """Rewrite table rows (pipes, tabs, aligned columns) whose first cell names a synoptic item as "label: value"."""
    def sub(m: re.Match) -> str:
        label, value = m.group("l").strip(), m.group("v").strip()
        if set(value) <= set("-=:| ") or not label_key(label):
            return m.group(0)
        value = re.sub(r"(?:[ ]*\t+[ ]*[-–]?)+[ ]*$", "", value)  # empty last columns ("Negative<TAB>-")
        value = re.sub(r"[ ]*\t+[ ]*(?=\S)", "; ", value)  # more columns: "Positive (2+)<TAB>Linear"
        return f"{label}: {value}"
    for rx in (_PIPE_ROW, _TAB_ROW, _ALIGNED_ROW, _DOTTED_ROW):
        text = rx.sub(sub, text)
    return text


# "LVI neg", "NEUROTROPISM PRESENT", "microsatellites: absent"
_YES_NO = r"\s*:?\s*(?P<v>neg(?:ative)?|pos(?:itive)?|present|absent|not\s+identified|identified|not\s+seen|seen)\b"
_INLINE_SYN = {
    "breslow": re.compile(r"\bbreslow(?:\s+(?:thickness|depth))?(?:\s+(?:of|is|measures))?\s*(?P<v>[<>]?\s*\d+(?:\.\d+)?\s*mm)",
                          re.I),
    "clark_level": re.compile(r"\bclark(?:'s)?(?:\s+level)?\s*:?\s*(?P<v>IV|V|I{1,3}|[1-5])\b(?!\s*(?:mm|/))", re.I),
    "mitotic_rate": re.compile(r"\b(?:mitotic\s+(?:rate|count)|mitoses)(?:\s+(?:of|is))?\s*:?\s*(?P<v>[<>]?\s*\d+(?:\.\d+)?\s*(?:/|per)\s*"
                               r"(?:square\s+)?mm\s*(?:2|²)?)", re.I),
    "pt_stage": re.compile(r"(?P<v>\b(?:y|r)?pT(?:is|[0-4X])[a-d]?\b(?:\s*p?N[0-3X][a-c]?(?:\((?:sn|i\+|mol\+)\))?)?"
                           r"(?:\s*p?M[01X])?)"),
    "ulceration": re.compile(r"\b(?P<v>(?:no\s+)?ulceration(?:\s+(?:is\s+)?(?:present|absent|not\s+identified|"
                             r"identified))?)", re.I),
    "perineural_invasion": re.compile(r"\b(?:perineural\s+invasion|neurotropism|PNI)" + _YES_NO, re.I),
    "lymphovascular_invasion": re.compile(r"\b(?:lympho-?vascular\s+(?:space\s+)?invasion|LVI)" + _YES_NO, re.I),
    "microsatellites": re.compile(r"\b(?:micro-?satellites?)" + _YES_NO, re.I),
}
_INLINE_LABEL = {"breslow": "Breslow thickness", "clark_level": "Clark level", "mitotic_rate": "Mitotic rate",
                 "pt_stage": "pT stage", "ulceration": "Ulceration", "perineural_invasion": "Perineural invasion",
                 "lymphovascular_invasion": "Lymphovascular invasion", "microsatellites": "Microsatellites"}


# Items run together on one line ("Breslow thickness: 0.6 mm. Ulceration: not identified. Clark level: III."):
# a new item starts after a full stop or semicolon where a label and a colon follow.


_DASH_ITEM = re.compile(r"(?:^|(?<=[;\n]))[ \t]*(?P<l>[A-Za-z][A-Za-z ()/]{1,40}?)[ \t]+[-–][ \t]+(?P<v>[^;\n]+)")


def _dash_items(text: str) -> str:
    """"Tumour - SCC in situ; Invasion - not identified; Deep margin - clear, 1.1 mm" -> one "label: value" a line
    (only where the label names a synoptic item)."""
    def sub(m: re.Match) -> str:
        return f"\n{m.group('l').strip()}: {m.group('v').strip()}\n" if label_key(m.group("l").strip()) else m.group(0)
    return _DASH_ITEM.sub(sub, text)


_VALUE_SHAPE = {
    "pt_stage": re.compile(r"(?i)\b(?:[ypr]?p?T\s*(?:is|[0-4X])|stage\s+[0IV]|[0IV]{1,3}[ABC]?\b|not\s+(?:applicable|"
                           r"assigned|staged)|N/?A\b)"),
    "pn_stage": re.compile(r"(?i)\bp?N\s*[0-3X]|\d|\bnone\b|not\s+(?:applicable|assessed|submitted|sampled)|N/?A\b|"
                           r"\bneg|\bpos"),
}


def synoptic_in(text: str) -> list[SynopticItem]:
    items: list[SynopticItem] = []
    for m in _SYN_LINE.finditer(items_on_lines(_dash_items(table_rows_as_items(text or "")))):
        label = m.group("label").strip()
        key = label_key(label)
        repeatable = key in ("margins", "follicles", "reactant", "pn_stage", "site", "ihc", "nerve_detail")
        value = re.sub(r"\s+", " ", m.group("value")).strip()
        if key in _VALUE_SHAPE and not _VALUE_SHAPE[key].search(value):
            continue  # "Pt: [NAME] DOB ..." is the patient, not a pT stage
        if key and not any(i.key == key and (not repeatable or i.label == label) for i in items):
            value = value_sentence(value).rstrip(".").strip()
            unit = _UNIT_IN_LABEL.search(label)
            if unit and _APPROX_NUMBER.fullmatch(value):
                u = unit.group("u")  # "Breslow thickness (mm): 1.2" -> "1.2 mm"; "Mitotic count (/mm²): 9" -> "9/mm²"
                value = f"{value}{u}" if u.startswith("/") else f"{value} {u}"
            items.append(SynopticItem(key=key, label=label, value=value))
    have = {i.key for i in items}
    for key, rx in _INLINE_SYN.items():
        if key in have:
            continue
        m = rx.search(text or "")
        if m:
            own = m.group(0)[:m.start("v") - m.start()].strip(" :\t")  # the report's own word: "mitoses", "LVI"
            label = own[0].upper() + own[1:] if own and key != "pt_stage" else _INLINE_LABEL[key]
            items.append(SynopticItem(key=key, label=label, value=re.sub(r"\s+", " ", m.group("v"))))
    return items
