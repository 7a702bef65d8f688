"""Report text -> ReportExplanation: clean -> de-identify -> flag injected instructions -> parse -> findings ->
plain-language text from templates and cited knowledge-base sections -> fidelity checks.

Deterministic and grounded: no language model writes any of it. Only redacted text goes past ``redact``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from pydantic import BaseModel, Field

from .. import DISCLAIMER
from ..phi import redact
from ..safety.injection import detect_injection
from ..text.numbers import bare_numbers, measurements
from . import compose
from .findings import ReportFindings, extract_findings
from .guidance import CitedText, Guidance, TermDefinition
from .fidelity import FidelityProblem, FidelityReport, QualifiedClaim, SourceFacts, check_fidelity, sentence_problems
from .qualifiers import CLARK_RE, STAGE_RE
from .raw_facts import RawFact, raw_facts, unconveyed
from .inputs import MAX_REPORT_CHARS, clean_report_text
from .lexicon import by_name
from .parse import HEADING_RE, parse_report
from .suggestions import suggestions

CONTEXT_NOTE = ("Your own doctor knows your history and has seen your skin. They will explain what this report "
                "means for you, in context, and what happens next.")
_INJECTION_TEXT = {
    "override": "it asks to ignore instructions", "tell-patient": "it tells the reader what to say to the patient",
    "dictate-result": "it dictates what the result should be called", "role-play": "it tries to change who is answering",
    "system": "it looks like a message to a computer program", "suppress": "it asks to hide part of the report",
    "markup": "it contains web page code",
}
_PRESUPPOSE = re.compile(r"\b(?:do I have|I have|you have|my (?!doctor|skin|report|sample|biopsy))", re.I)
_LEVEL_RANK = {"definite": 0, "probable": 1, "possible": 2, "mentioned": 3, "negative": 4}
_SEVERITY = ["malignant", "uncertain", "premalignant", "infection", "inflammatory", "benign"]
_INVOLVED_GUIDES = {
    "basal cell carcinoma": ("basal-cell-carcinoma", "not fully removed"),
    "squamous cell carcinoma": ("squamous-cell-carcinoma", "Margins in an SCC"),
    "squamous cell carcinoma in situ": ("squamous-cell-carcinoma", "Margins in an SCC"),
    "dysplastic naevus": ("atypical-naevi", "Margins and re-excision"),
    "melanoma": ("melanoma-reports", "Margins and wider excision"),
    "melanoma in situ": ("melanoma-reports", "Margins and wider excision"),
    "actinic keratosis": ("actinic-keratosis", "Margins in an AK"),
}
_CERTAINTY_HEADINGS = {"fits": "Consistent with", "favour": "Favour", "suggestive": "Suggestive of",
                       "possible": "Cannot exclude", "differential": "Differential diagnosis",
                       "negative": "No evidence of", "diagnostic": "Diagnostic of"}


class FindingGroup(BaseModel):
    label: str
    title: str
    report_words: str = Field("", description="the report's own words (redacted), quoted exactly")
    points: list[str] = Field(default_factory=list)


class ReportExplanation(BaseModel):
    summary: str
    what_was_tested: list[str] = Field(default_factory=list)
    main_findings: list[FindingGroup] = Field(default_factory=list)
    other_results: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list, description="what the report itself suggests doing next, "
                                   "in plain words (assistant/reports/suggestions.py)")
    report_notes: list[str] = Field(default_factory=list, description="comment and addendum, quoted")
    more_from_report: list[str] = Field(default_factory=list, description="report sentences shown as written because "
                                        "the plain-language parts did not convey a number, stage, side, certainty "
                                        "or negation in them (a fidelity repair)")
    repairs: list[str] = Field(default_factory=list, description="for the clinician: what the parser-independent "
                               "check found missing from the plain-language parts and how it was repaired")
    terms: list[TermDefinition] = Field(default_factory=list)
    next_steps: list[CitedText] = Field(default_factory=list)
    questions: list[CitedText] = Field(default_factory=list)
    context_note: str = CONTEXT_NOTE
    warnings: list[str] = Field(default_factory=list)
    findings: ReportFindings = Field(default_factory=ReportFindings)
    fidelity: FidelityReport = Field(default_factory=lambda: FidelityReport(passed=True))
    phi_removed: dict[str, int] = Field(default_factory=dict)
    readability_grade: float | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    disclaimer: str = DISCLAIMER

    def sources(self) -> list[tuple[int, CitedText]]:
        """Numbered cited sections (doc id + heading), in order of first use."""
        seen: dict[tuple[str, str], int] = {}
        out = []
        for c in [*self.next_steps, *self.questions]:
            key = (c.doc_id, c.heading)
            if key not in seen:
                seen[key] = len(seen) + 1
                out.append((seen[key], c))
        return out

    def cite(self, c: CitedText) -> int:
        return next(n for n, s in self.sources() if (s.doc_id, s.heading) == (c.doc_id, c.heading))

    def plain_text(self) -> str:
        """The parts written in plain language (not quotes of the report, not the glossary or guidance)."""
        return "\n".join([self.summary, *self.what_was_tested, *[p for g in self.main_findings for p in g.points],
                          *self.other_results, *self.suggestions])

    def quoted_text(self) -> str:
        """The report's own words as shown to the reader."""
        return "\n".join([*(g.report_words for g in self.main_findings), *self.report_notes, *self.more_from_report])

    def claims_text(self) -> str:
        """Sentences that state or explain findings (not quotes of the report, not glossary definitions)."""
        parts = [self.summary, *[p for g in self.main_findings for p in g.points], *self.other_results,
                 *self.suggestions,
                 *[c.text for c in self.next_steps], *[c.text for c in self.questions]]
        return "\n".join(parts)

    def to_markdown(self) -> str:
        from .render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from .render import to_html

        return to_html(self)


