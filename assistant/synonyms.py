"""Abbreviations, brand names and lay words -> the terms the knowledge base uses (query expansion)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# Abbreviations and lay words -> the terms the knowledge base uses. Keys match whole words,
# case-insensitively, except the upper-case-only ones in _CASE_SENSITIVE.
SYNONYMS: dict[str, str] = {
    "eczema": "atopic dermatitis", "ad": "atopic dermatitis", "atopic eczema": "atopic dermatitis",
    "hs": "hidradenitis suppurativa", "acne inversa": "hidradenitis suppurativa",
    "pso": "psoriasis", "psa": "psoriatic arthritis", "bcc": "basal cell carcinoma",
    "scc": "squamous cell carcinoma", "ak": "actinic keratosis", "dif": "direct immunofluorescence",
    "mtx": "methotrexate", "tcs": "topical corticosteroids", "steroid cream": "topical corticosteroids",
    "tci": "topical calcineurin inhibitors", "hives": "urticaria", "csu": "chronic spontaneous urticaria",
    "sle": "systemic lupus erythematosus", "dle": "discoid lupus", "ccle": "cutaneous lupus",
    "bp": "bullous pemphigoid", "pv": "pemphigus vulgaris", "lp": "lichen planus", "ls": "lichen sclerosus",
    "aa": "alopecia areata", "nbuvb": "narrowband UVB phototherapy", "uv": "ultraviolet phototherapy",
    "jak": "janus kinase", "ssc": "systemic sclerosis", "scleroderma": "systemic sclerosis morphea",
    "dm": "dermatomyositis", "pn": "prurigo nodularis", "seb derm": "seborrheic dermatitis",
    "dandruff": "seborrheic dermatitis", "cradle cap": "seborrheic dermatitis", "mole": "naevus",
    "moles": "naevi", "nevus": "naevus", "nevi": "naevi", "hcq": "hydroxychloroquine",
    "plaquenil": "hydroxychloroquine", "accutane": "isotretinoin", "roaccutane": "isotretinoin",
    "dupixent": "dupilumab", "humira": "adalimumab", "xolair": "omalizumab", "protopic": "tacrolimus",
    "elidel": "pimecrolimus", "opzelura": "ruxolitinib", "catching": "contagious", "spread to others": "contagious",
    # brand names and short forms patients use -> the medicine's name in the knowledge base
    "tremfya": "guselkumab", "stelara": "ustekinumab", "skyrizi": "risankizumab", "ilumya": "tildrakizumab",
    "ilumetri": "tildrakizumab", "cosentyx": "secukinumab", "taltz": "ixekizumab", "kyntheum": "brodalumab",
    "siliq": "brodalumab", "bimzelx": "bimekizumab", "enbrel": "etanercept", "remicade": "infliximab",
    "cimzia": "certolizumab", "amgevita": "adalimumab", "rinvoq": "upadacitinib", "cibinqo": "abrocitinib",
    "olumiant": "baricitinib", "litfulo": "ritlecitinib", "sotyktu": "deucravacitinib", "adbry": "tralokinumab",
    "adtralza": "tralokinumab", "ebglyss": "lebrikizumab", "nemluvio": "nemolizumab", "eucrisa": "crisaborole",
    "zoryve": "roflumilast", "vtama": "tapinarof", "imuran": "azathioprine", "aza": "azathioprine",
    "cellcept": "mycophenolate", "mmf": "mycophenolate", "myfortic": "mycophenolate", "neoral": "ciclosporin",
    "cyclosporine": "ciclosporin", "cyclosporin": "ciclosporin", "rituxan": "rituximab", "mabthera": "rituximab",
    "otezla": "apremilast", "neotigason": "acitretin", "soriatane": "acitretin",
    "black box": "boxed warning", "box": "boxed warning", "condom": "contraception", "condoms": "contraception",
    "the pill": "contraception", "birth control": "contraception", "zits": "spots acne", "pimple": "spots acne",
    "pimples": "spots acne", "hsp": "IgA vasculitis Henoch-Schonlein purpura",
    "pred": "prednisolone steroid tablets", "prednisone": "prednisolone steroid tablets",
    "jdm": "juvenile dermatomyositis", "mirvaso": "brimonidine", "nizoral": "ketoconazole", "efudix": "fluorouracil",
    "betnovate": "betamethasone topical corticosteroids", "dermovate": "clobetasol topical corticosteroids",
    "eumovate": "topical corticosteroids", "elocon": "mometasone topical corticosteroids",
    "dovobet": "calcipotriol betamethasone", "enstilar": "calcipotriol betamethasone",
    "aveeno": "emollient moisturiser", "epaderm": "emollient moisturiser", "diprobase": "emollient moisturiser",
    "e45": "emollient moisturiser", "cetraben": "emollient moisturiser", "doublebase": "emollient moisturiser",
    "hydromol": "emollient moisturiser", "zeroderm": "emollient moisturiser",
    "suncream": "sunscreen", "sun cream": "sunscreen", "sunblock": "sunscreen", "sun block": "sunscreen",
    "spf": "sunscreen",
    # more brand names and short forms patients use
    "doxy": "doxycycline", "tetralysal": "lymecycline", "differin": "adapalene acne treatments",
    "epiduo": "adapalene benzoyl peroxide acne treatments", "duac": "clindamycin benzoyl peroxide acne treatments",
    "finacea": "azelaic acid", "soolantra": "ivermectin cream", "aldara": "imiquimod",
}
# Medicine names -> the knowledge-base document that covers their class.
DRUG_CLASSES: dict[str, list[str]] = {
    "biologics for eczema and itch": ["dupilumab", "tralokinumab", "lebrikizumab", "nemolizumab"],
    "TNF inhibitors": ["adalimumab", "etanercept", "infliximab", "certolizumab"],
    "IL-17 inhibitors": ["secukinumab", "ixekizumab", "brodalumab", "bimekizumab"],
    "IL-23 and IL-12/23 inhibitors": ["guselkumab", "risankizumab", "tildrakizumab", "ustekinumab"],
    "JAK and TYK2 inhibitors": ["upadacitinib", "abrocitinib", "baricitinib", "ritlecitinib", "deucravacitinib",
                                "tofacitinib"],
    "topical calcineurin inhibitors": ["tacrolimus", "pimecrolimus"],
    "newer topical treatments": ["crisaborole", "roflumilast", "tapinarof", "ruxolitinib"],
    "topical corticosteroids": ["hydrocortisone", "betamethasone", "clobetasol", "mometasone", "fluticasone"],
    "antibiotics for skin disease": ["doxycycline", "lymecycline", "minocycline", "clindamycin", "rifampicin"],
}
for _cls, _names in DRUG_CLASSES.items():
    for _name in _names:
        SYNONYMS.setdefault(_name, _cls)
_CASE_SENSITIVE = {"bp", "pv", "dm", "pn", "ls", "lp", "aa", "ad", "uv"}
LEXICON_FILE = Path("lexicon") / "synonyms.yaml"   # lay words for the knowledge base v2 topics, as data


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """SYNONYMS plus knowledge_base/lexicon/synonyms.yaml (the code table wins where both name a word)."""
    import yaml

    from .config import default_kb_path

    path = default_kb_path() / LEXICON_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    merged = {str(k).lower(): str(v) for k, v in (data or {}).get("synonyms", {}).items()}
    merged.update(SYNONYMS)
    return merged


@lru_cache(maxsize=1)
def _syn_re() -> re.Pattern:
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, table()), key=len, reverse=True)) + r")\b", re.I)


def _synonym_matches(query: str):
    """The abbreviations and lay words of the query that SYNONYMS maps (upper-case-only keys as capitals only)."""
    for m in _syn_re().finditer(query):
        word = m.group(1)
        if word.lower() in _CASE_SENSITIVE and word != word.upper():
            continue
        yield word


def expand_query(query: str) -> str:
    """Append the knowledge base's own terms for abbreviations and lay words found in the query."""
    syn = table()
    extra = [syn[w.lower()] for w in _synonym_matches(query) if syn[w.lower()].lower() not in query.lower()]
    # one more step for a brand that maps to a medicine the knowledge base files under its class
    # ("protopic" -> "tacrolimus" -> "topical calcineurin inhibitors")
    extra += [syn[e.lower()] for e in extra if e.lower() in syn and syn[e.lower()] not in extra
              and syn[e.lower()].lower() not in query.lower()]
    return query if not extra else f"{query} ({'; '.join(dict.fromkeys(extra))})"


def synonym_words(query: str) -> set[str]:
    """The query's words that ``expand_query`` maps to knowledge-base terms ("seb derm", "humira", "mtx")."""
    return {part for w in _synonym_matches(query) for part in w.lower().split()}
