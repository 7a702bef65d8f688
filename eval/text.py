"""Small text helpers shared by the evaluators: sentences, content words, numbers, negation, drug names."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.text.sentences import split_fine_clauses, split_sentences
from assistant.text.stopwords import STOP_WORDS, WEAK_WORDS
from assistant.text.citations import markers_outside, split_on_markers, strip_markers

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?(?:'[a-z]+)?")

# the claim checks keep "but" (a contrast between two facts) and "us" as words of their own
STOPWORDS = (STOP_WORDS | WEAK_WORDS) - {"but", "us"}
NEGATIONS = frozenset({"not", "no", "never", "cannot", "none", "nor", "neither", "nothing", "nobody"})
NUMBER_WORDS = {
    "zero": "0", "one": "1", "once": "1", "single": "1", "two": "2", "twice": "2", "three": "3", "thrice": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "fifty": "50", "hundred": "100",
    "half": "0.5", "quarter": "0.25",
}
# Medicines (and classes) named in the knowledge base; used to count drug names an answer adds on its own.
DRUG_WORDS = frozenset("""
abrocitinib acitretin adalimumab alitretinoin amoxicillin antihistamine antihistamines apremilast azathioprine
azelaic baricitinib benzoyl bimekizumab brodalumab calcipotriol ciclosporin cyclosporine certolizumab cetirizine
clindamycin clobetasol colchicine crisaborole cyclophosphamide dapsone delgocitinib deucravacitinib dexamethasone
doxycycline dupilumab erythromycin etanercept fexofenadine flucloxacillin fluconazole golimumab guselkumab
hydrocortisone hydroxychloroquine ibuprofen infliximab isotretinoin ivermectin ixekizumab ketoconazole
lebrikizumab lymecycline loratadine mepolizumab methotrexate methylprednisolone metronidazole minocycline
mometasone mycophenolate nemolizumab omalizumab paracetamol penicillin pimecrolimus prednisolone prednisone
risankizumab rituximab roflumilast ruxolitinib secukinumab spesolimab spironolactone tacrolimus tapinarof
terbinafine tetracycline tildrakizumab tralokinumab tretinoin trimethoprim upadacitinib ustekinumab valaciclovir
aciclovir acyclovir adapalene trifarotene clascoterone
""".split())


CONDITIONS = {
    "atopic dermatitis": ["atopic dermatitis", "atopic eczema", "eczema"],
    "psoriasis": ["psoriasis", "psoriatic"], "rosacea": ["rosacea"], "acne": ["acne"],
    "hidradenitis suppurativa": ["hidradenitis suppurativa", "hidradenitis", "acne inversa"],
    "vitiligo": ["vitiligo"], "lupus": ["lupus", "discoid lupus"], "urticaria": ["urticaria", "hives", "angioedema"],
    "pemphigus": ["pemphigus"], "pemphigoid": ["pemphigoid"], "lichen planus": ["lichen planus"],
    "lichen sclerosus": ["lichen sclerosus"], "morphea": ["morphea", "morphoea", "scleroderma", "systemic sclerosis"],
    "dermatomyositis": ["dermatomyositis"], "vasculitis": ["vasculitis"], "prurigo nodularis": ["prurigo"],
    "seborrheic dermatitis": ["seborrheic dermatitis", "seborrhoeic dermatitis", "dandruff", "cradle cap"],
    "contact dermatitis": ["contact dermatitis"], "alopecia areata": ["alopecia"], "melanoma": ["melanoma"],
    "basal cell carcinoma": ["basal cell carcinoma"], "squamous cell carcinoma": ["squamous cell carcinoma"],
    "topical corticosteroids": ["topical corticosteroid", "topical corticosteroids", "steroid cream",
                                "steroid creams", "topical steroid", "topical steroids"],
    "calcineurin inhibitors": ["calcineurin inhibitor", "calcineurin inhibitors"],
    "phototherapy": ["phototherapy", "narrowband uvb", "light treatment"],
}
_SUBJECT_PHRASES = sorted(((p, c) for c, ps in CONDITIONS.items() for p in ps), key=lambda pc: -len(pc[0]))
_SUBJECT_ABBREVIATIONS = {"AD": "atopic dermatitis", "HS": "hidradenitis suppurativa", "SLE": "lupus",
                          "DLE": "lupus", "TCS": "topical corticosteroids", "TCIs?": "calcineurin inhibitors",
                          "MTX": "methotrexate", "BP": "pemphigoid", "PV": "pemphigus", "CSU": "urticaria",
                          "NB-?UVB": "phototherapy", "UVB": "phototherapy"}
_SUBJECT_ALIASES = {"tacrolimus": "calcineurin inhibitors", "pimecrolimus": "calcineurin inhibitors",
                    "cyclosporine": "ciclosporin", "prednisone": "prednisolone"}


# Words that name what a fact is about rather than what it says: they count less in lexical overlap,
# because a sentence about the same medicine or condition shares them whatever it says.
TOPIC_WORDS = frozenset("""
inhibitor inhibitors il jak tnf tyk2 biologic biologics steroid steroids cream creams ointment ointments tablet
tablets injection injections medicine medicines treatment treatments skin type types condition rash
""".split())


def strip_citations(text: str) -> str:
    """Remove citation markers such as ``[1]``."""
    return strip_markers(text)


def sentences(text: str) -> list[str]:
    """Answer text split into sentences (a citation marker also ends one; markers are removed); bullets and
    lines are sentences too."""
    return list(_sentences(text or ""))


@lru_cache(maxsize=65536)
def _sentences(text: str) -> tuple[str, ...]:
    out = []
    text = markers_outside(text)  # "contagious [1]. Next" -> "contagious. [1] Next"
    for piece in split_on_markers(text):
        out += [s for s in split_sentences(piece) if re.search(r"[A-Za-z0-9]", s)]
    return tuple(out)


def tokens(text: str) -> list[str]:
    return list(_tokens(text or ""))


@lru_cache(maxsize=262144)
def _tokens(text: str) -> tuple[str, ...]:
    text = text.lower().replace("\u2019", "'").replace("n't", " not")
    return tuple(_TOKEN.findall(text))


def stem(word: str) -> str:
    """A light, deterministic stemmer: enough to match moisturise/moisturiser/moisturising, flare/flares."""
    w = word.replace("iz", "is").replace("our", "or") if not word.isdigit() else word
    for suffix in ("ingly", "ically", "ation", "ness", "ment", "ing", "ers", "er", "ied", "ies", "ed", "es", "ly",
                   "s", "e", "y"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def normalise_number(tok: str) -> str | None:
    if tok in NUMBER_WORDS:
        return NUMBER_WORDS[tok]
    if re.fullmatch(r"\d+(\.\d+)?", tok):
        return tok.rstrip("0").rstrip(".") if "." in tok else tok
    return None


def numbers(text: str) -> set[str]:
    """Numbers written as digits or words (once, twice, ten...), normalised to digits."""
    return set(_numbers(text or ""))


@lru_cache(maxsize=131072)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(n for n in (normalise_number(t) for t in tokens(text)) if n is not None)


def content_stems(text: str) -> list[str]:
    """Stemmed content words (stop words and negation words removed; numbers kept as digits)."""
    return list(_content_stems(text or ""))


@lru_cache(maxsize=262144)
def _content_stems(text: str) -> tuple[str, ...]:
    out = []
    for t in tokens(text):
        if t in NEGATIONS or t in STOPWORDS:
            continue
        n = normalise_number(t)
        out.append(n if n is not None else stem(t))
    return tuple(out)


def clauses(text: str) -> list[str]:
    parts = split_fine_clauses(strip_citations(text))
    return parts or [text]


def negated(text: str) -> bool:
    """Whether a clause contains a negation word (not, no, never, cannot, n't...)."""
    return any(t in NEGATIONS for t in tokens(text))


def subjects(text: str) -> set[str]:
    """Conditions and medicines named in the text, as canonical names (eczema and AD -> atopic dermatitis)."""
    return set(_subjects(text or ""))


@lru_cache(maxsize=131072)
def _subjects(text: str) -> frozenset[str]:
    low = " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower()) + " "
    found = set()
    for phrase, canon in _SUBJECT_PHRASES:  # longest first; "contact dermatitis" is not "atopic dermatitis"
        if f" {phrase} " in low:
            found.add(canon)
            low = low.replace(f" {phrase} ", " ")
    found |= {_SUBJECT_ALIASES.get(t, t) for t in tokens(text) if t in DRUG_WORDS}
    for abbr, canon in _SUBJECT_ABBREVIATIONS.items():
        if re.search(rf"\b{abbr}\b", text or ""):
            found.add(canon)
    return frozenset(found)


def drug_names(text: str) -> set[str]:
    return {t for t in tokens(text) if t in DRUG_WORDS}


def topic_stems(text: str) -> set[str]:
    """Stems of the words in ``text`` that name conditions, medicines or medicine classes."""
    return set(_topic_stems(text or ""))


@lru_cache(maxsize=131072)
def _topic_stems(text: str) -> frozenset[str]:
    low = " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower()) + " "
    out: set[str] = set()
    for phrase, _ in _SUBJECT_PHRASES:
        if f" {phrase} " in low:
            out.update(content_stems(phrase))
    for t in tokens(text):
        if t in DRUG_WORDS or t in TOPIC_WORDS:
            out.add(stem(t))
    for abbr in _SUBJECT_ABBREVIATIONS:
        for m in re.finditer(rf"\b{abbr}\b", text or ""):
            out.add(stem(m.group(0).lower()))
    return frozenset(out)
