"""Plain-language sentences for report findings, built from templates that keep the report's own words:
certainty words are repeated exactly ("consistent with" stays "consistent with"), numbers and sites are
copied as written, and a diagnosis is only named with the certainty the report gives it.
"""

from __future__ import annotations

import re

from .findings import Diagnosis, Margin, ReportFindings, SpecimenFindings
from .item_meanings import HIGHER_RISK_BCC, is_melanoma, synoptic_point, value_meaning  # noqa: F401  (re-exported)
from .synoptic import SynopticItem
from .lexicon import by_name

_SEVERITY = ["malignant", "uncertain", "premalignant", "infection", "inflammatory", "benign"]
_KEEP_CASE = re.compile(r"^(?:[A-Z]{2,}\b|Bowen|Merkel|Kaposi|Clark|Spitz|Henoch|IgA)")
MEANING = {
    "fits": "This means the changes seen fit {s}, but a sample alone does not prove it.",
    "favour": "This means the pathologist thinks {s} is more likely than other causes, but is not certain.",
    "suggestive": "This means the changes point toward {s}, but do not prove it.",
    "possible": "This means {s} is possible. It does not mean it was found.",
    "differential": "A differential diagnosis is a list of possible causes, not a final answer.",
    "negative": "This means the pathologist looked for it and did not see it in this sample.",
    "alternative": "This means {s} is still possible, but the pathologist thinks it is less likely.",
}
MARGIN_MEANING = {
    "involved": "This means abnormal cells reach this cut edge, so not all of the growth was removed and some may "
                "still be in the skin.",
    "clear": "This means no abnormal cells were seen at this cut edge of the removed skin.",
    "close": "This means abnormal cells come near this cut edge of the removed skin.",
    "not assessable": "This means the pathologist could not tell from this sample.",
    "distance only": "This is the distance from the abnormal cells to the cut edge of the removed skin.",
}
_EDGE = {"deep": "the deep (bottom) edge", "peripheral": "the side edges", "lateral": "the side edges",
         "radial": "the side edges"}


def _edges_of(margins) -> str:
    """The margins' sides in plain words ("the deep (bottom) edge and the side edges"); "" when none is named."""
    return " and ".join(dict.fromkeys(_EDGE.get(x.lower(), f"the {x} edge") for m in margins for x in m.sides))


def nice(surface: str) -> str:
    """The diagnosis as the report wrote it, in sentence case (abbreviations and eponyms kept)."""
    s = re.sub(r"\s+", " ", surface.strip())
    if s.isupper() and len(s) > 5:
        s = s.lower()
    elif s[:1].isupper() and not _KEEP_CASE.match(s) and not (len(s) > 1 and s[1].isupper()):
        s = s[0].lower() + s[1:]
    return s


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def grouped(diags: list[Diagnosis]) -> list[list[Diagnosis]]:
    """Diagnoses that share their certainty words and source ("differential diagnosis includes X and Y")."""
    groups: dict[tuple, list[Diagnosis]] = {}
    for d in diags:
        key = (d.source, d.certainty.family, d.certainty.phrase.lower(), d.certainty.position)
        if d.certainty.family == "plain":
            key += (d.name,)
        if not any(x.name == d.name for x in groups.get(key, [])):
            groups.setdefault(key, []).append(d)
    return list(groups.values())


def group_sentence(group: list[Diagnosis]) -> str:
    joined = _join([nice(d.surface) for d in group])
    return certainty_sentence(group[0], joined)