class Explainer:
    """Explains reports. Build once per process: the knowledge base is read on first use and kept here."""

    def __init__(self, settings=None, *, kb_path: str | Path | None = None, max_chars: int = MAX_REPORT_CHARS,
                 embedder=None) -> None:
        # ``embedder`` is accepted so callers can build every component the same way; explaining needs none.
        if kb_path is None:
            from ..config import default_kb_path

            kb_path = settings.kb_path if settings is not None else default_kb_path()
        self.guidance = Guidance(kb_path)
        self.max_chars = max_chars

    def warm_up(self) -> None:
        """Read the knowledge base, load the readability word list and the name tagger now, not on the first report."""
        from ..phi_names import warm_up
        from ..readability import fkgl

        self.guidance.load()
        fkgl("Warm up the syllable dictionary.")
        warm_up()

    def explain(self, text: str | bytes) -> ReportExplanation:
        t0 = time.perf_counter()
        clean = clean_report_text(text, self.max_chars)
        red = redact(clean.text)
        warnings = list(clean.warnings)
        lines = red.text.split("\n")
        for flag in detect_injection(red.text):
            head = HEADING_RE.match(lines[flag.line - 1])  # keep "COMMENT:" so the section still ends here
            lines[flag.line - 1] = lines[flag.line - 1][:head.start("rest")] if head and head.group("rest") else ""
            warnings.append(f"Line {flag.line} of the report reads like an instruction to a computer "
                            f"({_INJECTION_TEXT.get(flag.kind, flag.kind)}). It was treated as report text: it was not "
                            "followed and is left out here. Check the original report with your doctor.")
        body = "\n".join(lines)
        t1 = time.perf_counter()
        parsed = parse_report(body)
        if not parsed.has("diagnosis") and not parsed.amended:
            warnings.append("No DIAGNOSIS heading was found, so the diagnosis was read from the report's own text (shown "
                            "below). Check it with your doctor.")
        findings = extract_findings(parsed)
        if parsed.amended:
            warnings.append("This report was amended: the diagnosis was changed after the first report. The latest "
                            "diagnosis is the one explained here; the earlier one was replaced.")
        elif findings.addendum:
            warnings.append("This report has an addendum, added later. It may add to or change the diagnosis.")
        t2 = time.perf_counter()
        facts = source_facts(findings, parsed.section("synoptic"))
        exp = self._compose(findings, facts, parsed.section("synoptic"), body, warnings)
        exp.phi_removed = red.counts()
        t3 = time.perf_counter()
        raw = raw_facts(body)
        repair(exp, raw)
        md = exp.to_markdown()
        exp.fidelity = check_fidelity(facts, md, claims_text=exp.claims_text())
        still = unconveyed(raw, md)
        exp.fidelity.checked["report_facts"] = len(raw)
        exp.fidelity.checked["repaired"] = len(exp.repairs)
        if still:
            exp.fidelity.passed = False
            exp.fidelity.problems += [FidelityProblem(check="number" if f.kind == "number" else "term",
                                                      detail=f"missing '{f.text}'") for f in still]
        if not exp.fidelity.passed:
            problems = "; ".join(p.detail for p in exp.fidelity.problems[:5])
            exp.warnings.insert(0, f"An automatic check found a problem with this explanation ({problems}). Read the "
                                   "original report with your doctor.")
        from ..readability import fkgl

        exp.readability_grade = fkgl(exp.summary)
        t4 = time.perf_counter()
        exp.timings = {"redact": t1 - t0, "parse": t2 - t1, "compose": t3 - t2, "check": t4 - t3, "total": t4 - t0}
        return exp

    def _compose(self, f: ReportFindings, facts: SourceFacts, synoptic: str, body: str,
                 warnings: list[str]) -> ReportExplanation:
        g = self.guidance.load()

        # "non-scarring" guidance beside a scarring alopecia, "non-melanoma" beside a melanoma: the opposite of a finding
        found = sorted({re.escape(d.name.split()[0]) for d in f.all_diagnoses()
                        if d.certainty.level in ("definite", "probable") and len(d.name.split()[0]) > 4})
        opposite = re.compile(r"(?i)\bnon-?(?:" + "|".join(found) + r")\b") if found else None

        def keep(sentence: str) -> bool:  # a knowledge-base sentence must not make a claim the report does not
            if opposite is not None and opposite.search(sentence):
                return False
            return not sentence_problems(facts, sentence)

        groups = [FindingGroup(label=sf.label, title=compose.specimen_title(sf), report_words=sf.report_words,
                               points=compose.specimen_points(sf)) for sf in f.specimens]
        if synoptic:
            melanoma = compose.is_melanoma(f)
            groups.append(FindingGroup(label="synoptic", title="Summary table (synoptic report)",
                                       report_words=synoptic,
                                       points=[compose.synoptic_point(i, melanoma) for i in f.synoptic]))
        if not g.has_glossary:
            warnings.append("The glossary could not be loaded, so word meanings are not shown.")
        diags = f.all_diagnoses()
        allowed = {d.name for d in diags if d.certainty.level in ("definite", "probable", "possible")}
        return ReportExplanation(
            summary=compose.summary(f), what_was_tested=compose.tested_lines(f), main_findings=groups,
            other_results=compose.other_points(f, with_synoptic=not synoptic), report_notes=compose.quotes(f), terms=g.terms_in(body),
            suggestions=suggestions(body),
            next_steps=self._next_steps(f, allowed, keep), questions=self._questions(f, allowed, keep),
            warnings=warnings,
            findings=f)

    def _next_steps(self, f: ReportFindings, allowed: set[str], keep, limit: int = 6) -> list[CitedText]:
        g = self.guidance
        wanted: list[tuple[str, str, bool]] = []
        ranked = sorted((d for d in f.all_diagnoses() if d.certainty.level in ("definite", "probable")),
                        key=lambda d: (_SEVERITY.index(d.category), _LEVEL_RANK[d.certainty.level]))
        involved = {d.name for sf in f.specimens if any(m.status == "involved" for m in sf.margins) for d in sf.diagnoses}
        # a benign finding beside a (pre)cancer in the same sample ("melanoma arising in a naevus") gets no
        # benign reassurance: that guidance would read as if the whole report were benign
        overshadowed = {id(d) for sf in f.specimens
                        if any(x.category in ("malignant", "premalignant") for x in sf.diagnoses)
                        for d in sf.diagnoses if d.category == "benign"}
        aside = _benign_aside(f)
        for d in ranked:
            if id(d) in overshadowed or id(d) in aside:
                continue
            definite = d.certainty.level == "definite"
            if d.name in involved and d.name in _INVOLVED_GUIDES:
                wanted.append((*_INVOLVED_GUIDES[d.name], definite))
            dx = by_name(d.name)
            wanted += [(doc, head, definite) for doc, head in (dx.guides if dx else ())]
        for d in f.all_diagnoses():
            fam = d.certainty.family
            if d.certainty.level != "mentioned" and fam in _CERTAINTY_HEADINGS:
                head = "Compatible with" if "compatible" in d.certainty.phrase.lower() else _CERTAINTY_HEADINGS[fam]
                wanted.append(("certainty-words-in-reports", head, True))
        stains = {s.stain.upper().replace("-D", "") for s in f.stains}
        if "PAS" in stains:
            wanted.append(("special-stains-and-immunofluorescence", "PAS stain", True))
        if "GMS" in stains or "GROCOTT" in stains:
            wanted.append(("special-stains-and-immunofluorescence", "GMS stain", True))
        if f.dif:
            wanted.append(("special-stains-and-immunofluorescence", "What direct immunofluorescence is", True))
        out, seen = [], set()
        for doc, head, definite in wanted:
            c = g.excerpt(doc, head, allowed, avoid=None if definite else _PRESUPPOSE, keep=keep)
            if c and (c.doc_id, c.heading) not in seen:
                seen.add((c.doc_id, c.heading))
                out.append(c)
            if len(out) >= limit:
                break
        return out

    def _questions(self, f: ReportFindings, allowed: set[str], keep, limit: int = 8) -> list[CitedText]:
        g = self.guidance
        out: list[CitedText] = []
        aside = _benign_aside(f)
        for d in sorted((d for d in f.all_diagnoses() if d.certainty.level in ("definite", "probable")),
                        key=lambda d: _SEVERITY.index(d.category)):
            if id(d) in aside:
                continue
            dx = by_name(d.name)
            if dx and dx.condition_doc:
                out += g.questions(dx.condition_doc, allowed, keep=keep, limit=3,
                                   avoid=None if d.certainty.level == "definite" else _PRESUPPOSE)
        if any(d.certainty.family not in ("plain", "diagnostic") and d.certainty.level != "mentioned"
               for d in f.all_diagnoses()):
            out += g.questions("certainty-words-in-reports", allowed, limit=2, keep=keep)
        out += g.questions("reading-a-skin-biopsy-report", allowed, limit=4, keep=keep)
        unique = list({c.text.lower(): c for c in out}.values())
        return unique[:limit]


