"""Findings: each specimen's diagnoses with their certainty words, margins, grade, melanoma synoptic items,
special stains and direct immunofluorescence (DIF). Everything keeps the report's own words next to the
structured value, so an explanation can quote them exactly.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from ..text.sentences import split_report_clauses
from .synoptic import SynopticItem, synoptic_in
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


_ALTERNATIVE = re.compile(r"(?i)\s*(?P<w>over|rather than|versus|vs\.?)\s+(?:an?\s+|the\s+)?")


def diagnoses_in(text: str, source: str = "diagnosis", plain_level: Level = "definite") -> list[Diagnosis]:
    """Diagnoses named in ``text`` with the certainty words that govern each one."""
    out: list[Diagnosis] = []
    for clause in split_report_clauses(text):
        mentions = find_mentions(clause)
        certs: list[Certainty | None] = []
        for i, m in enumerate(mentions):
            prev_end = mentions[i - 1].end if i else 0
            between = clause[prev_end:m.start]
            alt = _ALTERNATIVE.fullmatch(between) if i else None
            if alt and certs[-1] is not None and certs[-1].family in ("favour", "fits"):
                # "I would favour psoriasis over a spongiotic dermatitis": the second is the less likely one
                certs.append(Certainty(phrase=alt.group("w"), family="alternative", level="possible", position="pre"))
                continue
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
# Negated clearance is involvement and is read before "clear" ("NOT COMPLETELY EXCISED" holds "completely excised").
_NOT_CLEAR = re.compile(r"\b(?:not|nor|never)\s+(?:(?:been|be)\s+)?(?:completely|fully|entirely|widely)\s+(?:excised|"
                        r"removed)|\bincompletely\s+(?:excised|removed)|\bincomplete\b|\b(?:margins?|edges?)\s+(?:is|are)\s+not\s+"
                        r"(?:clear|free)\b|\bnot\s+clear\s+of\b", re.I)
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
_STATUS_RX = dict(_STATUS_RES)


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
            status = ("not assessable" if _STATUS_RX["not assessable"].search(seg)
                      else "involved" if _NOT_CLEAR.search(seg) else None)
            for name, rx in ([] if status else _STATUS_RES):
                if rx.search(seg):
                    status = name
                    break
            if status == "clear" and _STATUS_RX["close"].search(seg):
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
_SHOWS_NONE = re.compile(r"\b(?:shows?|showed|reveals?|revealed|demonstrates?|demonstrated|highlights?|identif(?:ies|ied)|"
                         r"confirms?)\s+(?:no|none|an?\s+absence|absence)\b", re.I)
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
        if _SHOWS_NONE.search(clause):  # "A PAS stain shows no fungal hyphae": the verb comes before its "no"
            result = "negative"
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
                                        report.section("immunofluorescence"), report.section("addendum"),
                                        report.section("stains")]))  # a telegraphic "IHC:" line may precede items
    stain_text = "\n".join(report.section(n) for n in ("stains", "microscopic", "diagnosis", "comment", "addendum"))
    f.stains = stains_in(stain_text)
    f.dif = dif_in(report.section("immunofluorescence") + "\n" + report.section("addendum")) or dif_in(diag_text)
    for name in ("addendum", "immunofluorescence"):
        f.other_diagnoses += diagnoses_in(report.section(name), source=name)
    f.other_diagnoses += diagnoses_in(f.comment, source="comment", plain_level="mentioned")
    return f