def certainty_sentence(d: Diagnosis, surface: str | None = None) -> str:
    s, c = surface or nice(d.surface), d.certainty
    p = c.phrase.lower().strip()
    if c.family == "plain":
        return f"The report names {s}."
    if c.position == "post":
        return f"The report says {s} {p}."
    if c.family in ("fits", "suggestive") and p not in ("c/w",) and "possibility" not in p:
        return f"The report says the changes are {p} {s}."
    if c.family == "diagnostic":
        return f"The report says the changes are {p} {s}."
    if c.family == "favour":
        return f'The report leans toward {s}; it uses the word "{p}".'
    if c.family == "alternative":
        return f'The report thinks {s} is less likely: it favours another diagnosis "{p}" it.'
    if c.family == "differential" and p.startswith("differential"):
        return f"The report's {p} {s}."
    if c.family == "possible" and p.startswith(("cannot", "may", "could")):
        return f"The report says it {p} {s}."
    if c.family == "negative":
        if p == "no evidence of":
            return f"The report found {p} {s}."
        if p in ("negative for", "free of"):
            return f"The sample was {p} {s}."
        if p == "no":
            return f"The report says there is no {s}."
        if p == "not consistent with":
            return f"The report says the changes are {p} {s}."
    return f'The report uses the words "{p}" about {s}.'


_CANCER_WORDS = re.compile(r"(?i)malignan|\bcancer|carcinoma|\bmelanoma\b|\bneoplasia\b")


def diagnosis_point(d: Diagnosis, with_plain: bool = True) -> str:
    parts = [certainty_sentence(d)]
    if d.certainty.family in MEANING:
        parts.append(MEANING[d.certainty.family].format(s=nice(d.surface)))
    if d.certainty.family == "negative" and _CANCER_WORDS.search(d.surface):
        parts.append(f"In plain words: no {'melanoma' if 'melanoma' in d.surface.lower() else 'cancer'} was seen "
                     "in this sample.")
    dx = by_name(d.name)
    if with_plain and dx and dx.plain and d.certainty.level in ("definite", "probable"):
        parts.append(dx.plain)
    return " ".join(parts)


def margin_point(m: Margin) -> str:
    """The report's words for the margin ("Margin (deep): clear, 1.5 mm") and what they mean in plain words."""
    sides = f" ({', '.join(m.sides)})" if m.sides else ""
    dist = f", {m.distance}" if m.distance else ""
    edge = _edges_of([m]) or "the cut edge"
    if m.status == "distance only":
        return (f"Distance to the margin{sides}: {m.distance}. The nearest abnormal cells are {m.distance} from "
                f"{edge} of the removed skin.")
    meaning = MARGIN_MEANING[m.status]
    if m.status == "clear":
        verb = "are" if edge.endswith("edges") else "is"
        plain = f"{edge[0].upper() + edge[1:]} {verb} clear" + (
            f": the nearest abnormal cells are {m.distance} away." if m.distance else ".")
    elif m.status == "close":
        plain = f"Abnormal cells come close to {edge}" + (f" ({m.distance})." if m.distance else ".")
    elif m.status == "involved":  # the meaning names the edge itself
        plain, meaning = "", (f"This means abnormal cells reach {edge}, so not all of the growth was "
                                f"removed and some may still be in the skin.")
    else:
        plain = ""
    return " ".join(x for x in (f"Margin{sides}: {m.status}{dist}.", plain, meaning) if x)


def grade_point(g: str) -> str:
    if "differentiated" in g.lower():
        return f"Grade: {g}. This tells how much the cells still look like normal skin cells."
    return f"Grade: {g}. The grade tells how unusual the cells look under the microscope."


def plain_where(sf: SpecimenFindings) -> str | None:
    """The sample's site in plain words with the report's words beside it (knowledge_base/lexicon/sites.yaml)."""
    from .sites import plain_site

    return plain_site(sf.site, sf.laterality)


def specimen_title(sf: SpecimenFindings) -> str:
    bits = [b for b in (plain_where(sf), sf.procedure_words or sf.procedure) if b]
    return f"Sample {sf.label}" + (f": {', '.join(bits)}" if bits else "")