def _benign_aside(f: ReportFindings) -> set[int]:
    """Benign findings named only in an addendum or comment of a report with a (pre)cancer: they get no benign
    guidance or questions ("melanoma in situ arising in association with a compound naevus")."""
    if not any(d.category in ("malignant", "premalignant") and d.certainty.level in ("definite", "probable")
               for d in f.all_diagnoses()):
        return set()
    return {id(d) for d in f.all_diagnoses() if d.category == "benign" and d.source != "diagnosis"}


_KIND_WORDS = {"number": "the measurement", "stage": "the stage", "side": "the side and site",
               "certainty": "the certainty words", "negation": "the finding that was absent"}


def _flat_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def repair(exp: ReportExplanation, raw: list[RawFact]) -> None:
    """Facts of the report that the plain-language parts do not convey are shown in the report's own words
    (once per report sentence, unless a quote already shows that sentence); each is listed for the clinician."""
    missing = unconveyed(raw, exp.plain_text())
    quoted = _flat_ws(exp.quoted_text())
    for f in missing:
        src = f.source.strip()
        where = "already shown in the report's words"
        if _flat_ws(src) not in quoted:
            exp.more_from_report.append(src)
            quoted += "\n" + _flat_ws(src)
            where = "added under 'More from the report' in the report's words"
        exp.repairs.append(f"{_KIND_WORDS[f.kind].capitalize()} '{f.text}' was not explained in plain words; {where}.")


