"""Findings: each specimen's diagnoses with their certainty words, margins, grade, melanoma synoptic items,
special stains and direct immunofluorescence (DIF). Everything keeps the report's own words next to the
structured value, so an explanation can quote them exactly.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from ..text.numbers import APPROX_WORDS, LABEL_UNITS
from ..text.sentences import split_report_clauses
from .qualifiers import LEVEL_OF_FAMILY, QUALIFIERS_POST, QUALIFIERS_PRE
from .lexicon import Category, by_name, find_mentions
from .parse import ParsedReport

Level = Literal["definite", "probable", "possible", "negative", "mentioned"]
_SEVERITY = ["malignant", "uncertain", "premalignant", "infection", "inflammatory", "benign"]
_PRE_RES = {f: re.compile(rf"(?<![\w-])(?:{rx})(?![\w])", re.I) for f, rx in QUALIFIERS_PRE.items()}
_POSSIBLE_WORDS = QUALIFIERS_PRE["possible"].replace(r"|\?", "")
_PRE_RES["possible"] = re.compile(rf"(?<![\w-])(?:{_POSSIBLE_WORDS})(?![\w])|\?(?=\s*\w)", re.I)
_POST_RES = {f: re.compile(rf"^[\s,]*(?:{rx})(?![\w])", re.I) for f, rx in QUALIFIERS_POST.items()}
_LIST_JOIN = re.compile(r"^\s*(?:,|;)?\s*(?:and/or|and|or|,|/|as well as)?\s*(?:a\s+|an\s+)?$", re.I)


class Certainty(BaseModel):
    phrase: str = Field("", description="certainty words as written; empty for a plain statement")
    family: str = "plain"
    level: Level = "definite"
    position: Literal["pre", "post", "none"] = "none"


class Diagnosis(BaseModel):
    name: str
    surface: str
    category: Category
    certainty: Certainty = Field(default_factory=Certainty)
    source: Literal["diagnosis", "comment", "addendum", "immunofluorescence", "stains", "microscopic"] = "diagnosis"
    in_situ: bool = False


class Margin(BaseModel):
    status: Literal["involved", "clear", "close", "not assessable", "distance only"]
    sides: list[str] = Field(default_factory=list)
    distance: str | None = None
    text: str


class SynopticItem(BaseModel):
    key: str
    label: str
    value: str


class StainResult(BaseModel):
    stain: str
    result: Literal["positive", "negative", "mentioned"]
    text: str


class DifResult(BaseModel):
    reactants: list[str]
    pattern: str | None = None
    location: str | None = None
    negative: bool = False
    text: str


class SpecimenFindings(BaseModel):
    label: str
    site: str | None = None
    laterality: str | None = None
    procedure: str | None = None
    procedure_words: str | None = None
    punch_mm: float | None = None
    size: str | None = Field(default=None, description="the sample's size as written, e.g. '1.2 x 0.8 cm'")
    report_words: str = ""
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    margins: list[Margin] = Field(default_factory=list)
    grades: list[str] = Field(default_factory=list)
    category: str | None = None


class ReportFindings(BaseModel):
    specimens: list[SpecimenFindings] = Field(default_factory=list)
    synoptic: list[SynopticItem] = Field(default_factory=list)
    stains: list[StainResult] = Field(default_factory=list)
    dif: list[DifResult] = Field(default_factory=list)
    comment: str = ""
    addendum: str = ""
    other_diagnoses: list[Diagnosis] = Field(default_factory=list, description="from comment/addendum/DIF")

    def all_diagnoses(self) -> list[Diagnosis]:
        return [d for s in self.specimens for d in s.diagnoses] + self.other_diagnoses


def _last_pre(text: str) -> tuple[str, str] | None:
    best = None
    for fam, rx in _PRE_RES.items():
        for m in rx.finditer(text):
            if best is None or m.end() > best[0] or (m.end() == best[0] and m.start() < best[1]):
                best = (m.end(), m.start(), fam, m.group(0))
    return (best[2], best[3]) if best else None


def diagnoses_in(text: str, source: str = "diagnosis", plain_level: Level = "definite") -> list[Diagnosis]:
    """Diagnoses named in ``text`` with the certainty words that govern each one."""
    out: list[Diagnosis] = []
    for clause in split_report_clauses(text):
        mentions = find_mentions(clause)
        certs: list[Certainty | None] = []
        for i, m in enumerate(mentions):
            prev_end = mentions[i - 1].end if i else 0
            between = clause[prev_end:m.start]
            pre = _last_pre(between)
            if pre:
                certs.append(Certainty(phrase=pre[1], family=pre[0], level=LEVEL_OF_FAMILY[pre[0]], position="pre"))
                continue
            if i and _LIST_JOIN.match(between) and certs[-1] is not None and certs[-1].family != "plain":
                certs.append(certs[-1])
                continue
            nxt = mentions[i + 1].start if i + 1 < len(mentions) else len(clause)
            post = next(((f, pm.group(0).strip(" ,")) for f, rx in _POST_RES.items()
                         if (pm := rx.match(clause[m.end:nxt]))), None)
            if post:
                certs.append(Certainty(phrase=post[1], family=post[0], level=LEVEL_OF_FAMILY[post[0]],
                                       position="post"))
            else:
                certs.append(None)
        # "lupus or dermatomyositis cannot be excluded": the list shares the trailing words.
        for i in range(len(mentions) - 2, -1, -1):
            if certs[i] is None and certs[i + 1] is not None and certs[i + 1].position == "post" and \
                    _LIST_JOIN.match(clause[mentions[i].end:mentions[i + 1].start]):
                certs[i] = certs[i + 1]
        for m, c in zip(mentions, certs):
            d = by_name(m.dx)
            cert = c or Certainty(level=plain_level)
            if any(x.name == m.dx and x.certainty == cert for x in out):
                continue
            out.append(Diagnosis(name=m.dx, surface=m.surface, category=d.category, certainty=cert, source=source,
                                 in_situ=d.in_situ))
    return out


# ------------------------------------------------------------------ margins
_MARGIN_WORD = re.compile(r"\b(?:margins?|edges?|resection\s+lines?|excised|removed|transected|base of the "
                          r"(?:biopsy|specimen))\b", re.I)
_SIDE_RE = re.compile(r"\b(peripheral|lateral|radial|deep|base|epidermal|mucosal|inked|all|circumferential)\b", re.I)
_DIST_RE = re.compile(r"(?<![\d.])([<>≤≥]?[ \t]{0,3}\d+(?:\.\d+)?[ \t]{0,3}(?:mm|cm))\b", re.I)
_STATUS_RES: list[tuple[str, re.Pattern]] = [
    ("not assessable", re.compile(r"cannot be (?:assessed|evaluated)|not (?:assessable|evaluable)|indeterminate", re.I)),
    ("clear", re.compile(r"\b(?:not|un)[\s-]?involved\b|\bfree\b|\bclear\b|\bnegative\b|\bcompletely\s+"
                         r"(?:excised|removed)|\bfully\s+(?:excised|removed)|\bwidely\s+excised|\bclear\s+(?:of|by)|"
                         r"\bdoes\s+not\s+(?:extend|reach|involve)", re.I)),
    ("involved", re.compile(r"\binvolv(?:ed|es|ing|ement)\b|\bpositive\b|\btransect(?:ed|s|ing)\b|\bextends?\s+to\b|"
                            r"\bextending\s+to\b|\breach(?:es|ing)?\b|\bpresent\s+at\b|\bat\s+the\s+(?:\w+\s+)?"
                            r"(?:margin|edge|base)|\bincompletely\s+(?:excised|removed)|\bnot\s+(?:completely|fully)\s+"
                            r"(?:excised|removed)|\babut", re.I)),
    ("close", re.compile(r"\bclose\b|\bnarrowly\b", re.I)),
]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def margins_in(text: str) -> list[Margin]:
    out: list[Margin] = []
    for clause in split_report_clauses(text):
        for seg in re.split(r",\s+(?=(?:the\s+)?(?:peripheral|lateral|radial|deep|base|but|while)\b)|\s+but\s+",
                            clause, flags=re.I):
            has_margin = _MARGIN_WORD.search(seg)
            if not has_margin and not (_SIDE_RE.search(seg) and any(rx.search(seg) for _, rx in _STATUS_RES)):
                continue
            status = None
            for name, rx in _STATUS_RES:
                if rx.search(seg):
                    status = name
                    break
            if status == "clear" and _STATUS_RES[3][1].search(seg):
                status = "close"
            dist = _DIST_RE.search(seg)
            if status is None:
                if not dist or not has_margin:
                    continue
                status = "distance only"
            sides = list(dict.fromkeys(s.lower() for s in _SIDE_RE.findall(seg)))
            dists = list(_DIST_RE.finditer(seg))
            if len(dists) > 1:  # "peripheral margin 2.5 mm and deep margin 1.8 mm": one entry per side
                for k, dm in enumerate(dists):
                    lo = dists[k - 1].end() if k else 0
                    side = _SIDE_RE.findall(seg[lo:dm.start()])
                    out.append(Margin(status=status, sides=[x.lower() for x in side[-1:]],
                                      distance=_norm(dm.group(1)), text=seg.strip()))
                continue
            out.append(Margin(status=status, sides=sides, distance=_norm(dist.group(1)) if dist else None,
                              text=seg.strip()))
    return out


# ------------------------------------------------------------------ synoptic
SYNOPTIC_KEYS: dict[str, str] = {
    "breslow": r"breslow(?:\s+(?:thickness|depth))?|(?:tumou?r|maximum|maximal)\s+(?:thickness|depth)\s*\(breslow\)",
    "thickness": r"(?:(?:maximum|maximal)\s+)?(?:tumou?r\s+)?(?:thickness|depth)(?:\s+of\s+invasion)?|"
                 r"(?:(?:maximum|maximal)\s+)?depth\s+of\s+invasion",
    "ulceration": r"(?:extent\s+of\s+)?ulceration(?:\s+(?:extent|diameter|width))?",
    "mitotic_rate": r"(?:dermal\s+)?mitotic\s+(?:rate|count|index|figures)|(?:dermal\s+)?mitoses",
    "clark_level": r"clark(?:'s)?\s+level|anatomic(?:al)?\s+level|level\s+of\s+invasion",
    "lymphovascular_invasion": r"lympho-?vascular(?:\s+(?:space\s+)?invasion)?|(?-i:LVI)|angiolymphatic\s+invasion",
    "perineural_invasion": r"perineural(?:\s+invasion)?|neurotropism|(?-i:PNI)",
    "microsatellites": r"(?:micro-?)?satellit(?:es|osis)(?:\s+and\s+satellites)?(?:\s+and/or\s+in-?transit\s+metastas[ie]s)?",
    "regression": r"(?:tumou?r\s+)?regression",
    "pt_stage": r"(?:pathologic(?:al)?\s+)?(?:pT\s*(?:stage|category)?|t\s*stage|stage|staging|pTNM)(?:\s*\([^)]*\))?",
    "subtype": r"(?:histologic(?:al)?\s+)?(?:sub)?type|melanoma\s+(?:sub)?type|growth\s+phase|"
               r"(?:tumou?r|lesion)\s+(?:sub)?type(?:\s*/\s*subtype)?|growth\s+pattern|tumou?r",
    "tils": r"tumou?r[\s-]infiltrating\s+lymphocytes|(?-i:TILs?)",
    "margins": r"(?:(?:part\s+\w+|[a-z0-9]{1,2}\.|peripheral|lateral|radial|deep|closest|nearest|in\s+situ|invasive|"
               r"surgical)\s*){0,3}(?:margins?|margin\s+status|clearance)(?:,?\s+(?:part\s+\w+|[a-z ]{2,30}))?(?:\s*\([^)]*\))?",
    "precursor": r"associated\s+n(?:a)?evus|precursor(?:\s+lesion)?",
    "differentiation": r"(?:histologic(?:al)?\s+)?grade|differentiation",
    "tumour_size": r"(?:tumou?r|lesion)\s+(?:size|diameter|dimension)|(?:maximum|greatest|largest)\s+"
                   r"(?:tumou?r\s+)?(?:dimension|diameter|size)(?:\s+of\s+tumou?r)?|tumou?r\s+diameter\s+\w+",
    "invasion_level": r"level|(?:level|depth)\s+of\s+(?:invasion|infiltration)|anatomic(?:al)?\s+level\s+of\s+invasion|"
                      r"invasion\s+(?:level|depth)",
    "bone_invasion": r"(?:bone|cartilage|perichondri(?:um|al))\s+invasion|invasion\s+of\s+(?:bone|cartilage)",
    "pn_stage": r"pN(?:\s+(?:category|stage))?|number\s+of\s+(?:sentinel\s+)?(?:lymph\s+)?nodes\s+(?:examined|"
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
    "reactant": r"IgG4?|IgA|IgM|C3|C1q|fibrinogen|basement\s+membrane\s+zone",
}
_SYN_LINE = re.compile(r"^[ \t>*\-•]{0,8}(?P<label>[A-Za-z][A-Za-z0-9² '(),/\-]{1,60}?)[ \t]{0,5}[:=][ \t]{0,20}"
                       r"(?P<value>\S[^\n]*)$", re.M)
_SYN_KEY_RES = {k: re.compile(rf"^\s*(?:{v})\s*$", re.I) for k, v in SYNOPTIC_KEYS.items()}
# Table rows become "label: value" lines: "| Breslow thickness | 2.3 mm |", "Ulceration<TAB>Present",
# "Mitotic rate        3/mm2" (three or more spaces between label and value).
_PIPE_ROW = re.compile(r"^[ \t]*\|?[ \t]*(?P<l>[A-Za-z][^|\n:]{1,60}?)[ \t]*\|[ \t]*(?P<v>[^|\n]+?)[ \t]*\|?[ \t]*$", re.M)
_TAB_ROW = re.compile(r"^[ \t]*(?P<l>[A-Za-z][^\t\n:]{1,60}?)[ \t]*\t+[ \t]*(?P<v>[^\t\n]+?)[ \t]*$", re.M)
_ALIGNED_ROW = re.compile(r"^[ \t]*(?P<l>[A-Za-z][A-Za-z '()/\-]{1,60}?)[ ]{3,}(?P<v>\S[^\n]*?)[ \t]*$", re.M)
_DOTTED_ROW = re.compile(r"^[ \t]*(?P<l>[A-Za-z][^.\n:]{1,60}?)[ \t]*\.{3,}[ \t]*(?P<v>\S[^\n]*?)[ \t]*$", re.M)
_UNIT_IN_LABEL = re.compile(rf"\((?P<u>{LABEL_UNITS})\)", re.I)
_APPROX_NUMBER = re.compile(rf"(?:(?:{APPROX_WORDS})\s+|[<>≤≥~]\s*)?\d+(?:\.\d+)?", re.I)


def _label_key(label: str) -> str | None:
    label = re.sub(r"(?i)^(?:part\s+\w{1,2}|specimen\s+\w{1,2}|[A-H0-9][.)])\s+(?=\w)", "", label)  # "Part 1 deep margin"
    bare = re.sub(r"\s+", " ", re.sub(r"\((?:s|es)\)|\([^)]*\)", lambda m: "s" if m.group(0) in ("(s)", "(es)") else " ",
                                       label)).strip()
    return next((k for k, rx in _SYN_KEY_RES.items() if rx.match(label) or rx.match(bare)), None)


def table_rows_as_items(text: str) -> str:
    """Rewrite table rows (pipes, tabs, aligned columns) whose first cell names a synoptic item as "label: value"."""
    def sub(m: re.Match) -> str:
        label, value = m.group("l").strip(), m.group("v").strip()
        if set(value) <= set("-=:| ") or not _label_key(label):
            return m.group(0)
        return f"{label}: {value}"
    for rx in (_PIPE_ROW, _TAB_ROW, _ALIGNED_ROW, _DOTTED_ROW):
        text = rx.sub(sub, text)
    return text
_INLINE_SYN = {
    "breslow": re.compile(r"\bbreslow(?:\s+(?:thickness|depth))?(?:\s+(?:of|is|measures))?\s*(?P<v>[<>]?\s*\d+(?:\.\d+)?\s*mm)",
                          re.I),
    "clark_level": re.compile(r"\bclark(?:'s)?\s+level\s*(?P<v>I{1,3}V?|IV|V|[1-5])\b", re.I),
    "mitotic_rate": re.compile(r"\bmitotic\s+(?:rate|count)(?:\s+(?:of|is))?\s*(?P<v>[<>]?\s*\d+(?:\.\d+)?\s*(?:/|per)\s*"
                               r"(?:square\s+)?mm\s*(?:2|²)?)", re.I),
    "pt_stage": re.compile(r"(?P<v>\b(?:y|r)?pT(?:is|[0-4X])[a-d]?\b(?:\s*N[0-3X][a-c]?)?(?:\s*M[01X])?)"),
    "ulceration": re.compile(r"\b(?P<v>(?:no\s+)?ulceration(?:\s+(?:is\s+)?(?:present|absent|not\s+identified|"
                             r"identified))?)", re.I),
}


_INLINE_LABEL = {"breslow": "Breslow thickness", "clark_level": "Clark level", "mitotic_rate": "Mitotic rate",
                 "pt_stage": "pT stage", "ulceration": "Ulceration"}


# Items run together on one line ("Breslow thickness: 0.6 mm. Ulceration: not identified. Clark level: III."):
# a new item starts after a full stop or semicolon where a label and a colon follow.
_RUN_TOGETHER = re.compile(r"(?<=[.;])[ \t]+(?=(?:[A-Z]|p[TNM]\b)[A-Za-z '()/\-]{0,60}?[ \t]{0,5}[:=])")


_DASH_ITEM = re.compile(r"(?:^|(?<=[;\n]))[ \t]*(?P<l>[A-Za-z][A-Za-z ()/]{1,40}?)[ \t]+[-–][ \t]+(?P<v>[^;\n]+)")


def _dash_items(text: str) -> str:
    """"Tumour - SCC in situ; Invasion - not identified; Deep margin - clear, 1.1 mm" -> one "label: value" a line
    (only where the label names a synoptic item)."""
    def sub(m: re.Match) -> str:
        return f"\n{m.group('l').strip()}: {m.group('v').strip()}\n" if _label_key(m.group("l").strip()) else m.group(0)
    return _DASH_ITEM.sub(sub, text)


def synoptic_in(text: str) -> list[SynopticItem]:
    items: list[SynopticItem] = []
    for m in _SYN_LINE.finditer(_RUN_TOGETHER.sub("\n", _dash_items(table_rows_as_items(text or "")))):
        label = m.group("label").strip()
        key = _label_key(label)
        repeatable = key in ("margins", "follicles", "reactant", "pn_stage", "site")
        if key and not any(i.key == key and (not repeatable or i.label == label) for i in items):
            value = re.sub(r"\s+", " ", m.group("value")).strip()
            # the value ends where the next sentence starts ("6/mm2. Peripheral and deep margins clear.")
            value = re.split(r"(?<=[A-Za-z0-9²%)])\.\s+(?=[A-Z])", value)[0].rstrip(".").strip()
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
            items.append(SynopticItem(key=key, label=_INLINE_LABEL[key], value=re.sub(r"\s+", " ", m.group("v"))))
    return items


# ------------------------------------------------------------------ stains and DIF
_STAIN = (r"PAS(?:-?D)?|GMS|Grocott(?:'s)?|Gram|Ziehl[\s-]Neelsen|(?-i:ZN)|Fite|Giemsa|Alcian\s+blue|colloidal\s+iron|"
          r"Congo\s+red|Perls|Prussian\s+blue|Fontana(?:[\s-]Masson)?|Melan-?A|MART-?1|SOX-?10|S-?100|HMB-?45|"
          r"Ki-?67|PRAME|p16|p53|p63|CD\d{1,3}|Ber-?EP4|(?:pan)?cytokeratin|CK\s?\d+(?:/\d+)?|EMA|Verhoeff|EVG|"
          r"elastic\s+(?:van\s+Gieson|stain)|mucin\s+stain|Warthin-Starry|Steiner|Treponema")
_STAIN_RE = re.compile(rf"(?<![\w-])(?:{_STAIN})(?![\w])", re.I)
_NEG_RE = re.compile(r"\bnegative\b|\bno\b|\bnot\s+(?:identified|seen|detected|present)\b|\bfails?\s+to\b|\babsent\b|"
                     r"\bdo(?:es)?\s+not\b|\bnone\b", re.I)
_POS_RE = re.compile(r"\bpositive\b|\bhighlights?\b|\bshows?\b|\breveals?\b|\bdemonstrates?\b|\bidentif(?:ies|ied)\b|"
                     r"\bpresent\b|\bconfirms?\b|\bstains?\s+(?:the|numerous|many|fungal)", re.I)
_REACTANT_RE = re.compile(r"(?<![\w-])(?:IgG4?|IgA|IgM|C3|C1q|C5b-9|fibrinogen)(?![\w])")
_DIF_PATTERN_RE = re.compile(r"\b(linear|intercellular|granular|shaggy|chicken[\s-]wire|net-?like|perivascular|"
                             r"homogeneous|continuous|lupus\s+band|[nu]-serrated|cytoid\s+bodies|fibrillar)\b", re.I)
_DIF_LOC_RE = re.compile(r"\b(basement\s+membrane\s+zone|(?-i:BMZ)|dermal[\s-]epidermal\s+junction|(?-i:DEJ)|"
                         r"intercellular\s+spaces?|epidermis|epidermal|dermal\s+papillae|(?:superficial\s+)?"
                         r"(?:dermal\s+)?(?:blood\s+)?vessels?(?:\s+walls?)?|roof|floor)\b", re.I)


def stains_in(text: str) -> list[StainResult]:
    out: list[StainResult] = []
    for clause in split_report_clauses(text):
        names = list(dict.fromkeys(m.group(0) for m in _STAIN_RE.finditer(clause)))
        if not names:
            continue
        neg, pos = _NEG_RE.search(clause), _POS_RE.search(clause)
        result = "negative" if neg and (not pos or neg.start() < pos.start()) else "positive" if pos else "mentioned"
        for n in names:
            if not any(s.stain.lower() == n.lower() and s.text == clause for s in out):
                out.append(StainResult(stain=n, result=result, text=clause))
    return out


def dif_in(text: str) -> list[DifResult]:
    out: list[DifResult] = []
    for clause in split_report_clauses(text):
        reactants = list(dict.fromkeys(_REACTANT_RE.findall(clause)))
        if not reactants:
            continue
        pat, loc = _DIF_PATTERN_RE.search(clause), _DIF_LOC_RE.search(clause)
        negative = bool(re.search(r"\bnegative\b|\bno\s+(?:specific\s+)?(?:deposits|staining|immunoreactants|"
                                  r"immune\s+deposits)|\bnot\s+(?:identified|detected|seen)", clause, re.I)) and not pat
        out.append(DifResult(reactants=reactants, pattern=pat.group(0) if pat else None,
                             location=loc.group(0) if loc else None, negative=negative, text=clause))
    return out


_GRADE_RE = re.compile(r"\b(?:(?:mild|moderate|severe|slight|marked)(?:ly)?\s+(?:cytologic(?:al)?\s+)?(?:atypia|"
                       r"dysplasia|dysplastic|atypical)|(?:low|high)[\s-]grade(?:\s+(?:dysplasia|atypia))?|"
                       r"(?:well|moderately|poorly)[\s-]+differentiated)\b", re.I)


def _category(diags: list[Diagnosis]) -> str | None:
    cats = [d.category for d in diags if d.certainty.level in ("definite", "probable")]
    if not cats and diags and any(d.certainty.level == "possible" for d in diags):
        return "uncertain"
    return min(cats, key=_SEVERITY.index) if cats else None


_SIZE_RE = re.compile(r"\b\d+(?:\.\d+)?\s*[x×X]\s*\d+(?:\.\d+)?(?:\s*[x×X]\s*\d+(?:\.\d+)?)?\s*(?:mm|cm|MM|CM)\b")


def _size(*texts: str) -> str | None:
    for t in texts:
        m = _SIZE_RE.search(t or "")
        if m:
            return re.sub(r"\s+", " ", m.group(0))
    return None


def extract_findings(report: ParsedReport) -> ReportFindings:
    f = ReportFindings(comment=report.section("comment"), addendum=report.section("addendum"))
    synoptic_text = report.section("synoptic")
    for sp in report.specimens:
        words = sp.diagnosis_text.strip()
        diags = diagnoses_in(words)
        sf = SpecimenFindings(label=sp.label, site=sp.site, laterality=sp.laterality, procedure=sp.procedure,
                              procedure_words=sp.procedure_words, punch_mm=sp.punch_mm, report_words=words,
                              size=_size(sp.description, report.section("gross") if len(report.specimens) == 1 else ""),
                              diagnoses=diags, margins=margins_in(words),
                              grades=list(dict.fromkeys(g.group(0) for g in _GRADE_RE.finditer(words))))
        sf.category = _category(diags)
        f.specimens.append(sf)
    if synoptic_text and len(f.specimens) >= 1:
        target = next((s for s in f.specimens if any(d.name == "melanoma" for d in s.diagnoses)), f.specimens[0])
        target.margins += [m for m in margins_in(synoptic_text) if m.text not in {x.text for x in target.margins}]
    diag_text = "\n".join(s.report_words for s in f.specimens)
    f.synoptic = synoptic_in("\n".join([synoptic_text, diag_text, report.section("microscopic"),
                                        report.section("immunofluorescence"), report.section("addendum")]))
    stain_text = "\n".join(report.section(n) for n in ("stains", "microscopic", "diagnosis", "comment", "addendum"))
    f.stains = stains_in(stain_text)
    f.dif = dif_in(report.section("immunofluorescence") + "\n" + report.section("addendum")) or dif_in(diag_text)
    for name in ("addendum", "immunofluorescence"):
        f.other_diagnoses += diagnoses_in(report.section(name), source=name)
    f.other_diagnoses += diagnoses_in(f.comment, source="comment", plain_level="mentioned")
    return f