def specimen_points(sf: SpecimenFindings) -> list[str]:
    out, seen, explained = [], set(), set()
    # "Melanoma arising in a naevus": the naevus is background, so it is not called harmless next to a cancer.
    if any(d.category == "malignant" and d.certainty.level == "definite" for d in sf.diagnoses):
        explained |= {d.name for d in sf.diagnoses if d.category == "benign"}
    for d in sf.diagnoses:
        key = (d.name, d.certainty.family, d.certainty.phrase.lower())
        if key in seen or d.certainty.level == "mentioned":
            continue
        seen.add(key)
        out.append(diagnosis_point(d, with_plain=d.name not in explained))
        explained.add(d.name)
    if not sf.diagnoses and re.search(r"immunofluorescence|\bDIF\b|\bIg[AGM]\b|\bC3\b|\bstain", sf.report_words, re.I):
        out.append("This sample was used for a special test. Its result is under Other results below.")
    elif not sf.report_words.strip():
        out.append("The report gives no separate diagnosis line for this sample. See the other results and notes "
                   "below.")
    elif not sf.diagnoses:
        out.append("dermassist did not recognise a diagnosis in these words, so they are shown exactly as written. "
                   "Ask your doctor to explain them.")
    out += [grade_point(g) for g in sf.grades]
    out += [margin_point(m) for m in sf.margins]
    return out


def _generic(d: Diagnosis) -> bool:
    dx = by_name(d.name)
    return bool(dx and dx.generic)


def main_diagnosis(sf: SpecimenFindings) -> Diagnosis | None:
    """The finding a summary leads with: a named disease before a reaction pattern, the most serious first."""
    ranked = [d for d in sf.diagnoses if d.certainty.level in ("definite", "probable")]
    if ranked:
        return min(ranked, key=lambda d: (_generic(d), _SEVERITY.index(d.category), sf.diagnoses.index(d)))
    rest = [d for d in sf.diagnoses if d.certainty.level != "mentioned"]
    return rest[0] if rest else None


_BCC_WORD = (r"(micronodular|infiltrat(?:ive|ing)|morph(?:o)?eic|morph(?:o)?ea-?form|sclerosing|basosquamous|metatypical|"
             r"superficial(?:\s+multifocal)?|nodular)")
_BCC_TYPE = re.compile(r"(?i)\b" + _BCC_WORD + r"\b")
# in the diagnosis words the pattern must be said of the tumour: "micronodular basal cell carcinoma", "BCC, nodular
# type", "infiltrative pattern" (not "extending to the superficial margin")
_BCC_TYPE_SAID = re.compile(r"(?i)\b" + _BCC_WORD + r"\s+(?:(?:and\s+\w+\s+)?(?:type\s+|pattern\s+)?(?:basal\s+cell\s+"
                            r"carcinoma|BCC)|(?:sub)?type|pattern)\b")


def _bcc_type(d: Diagnosis, sf: SpecimenFindings, f: ReportFindings) -> str:
    """", micronodular type, one of the higher-risk types" for a basal cell carcinoma whose diagnosis words or synoptic
    subtype name its growth pattern (said within the main-finding sentence); "" otherwise."""
    if d.name != "basal cell carcinoma":
        return ""
    m = _BCC_TYPE_SAID.search(sf.report_words) or _BCC_TYPE.search(" ".join(i.value for i in f.synoptic
                                                                              if i.key == "subtype"))
    if not m:
        return ""
    risk = "one of the higher-risk types" if HIGHER_RISK_BCC.search(m.group(1)) else "one of the lower-risk types"
    return f", {m.group(1).lower()} type, {risk}"


