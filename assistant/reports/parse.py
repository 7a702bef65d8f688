"""Split a (redacted) report into sections and specimens; read each specimen's site, laterality and procedure.

Sections: header (everything before the first heading), specimen, clinical, gross, microscopic, diagnosis,
comment, addendum, immunofluorescence, stains, synoptic. A heading is a known title at the start of a line,
either alone on its line or followed by ':' and text ("DIAGNOSIS: Skin, left arm, shave: ...").
Specimens are marked "A.", "B)", "Part 1:", "Specimen 2 -", "1." inside the specimen and diagnosis sections.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field

SECTION_TITLES: dict[str, str] = {
    "specimen": r"specimens?(?:\s*\(s\))?(?:\s+(?:submitted|received|source|type|description|details|site|"
                r"labell?ed|information))?|source(?:\s+of\s+specimen)?|(?:biopsy\s+)?site(?:\s+of\s+biopsy)?|"
                r"location|procedure|type\s+of\s+(?:biopsy|procedure|specimen)|material(?:\s+submitted)?|"
                r"tissue(?:\s+submitted)?|operation",
    "clinical": r"clinical\s+(?:history|information|details|notes|indication|data|summary|impression|diagnosis|"
                r"features|differential)|(?:relevant\s+|past\s+)?history|clinical|indications?|reason\s+for\s+"
                r"(?:biopsy|referral|request)|pre-?op(?:erative)?\s+diagnosis|provisional\s+diagnosis",
    "gross": r"gross(?:\s+(?:description|examination|findings))?|macroscopic(?:\s+(?:description|examination|"
             r"findings))?|macroscopy|macro",
    "microscopic": r"micro(?:scopic)?(?:\s+(?:description|findings|examination|report))?|microscopy|histology|"
                   r"histopathology(?:\s+(?:findings|report))?|histologic(?:al)?\s+(?:description|findings)",
    "diagnosis": r"(?:final\s+|pathologic(?:al)?\s+|histologic(?:al)?\s+|clinicopathologic(?:al)?\s+|"
                 r"histopathologic(?:al)?\s+)?diagnos(?:is|es)|conclusions?|(?:final\s+)?impression|summary|"
                 r"opinion|final\s+report|dx|final\s+dx",
    "comment": r"comments?|notes?|interpretation|discussion|remarks?|pathologist'?s?\s+comments?",
    "addendum": r"addend(?:um|a)(?:\s+(?:report|diagnosis|\d+))?|amended\s+(?:report|diagnosis)|amendment|"
                r"supplementary\s+report|revised\s+(?:report|diagnosis)|corrected\s+report",
    # the diagnosis an amended report replaced: kept in the record, never explained as a finding
    "superseded": r"(?:original|previous|prior|initial|superseded)\s+(?:diagnosis|report)",
    "immunofluorescence": r"(?:direct\s+)?immunofluorescence(?:\s+(?:studies|study|findings|results?|report))?"
                          r"(?:\s*\(DIF\))?|DIF(?:\s+(?:studies|results?|findings))?",
    "stains": r"special\s+stains?(?:\s+and\s+immunohistochemistry)?|immunohistochemistry|immunostains?|IHC|"
              r"ancillary\s+(?:studies|tests)|additional\s+studies",
    "signature": r"(?:electronically\s+)?signed(?:\s+out)?(?:\s+by)?|(?:reported|verified|authori[sz]ed|dictated)\s+by|"
                 r"(?:reporting\s+|attending\s+|consultant\s+)?(?:derm(?:ato)?)?pathologist",
    "synoptic": r"synoptic(?:\s+(?:report|summary|data|comment))?|(?:melanoma|cancer|tumou?r|carcinoma)\s+"
                r"(?:synoptic|summary|checklist|protocol|data|staging)(?:\s+report)?|cap\s+(?:cancer\s+)?protocol|"
                r"(?:pathologic(?:al)?\s+)?staging|checklist|"
                # "Dataset for histopathological reporting of primary cutaneous melanoma (RCPath)",
                # "CUTANEOUS SQUAMOUS CELL CARCINOMA OF THE HEAD AND NECK - SYNOPTIC (CAP)"
                r"(?:[A-Za-z][^\n:]{0,90}?[ \t])?(?:synoptic|dataset|data\s+set)(?:[ \t]+(?:report|summary|for[ \t][^\n:()]{1,90}))?",
}
HEADING_RE = _HEADING_RE = re.compile(
    r"^[ \t]*(?:#{1,4}[ \t]*|\*\*|=+[ \t]*|-{2,}[ \t]*|\[)?(?P<title>"
    + "|".join(f"(?P<{k}>{v})" for k, v in SECTION_TITLES.items())
    + r")(?:[ \t]*\((?:[^)\n]{0,90})\))?[ \t]*(?:\*\*|=+|-{2,}|\])?[ \t]*(?:(?P<colon>[:\-–—])[ \t]*(?P<rest>.*))?$",
    re.I | re.M)
_SPECIMEN_RE = re.compile(
    r"^[ \t]*(?:[-*•][ \t]*)?(?:\(?(?P<a>[A-H])[.):]|(?:part|specimen|sample|container|jar)[ \t]*#?[ \t]*"
    r"(?P<b>\d{1,2}|[A-H])\b[ \t]*[.):\-–]?|(?P<c>\d{1,2})[.)](?=[ \t]))[ \t]*(?P<rest>.*)$", re.I | re.M)

_BODY = (r"forehead|scalp|vertex|occiput|temple|cheek|nose|nasal\s+(?:tip|ala|bridge|sidewall|dorsum)|alar?|"
         r"ears?|helix|antihelix|earlobe|pinna|concha|lips?|vermilion|chin|jaw(?:line)?|eyelids?|eyebrows?|brow|"
         r"canthus|face|neck|shoulders?|arms?|forearms?|elbows?|wrists?|hands?|palms?|fingers?|thumbs?|"
         r"nail(?:\s+(?:bed|fold|unit|matrix))?|chest|breasts?|abdomen|flank|back|trunk|buttocks?|groin|axillae?|"
         r"armpit|thighs?|knees?|shins?|legs?|calf|calves|ankles?|foot|feet|soles?|heels?|toes?|vulva|labia|"
         r"labium\s+(?:majus|minus)|labia\s+(?:majora|minora)|penis|scrotum|perianal\s+(?:skin|area)?|sacrum|sternum|clavicle|pubis|mons\s+pubis|popliteal\s+fossa|"
         r"inframammary\s+fold|(?:ante)?cubital\s+fossa|mouth|buccal\s+mucosa|tongue|gums?|hairline|preauricular|postauricular|"
         r"retroauricular|submandibular|suprapubic|pretibial|interscapular|paraspinal|umbilicus|hip|"
         r"periorbital|perioral|malar")
_MOD = (r"upper|lower|mid|middle|anterior|posterior|lateral|medial|proximal|distal|dorsal|ventral|inner|outer|"
        r"central|superior|inferior|left|right|bilateral|volar|plantar|frontal|parietal|occipital|dorsum\s+of"
        r"(?:\s+the)?|tip\s+of(?:\s+the)?|side\s+of(?:\s+the)?|back\s+of(?:\s+the)?")
_SITE_RE = re.compile(rf"\b(?:(?:{_MOD})[\s,]+){{0,4}}(?:{_BODY})\b", re.I)
# Site-table names that are also everyday words elsewhere in a report ("mental health", "digital image").
_AMBIGUOUS_SITE_WORDS = frozenset({"mental", "digital", "digit", "crown", "temporal", "mons", "glans"})


@lru_cache(maxsize=1)
def _site_re() -> re.Pattern:
    """_SITE_RE plus every name in the plain-site table (knowledge_base/lexicon/sites.yaml), longest first."""
    from .sites import site_table

    names = sorted((n for n in site_table() if n not in _AMBIGUOUS_SITE_WORDS), key=len, reverse=True)
    extra = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"\b(?:(?:{_MOD})[\s,]+){{0,4}}(?:{extra}|{_BODY})\b", re.I)
_MOD_RE = re.compile(rf"^(?:{_MOD})\b", re.I)
_LAT_RE = re.compile(r"\b(left|right|bilateral|midline)\b|\((L|R)\)|\b(Lt|Rt)\b\.?", re.I)
_PROCEDURES: list[tuple[str, str]] = [
    ("punch biopsy", r"(?:\d+(?:\.\d+)?\s*-?\s*mm\s+)?punch(?:\s+biopsy|\s+excision)?(?:[\s,(]+\d+(?:\.\d+)?\s*mm\)?)?"),
    ("shave biopsy", r"(?:deep\s+)?shave(?:\s+(?:biopsy|excision|removal))?|saucerization|tangential\s+biopsy"),
    ("incisional biopsy", r"incisional(?:\s+biopsy)?|wedge\s+biopsy"),
    ("excision", r"(?:wide\s+local\s+|re-?|elliptical\s+|complete\s+)?excision(?:al)?(?:\s+biopsy)?|ellipse|"
                 r"resection|mohs(?:\s+surgery)?"),
    ("curettage", r"curettage|curettings?|curette"),
    ("biopsy", r"biopsy"),
]
_PROC_RES = [(name, re.compile(rf"\b(?:{rx})\b", re.I)) for name, rx in _PROCEDURES]
_PUNCH_MM = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*mm\s+punch|punch(?:\s+biopsy)?[\s,(]+(\d+(?:\.\d+)?)\s*mm", re.I)


class Section(BaseModel):
    name: str
    title: str
    text: str
    line: int = Field(description="1-based line of the heading")


class Specimen(BaseModel):
    label: str
    description: str = ""
    site: str | None = None
    laterality: str | None = None
    procedure: str | None = None
    procedure_words: str | None = Field(default=None, description="the procedure as written, e.g. '4 mm punch'")
    punch_mm: float | None = None
    diagnosis_text: str = ""


class ParsedReport(BaseModel):
    text: str
    sections: list[Section] = Field(default_factory=list)
    specimens: list[Specimen] = Field(default_factory=list)
    amended: bool = Field(False, description="an amended or revised diagnosis replaces the original one")

    def section(self, name: str) -> str:
        return "\n".join(s.text for s in self.sections if s.name == name).strip()

    def has(self, name: str) -> bool:
        return any(s.name == name and s.text.strip() for s in self.sections)


_ITEM_LINE = re.compile(r"^[ \t>*\-•]{0,8}(?P<label>[A-Za-z][A-Za-z0-9² '(),/\-]{1,60}?)[ \t]{0,5}:[ \t]*\S")
_PLACEHOLDER = re.compile(r"\[(?:NAME|DATE|MRN|ID|ADDRESS|PHONE|EMAIL|AGE)\]")
_ADMIN_LINE = re.compile(_PLACEHOLDER.pattern + r"|(?i:\b(?:department|hospital|trust|laborator(?:y|ies)|infirmary|"
                         r"medical\s+cent(?:re|er)|page\s+\d+\s+of)\b)")


def _items_follow(text: str, pos: int) -> bool:
    """The two lines after ``pos`` are synoptic items ("Ulceration: Not identified"): a dataset, not a section."""
    from .synoptic import label_key

    lines = [ln for ln in text[pos:].split("\n")[1:6] if ln.strip()][:2]
    return len(lines) == 2 and all((m := _ITEM_LINE.match(ln)) and label_key(m.group("label")) for ln in lines)


def _cut_admin(body: str) -> tuple[str, str]:
    """A section's text ends where a paragraph of header lines starts (a diagnosis written first, then the
    lab's letterhead and the patient's details): (section text, the header paragraphs after it)."""
    paras = re.split(r"\n[ \t]*\n", body)
    for i, para in enumerate(paras[1:], start=1):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        # a letterhead or patient block: half its lines are header lines, and one holds a removed identifier
        # ("Recommend referral to the Royal Marsden Hospital. Please discuss at MDT." stays in its section)
        if len(lines) >= 2 and sum(bool(_ADMIN_LINE.search(ln)) for ln in lines) * 2 >= len(lines) \
                and any(_PLACEHOLDER.search(ln) for ln in lines):
            return "\n\n".join(paras[:i]).strip(), "\n\n".join(paras[i:]).strip()
    return body, ""


def split_sections(text: str) -> list[Section]:
    sections: list[Section] = []
    heads = []
    for m in _HEADING_RE.finditer(text):
        name = next(k for k in SECTION_TITLES if m.group(k))
        rest = (m.group("rest") or "").strip()
        title = m.group("title")
        # A bare word heading must be alone on its line and look like a heading (capitals, or few words).
        if not m.group("colon") and not (title.isupper() or title.istitle()):
            continue
        # Inside a synoptic block, "Procedure:", "Site:" and "Specimen:" are synoptic items, not new sections.
        if name == "specimen" and heads and heads[-1][2] == "synoptic":
            continue
        # "Specimen type: Excision" followed by more items opens a dataset that has no heading of its own.
        if name == "specimen" and m.group("colon") and rest and _items_follow(text, m.start()):
            heads.append((m.start(), m.end(), "synoptic", "", rest, text.count("\n", 0, m.start()) + 1, m.start()))
            continue
        heads.append((m.start(), m.end(), name, title, rest, text.count("\n", 0, m.start()) + 1,
                      m.start("rest") if m.group("rest") is not None else m.end()))
    if not heads:
        return [Section(name="header", title="", text=text.strip(), line=1)]
    if text[:heads[0][0]].strip():
        sections.append(Section(name="header", title="", text=text[:heads[0][0]].strip(), line=1))
    for i, (s, e, name, title, rest, line, body_start) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        body, admin = _cut_admin(text[body_start:end].strip())
        sections.append(Section(name=name, title=title.strip(), text=body, line=line))
        if admin:
            sections.append(Section(name="header", title="", text=admin, line=line))
    return sections


def _label(m: re.Match) -> str:
    return (m.group("a") or m.group("b") or m.group("c")).upper()


def split_specimens(text: str) -> list[tuple[str, str]]:
    """(label, text) pairs; an unlabelled block becomes label 'A'. Text before the first label is kept
    with the first specimen."""
    marks = list(_SPECIMEN_RE.finditer(text))
    if not marks:
        return [("A", text.strip())] if text.strip() else []
    out: list[tuple[str, str]] = []
    lead = text[:marks[0].start()].strip()
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.start("rest"):end].strip()
        if i == 0 and lead:
            body = f"{lead}\n{body}"
        label = _label(m)
        if out and out[-1][0] == label:
            out[-1] = (label, out[-1][1] + "\n" + body)
        else:
            out.append((label, body))
    return out


def find_site(text: str) -> tuple[str | None, str | None]:
    """The first body site (as written) and its laterality (left/right/bilateral/midline)."""
    found = list(_site_re().finditer(text or ""))
    # "Vulva, left labium majus": the site with a side or other qualifier is the more exact one.
    for m in sorted(found, key=lambda m: (not _MOD_RE.match(m.group(0)), m.start()))[:1]:
        site = re.sub(r"\s+", " ", m.group(0)).strip(" ,").lower()
        lat = None
        lm = _LAT_RE.search(site)
        if not lm:
            window = text[max(0, m.start() - 30):m.end() + 15]
            lm = _LAT_RE.search(window)
        if lm:
            raw = (lm.group(1) or lm.group(2) or lm.group(3)).lower()
            lat = {"l": "left", "lt": "left", "r": "right", "rt": "right"}.get(raw, raw)
        return site, lat
    return None, None


def find_procedure(text: str) -> tuple[str | None, str | None, float | None]:
    """(procedure name, words as written, punch size in mm)."""
    for name, rx in _PROC_RES:
        m = rx.search(text or "")
        if m:
            pm = _PUNCH_MM.search(text)
            size = float(pm.group(1) or pm.group(2)) if (pm and name == "punch biopsy") else None
            words = re.sub(r"\s+", " ", m.group(0)).strip(" ,()")
            return name, words.lower() if words.isupper() else words, size
    return None, None, None


_CONCLUDING = re.compile(r"(?i)\b(?:favou?r(?:s|ed)?|consistent with|in keeping with|compatible with|diagnostic of|"
                         r"suggestive of|(?:the )?(?:final )?diagnosis (?:is|of)|features (?:are|of)|represents?|"
                         r"conclusion|impression|would (?:favou?r|support)|most likely|no evidence of)\b")


def _concluding_sentences(text: str) -> str:
    """A report with no DIAGNOSIS heading (a letter, a comment-style report): its sentences that conclude on a named
    diagnosis ("I would favour psoriasis over a spongiotic dermatitis"), in order; "" when none does."""
    from ..text.sentences import split_sentences
    from .lexicon import find_mentions

    picked = [s for s in split_sentences(text) if _CONCLUDING.search(s) and find_mentions(s)
              and not re.search(r"(?i)^\s*(?:re|dear|thank|ref|clinical|history)\b|\?", s)]
    return "\n".join(picked[:3])


def parse_report(text: str) -> ParsedReport:
    """Sections and specimens of a redacted, cleaned report."""
    sections = split_sections(text)
    report = ParsedReport(text=text, sections=sections)
    # No DIAGNOSIS heading: the text before the first heading (often the whole paste) is the diagnosis.
    amended = "\n".join(s.text for s in report.sections if s.name == "addendum" and s.text.strip()
                        and re.search(r"(?i)amended|revised|corrected", s.title) and re.search(r"(?i)diagnos", s.title))
    report.amended = bool(amended) or report.has("superseded")
    diag = amended or report.section("diagnosis") or _concluding_sentences(text) or report.section("header") or \
        report.section("microscopic")
    spec_text = report.section("specimen")
    descs = dict(split_specimens(spec_text)) if spec_text else {}
    diags = split_specimens(diag) if diag else []
    labels = [lab for lab, _ in diags] or list(descs) or ["A"]
    for lab in dict.fromkeys(labels + list(descs)):
        desc = descs.get(lab, "")
        if not desc and len(descs) == 1 and len(labels) == 1:
            desc = next(iter(descs.values()))
        dtext = next((t for lab2, t in diags if lab2 == lab), "")
        header = dtext.split(":", 1)[0] if ":" in dtext[:160] else dtext[:160]
        site, lat = find_site(desc) if desc else (None, None)
        if site is None:
            site, lat = find_site(header)
        if site is None and len(labels) == 1:
            site, lat = find_site(report.section("clinical") + "\n" + report.section("gross"))
        proc, words, size = find_procedure(desc)
        if proc is None:
            proc, words, size = find_procedure(header)
        if proc is None and len(labels) == 1:
            proc, words, size = find_procedure(report.section("gross") + "\n" + report.section("clinical"))
        report.specimens.append(Specimen(label=lab, description=desc, site=site, laterality=lat, procedure=proc,
                                         procedure_words=words, punch_mm=size, diagnosis_text=dtext))
    return report