def source_facts(f: ReportFindings, synoptic: str = "") -> SourceFacts:
    """What every explanation of these findings must keep (from the diagnosis and synoptic sections)."""
    src = "\n".join([*(sf.report_words for sf in f.specimens), synoptic])
    terms = [m.group(0).strip() for m in STAGE_RE.finditer(src)] + [m.group(0) for m in CLARK_RE.finditer(src)]
    for sf in f.specimens:
        terms += [t for t in (sf.site, sf.laterality) if t]
    qualified, stated = [], {}
    for d in f.all_diagnoses():
        level = "possible" if d.certainty.level == "mentioned" else d.certainty.level
        if d.name not in stated or _LEVEL_RANK[level] < _LEVEL_RANK[stated[d.name]]:
            stated[d.name] = level
        if d.certainty.family not in ("plain", "diagnostic") and d.certainty.level != "mentioned":
            qualified.append(QualifiedClaim(subject=compose.nice(d.surface), qualifier=d.certainty.phrase.lower(),
                                            family=d.certainty.family))
    categories = {d.name: d.category for d in f.all_diagnoses()}
    malignant = any(d.category == "malignant" and d.certainty.level in ("definite", "probable")
                    for d in f.all_diagnoses())
    return SourceFacts(measurements=measurements(src), numbers=sorted(set(bare_numbers(src))),
                       terms=list(dict.fromkeys(terms)), qualified=qualified, stated=stated, categories=categories,
                       malignant=malignant)


def explain_report(text: str | bytes, settings=None) -> ReportExplanation:
    """One-off convenience; build an ``Explainer`` to explain many reports."""
    return Explainer(settings).explain(text)