def _count(n: int) -> str:
    return {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def summary(f: ReportFindings) -> str:
    """3-5 short sentences: what was looked at, the main finding(s) with their certainty, margins, next."""
    specs = f.specimens
    n = len(specs)
    first = f"The lab looked at {_count(n)} skin sample{'s' if n != 1 else ''} under a microscope."
    if n == 1 and specs[0].site:
        first = f"The lab looked at one skin sample from the {plain_where(specs[0])} under a microscope."
    sents = [first]
    mains = [(sf, main_diagnosis(sf)) for sf in specs]
    for sf, d in mains[:2]:
        lead = f"Sample {sf.label}: " if n > 1 else ""
        if d is None and not sf.report_words.strip():
            continue
        if d is None:
            sents.append(f"{lead}The report's words for this sample are shown below.".replace(": The", ": the"))
        elif d.certainty.family == "plain":
            name = nice(d.surface) if len(d.surface) <= 40 else d.name
            sents.append(f"{lead}The main finding is {name}{_bcc_type(d, sf, f)}.".replace(": The", ": the"))
        else:
            s = certainty_sentence(d)
            sents.append(f"{lead}{s[0].lower() + s[1:]}" if lead else s)
    if n > 2:
        sents.append("The other sample is described below." if n == 3 else "The other samples are described below.")
    syn = {i.key: i.value.split(";")[0].rstrip(". ") for i in f.synoptic}
    for key in ("breslow", "thickness"):  # "Not applicable (in situ)" is no thickness to lead with
        if key in syn and not re.search(r"\d", syn[key]):
            del syn[key]
    melanoma_facts = [f"the Breslow thickness is {syn['breslow']}" if "breslow" in syn else
                      f"the tumour thickness is {syn['thickness']}" if "thickness" in syn else "",
                      f"the stage is {syn['pt_stage']}" if "pt_stage" in syn else ""]
    if "ulceration" in syn:
        ulcer = value_meaning(SynopticItem(key="ulceration", label="Ulceration", value=syn["ulceration"]))
        melanoma_facts.insert(1, "ulceration was not seen" if ulcer.startswith("No ") else
                              "ulceration was seen" if ulcer else "")
    if any(melanoma_facts):
        facts = [x for x in melanoma_facts if x]
        s = ", ".join(facts[:-1]) + " and " + facts[-1] if len(facts) > 1 else facts[0]
        sents.append(f"The report says {s}.")
    # A serious possibility the report raises is said next, then margins, then what the main finding is.
    for sf, d in mains[:2]:
        for x in sf.diagnoses:
            if x is not d and x.category == "malignant" and x.certainty.level == "possible":
                s = certainty_sentence(x)
                sents.append(f"Sample {sf.label}: {s[0].lower() + s[1:]}" if n > 1 else s)
                break
    extra = [g for g in grouped([d for d in f.other_diagnoses if d.certainty.level != "mentioned"])
             if g[0].source == "addendum" or g[0].certainty.family in ("differential", "possible", "fits", "favour")]
    if extra and (not any(d for _, d in mains) or all(_generic(d) for _, d in mains if d)):
        sents.append(_sourced(extra[0]))
    top = [(sf, d) for sf, d in mains if d is not None]
    if n <= 2 and top:
        sf, d = min(top, key=lambda x: (_generic(x[1]), _SEVERITY.index(x[1].category)))
        status = {m.status for m in sf.margins}
        if d.category in ("malignant", "premalignant", "uncertain") or d.name == "dysplastic naevus":
            if "involved" in status:
                edges = _edges_of(m for m in sf.margins if m.status == "involved")
                sents.append(f"The report says abnormal cells reach {edges or 'a cut edge'} of the sample, so some "
                             "may be left behind.")
            elif "close" in status:
                sents.append("The report says the abnormal cells come close to a cut edge" + _distances(sf.margins))
            elif "clear" in status:
                sents.append("The report says the margins are clear" + _distances(sf.margins))
        dx = by_name(d.name)
        if dx and dx.plain and d.certainty.level in ("definite", "probable"):
            sents.append(dx.plain.split(". ")[0].rstrip(".") + ".")
    malignant = any(d is not None and d.category == "malignant" and d.certainty.level in ("definite", "probable")
                    for _, d in mains)
    sents = sents[:4]
    sents.append("Your doctor will explain what this means for you and what happens next." if malignant else
                 "Your doctor will explain what this means for you.")
    return " ".join(sents)


def _distances(margins: list[Margin]) -> str:
    """": the nearest abnormal cells are 2 mm from the side edges and 1.5 mm from the deep (bottom) edge." or "."."""
    parts = list(dict.fromkeys(f"{m.distance} from {_edges_of([m]) or 'the nearest edge'}" for m in margins
                               if m.distance and m.status in ("clear", "close", "distance only")))
    return f": the nearest abnormal cells are {_join(parts[:3])}." if parts else "."


def tested_lines(f: ReportFindings) -> list[str]:
    out = []
    for sf in f.specimens:
        where = f"skin from the {plain_where(sf)}" if sf.site else "a skin sample"
        how = f", taken by {sf.procedure_words}" if sf.procedure_words else ""
        if sf.procedure_words and sf.procedure and sf.procedure.split()[0] not in sf.procedure_words.lower():
            how += f" ({sf.procedure})"
        size = f", measuring {sf.size}" if sf.size else ""
        out.append(f"Sample {sf.label}: {where}{how}{size}.")
    extra = list(dict.fromkeys(s.stain for s in f.stains))
    if extra:
        out.append(f"Extra stains or markers: {', '.join(extra)}.")
    if f.dif:
        out.append("Direct immunofluorescence (DIF): a test that looks for antibodies and immune proteins in the skin.")
    out.append("A pathologist looked at thin slices of the sample under a microscope.")
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


# What a special stain looks for: (meaning when negative, meaning when positive)
_FUNGAL = ("no fungal infection was seen on this stain", "fungus was seen on this stain")
_MYCO = ("no tuberculosis-type bacteria were seen on this stain", "bacteria of the tuberculosis type were seen on this stain")
_ORGANISM_WORDS = re.compile(r"(?i)fung|hyph|yeast|spore|dermatophyt|candida|tinea|organism|mycobacter|acid[- ]fast|"
                             r"\bAFB\b|bacill|bacteri|microorganism")
_STAIN_TARGET = {"PAS": _FUNGAL, "PASD": _FUNGAL, "GMS": _FUNGAL, "GROCOTT": _FUNGAL,
                 "ZN": _MYCO, "ZIEHL": _MYCO, "FITE": _MYCO, "AFB": _MYCO,
                 "GRAM": ("no bacteria were seen on this stain", "bacteria were seen on this stain")}


def other_points(f: ReportFindings, with_synoptic: bool = True) -> list[str]:
    melanoma = is_melanoma(f)
    out = [synoptic_point(i, melanoma) for i in f.synoptic] if with_synoptic else []
    seen = set()
    for s in f.stains:
        if s.text in seen:
            continue
        seen.add(s.text)
        names = ", ".join(dict.fromkeys(x.stain for x in f.stains if x.text == s.text))
        gloss = {"negative": "The stain did not show what it was looking for.",
                 "positive": "The stain showed what it was looking for."}.get(s.result, "")
        target = _STAIN_TARGET.get(re.split(r"[-\s]", s.stain.upper())[0].replace("'S", ""))
        # only where the report's sentence says what was looked for (PAS also shows basement membranes)
        if target and s.result in ("negative", "positive") and _ORGANISM_WORDS.search(s.text):
            gloss += f" This means {target[s.result == 'positive']}."
        out.append(f"Stain ({names}): the report says \"{_flat(s.text)}\". {gloss}".strip())
    for d in f.dif:
        out.append(f"Direct immunofluorescence: the report says \"{_flat(d.text)}\".")
    for group in grouped([d for d in f.other_diagnoses if d.certainty.level != "mentioned"]):
        out.append(_sourced(group) + (" " + MEANING[group[0].certainty.family].format(
            s=_join([nice(d.surface) for d in group])) if group[0].certainty.family in MEANING else ""))
    return out


def _sourced(group: list[Diagnosis]) -> str:
    where = {"comment": "In its comment, ", "addendum": "In an addendum, "}.get(group[0].source, "")
    s = group_sentence(group)
    return where + s[0].lower() + s[1:] if where else s


def quotes(f: ReportFindings) -> list[str]:
    out = []
    if f.comment:
        out.append(f"The pathologist's comment: \"{_flat(f.comment)}\"")
    if f.addendum:
        out.append(f"Addendum (added to the report later): \"{_flat(f.addendum)}\"")
    return out
