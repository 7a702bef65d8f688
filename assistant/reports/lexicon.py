"""Diagnoses a skin pathology report can name: how they are written, their category, a plain one-line
meaning, and which knowledge-base sections explain what may happen next.

The plain meanings are short on purpose (reading grade 8 or lower); the knowledge base holds the detail.
``guides`` entries are ``(document id, words in a ## heading)``: headings are matched loosely, so an edited
document still works, and a missing document or heading is simply skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

Category = Literal["malignant", "premalignant", "benign", "inflammatory", "infection", "uncertain"]
NV = r"n(?:a)?ev(?:us|i)"  # naevus / nevus / naevi / nevi


class Dx(BaseModel):
    model_config = {"frozen": True}
    name: str
    pattern: str
    category: Category
    plain: str = ""
    guides: tuple[tuple[str, str], ...] = ()
    condition_doc: str | None = None  # a condition document with "Questions to ask your doctor"
    in_situ: bool = False
    generic: bool = False  # a reaction pattern or umbrella word, not one disease


def _d(name, pattern, category, plain="", guides=(), condition_doc=None, in_situ=False) -> Dx:
    return Dx(name=name, pattern=pattern, category=category, plain=plain, guides=tuple(guides),
              condition_doc=condition_doc, in_situ=in_situ, generic=name in GENERIC)


GENERIC = {"psoriasiform dermatitis", "spongiotic dermatitis", "interface dermatitis", "subepidermal blistering",
           "intraepidermal blistering", "granulomatous dermatitis", "malignancy", "folliculitis", "fungal organisms", "atypical melanocytic proliferation"}


# Order matters only for equal-length matches; longer matches win.
DIAGNOSES: list[Dx] = [
    # ---- malignant
    _d("melanoma in situ", r"(?:malignant\s+)?melanoma,?\s+in[\s-]+situ|lentigo\s+maligna(?!\s+melanoma)|"
       r"in[\s-]+situ\s+melanoma", "malignant",
       "Melanoma in situ is an early melanoma. The melanoma cells are only in the top layer of skin.",
       [("melanoma-reports", "Melanoma in situ"), ("melanoma-reports", "Margins and wider excision")], in_situ=True),
    _d("melanoma", r"(?:invasive\s+|malignant\s+)?(?:superficial\s+spreading\s+|nodular\s+|lentigo\s+maligna\s+|"
       r"acral\s+lentiginous\s+|desmoplastic\s+|amelanotic\s+)?melanoma(?!\s*,?\s+in[\s-]+situ)", "malignant",
       "Melanoma is a type of skin cancer that starts in the pigment cells of the skin.",
       [("melanoma-reports", "Margins and wider excision"), ("melanoma-reports", "Sentinel lymph node"),
        ("melanoma-reports", "pT stage")]),
    _d("basal cell carcinoma", r"basal\s+cell\s+(?:carcinoma|epithelioma)|(?-i:BCC)|rodent\s+ulcer", "malignant",
       "Basal cell carcinoma (BCC) is the most common type of skin cancer. It grows slowly and very rarely "
       "spreads.",
       [("basal-cell-carcinoma", "Treatment after"), ("basal-cell-carcinoma", "Living with")]),
    _d("squamous cell carcinoma in situ", r"squamous\s+cell\s+carcinoma,?\s+in[\s-]+situ|(?-i:SCC)\s+in[\s-]+situ|"
       r"bowen(?:'s|s)?\s+disease|intra-?epidermal\s+(?:squamous\s+)?carcinoma|carcinoma\s+in\s+situ",
       "malignant", "SCC in situ is an early skin cancer. The cells are only in the top layer of skin.",
       [("squamous-cell-carcinoma", "SCC in situ"), ("squamous-cell-carcinoma", "What happens next")],
       in_situ=True),
    _d("squamous cell carcinoma", r"(?:invasive\s+)?(?:(?:well|moderately|poorly)[\s-]+differentiated\s+)?"
       r"(?:keratini[sz]ing\s+)?squamous\s+cell\s+carcinoma(?!,?\s+in[\s-]+situ)|(?-i:c?SCC)(?!\s+in[\s-]+situ)",
       "malignant", "Squamous cell carcinoma (SCC) is a common type of skin cancer. It starts in the flat cells "
       "of the top layer of skin.",
       [("squamous-cell-carcinoma", "What happens next"), ("squamous-cell-carcinoma", "Margins in an SCC")]),
    _d("keratoacanthoma", r"keratoacanthoma", "malignant",
       "A keratoacanthoma is a fast-growing lump. Under the microscope it looks like a skin cancer, so doctors "
       "usually remove it.", [("squamous-cell-carcinoma", "Keratoacanthoma")]),
    _d("merkel cell carcinoma", r"merkel\s+cell\s+carcinoma", "malignant",
       "Merkel cell carcinoma is a rare type of skin cancer."),
    _d("dermatofibrosarcoma protuberans", r"dermatofibrosarcoma(?:\s+protuberans)?|(?-i:DFSP)", "malignant",
       "Dermatofibrosarcoma protuberans is a rare skin cancer that grows slowly in the deeper skin."),
    _d("atypical fibroxanthoma", r"atypical\s+fibroxanthoma", "malignant",
       "Atypical fibroxanthoma is an uncommon skin tumour, usually on sun-damaged skin."),
    _d("kaposi sarcoma", r"kaposi(?:'s)?\s+sarcoma", "malignant", "Kaposi sarcoma is a rare cancer of blood vessel cells."),
    _d("mycosis fungoides", r"mycosis\s+fungoides|cutaneous\s+t-cell\s+lymphoma", "malignant",
       "Mycosis fungoides is a rare, usually slow type of lymphoma that shows in the skin."),
    _d("malignancy", r"malignancy|malignant\s+(?:neoplasm|tumou?r|cells)|invasive\s+carcinoma", "malignant"),
    # ---- premalignant / uncertain
    _d("actinic keratosis", r"(?:hypertrophic\s+|bowenoid\s+|lichenoid\s+|pigmented\s+|atrophic\s+)?"
       r"(?:actinic|solar)\s+keratos[ie]s", "premalignant",
       "An actinic keratosis is a rough, scaly patch caused by years of sun. A small number can turn into a "
       "skin cancer.", [("actinic-keratosis", "Treatment for actinic"), ("actinic-keratosis", "Protecting your skin")]),
    _d("atypical melanocytic proliferation", r"atypical\s+(?:intraepidermal\s+|junctional\s+|lentiginous\s+)?"
       r"melanocytic\s+(?:proliferation|hyperplasia|lesion)|melanocytic\s+lesion\s+of\s+uncertain\s+"
       r"(?:malignant\s+)?potential|(?-i:MELTUMP)", "uncertain",
       "An atypical melanocytic proliferation means pigment cells look unusual, but the sample does not give a "
       "clear answer.", [("certainty-words-in-reports", "Suggestive of")]),
    _d("dysplastic naevus", rf"(?:dysplastic|atypical|clark(?:'s)?)\s+(?:compound\s+|junctional\s+|lentiginous\s+)?"
       rf"{NV}|(?:compound\s+|junctional\s+|lentiginous\s+|melanocytic\s+)?{NV}\s+with\s+(?:[\w-]+\s+){{0,6}}"
       r"(?:atypia|dysplasia)", "benign",
       "A dysplastic naevus is a mole that looks unusual under the microscope. It is a mole, not a cancer.",
       [("atypical-naevi", "Margins and re-excision"), ("atypical-naevi", "Living with atypical")]),
    # ---- benign
    _d("seborrhoeic keratosis", r"(?:irritated\s+|inflamed\s+|pigmented\s+|clonal\s+)?seborrh(?:o)?eic\s+keratos[ie]s|"
       r"dermatosis\s+papulosa\s+nigra", "benign",
       "A seborrhoeic keratosis is a very common, harmless skin growth. It does not turn into cancer.",
       [("benign-skin-lesions", "Seborrhoeic keratosis words"), ("benign-skin-lesions", "When to get a spot")]),
    _d("dermatofibroma", r"dermatofibroma|benign\s+fibrous\s+histiocytoma", "benign",
       "A dermatofibroma is a common, harmless firm bump in the skin.",
       [("benign-skin-lesions", "Dermatofibroma")]),
    _d("epidermoid cyst", r"epiderm(?:oid|al)\s+(?:inclusion\s+)?cyst|infundibular\s+cyst", "benign",
       "An epidermoid cyst is a harmless sac under the skin filled with keratin.",
       [("benign-skin-lesions", "Epidermoid cyst")]),
    _d("pilar cyst", r"pilar\s+cyst|trichilemmal\s+cyst", "benign", "A pilar cyst is a harmless cyst, usually on the scalp.",
       [("benign-skin-lesions", "Pilar cyst")]),
    _d("benign naevus", rf"(?:benign\s+)?(?:compound|intradermal|dermal|junctional|melanocytic|congenital|blue)\s+"
       rf"(?:melanocytic\s+)?{NV}|benign\s+{NV}", "benign",
       "A naevus is the medical word for a mole. This type is a common, harmless mole.",
       [("benign-skin-lesions", "When to get a spot")]),
    _d("solar lentigo", r"solar\s+lentig(?:o|ines)|lentigo\s+simplex", "benign", "A solar lentigo is a flat brown sun spot."),
    _d("haemangioma", r"(?:cherry\s+)?ha?emangioma|angioma", "benign", "A haemangioma is a harmless growth of small blood vessels."),
    _d("skin tag", r"fibroepithelial\s+polyp|acrochordon|skin\s+tag", "benign", "A skin tag is a small, harmless flap of skin."),
    _d("viral wart", r"verruca(?:\s+vulgaris)?|viral\s+wart|condyloma", "infection",
       "A wart is a harmless growth caused by a common virus."),
    # ---- inflammatory
    _d("psoriasis", r"psoriasis(?!form)", "inflammatory",
       "Psoriasis is a long-lasting skin condition that causes thick, scaly patches. It is not contagious.",
       [("psoriasis", "Treatment")], "psoriasis"),
    _d("psoriasiform dermatitis", r"psoriasiform\s+(?:dermatitis|hyperplasia|pattern)", "inflammatory",
       "A psoriasiform pattern means the top layer of skin is thickened in an even way. Several rashes can do this.",
       [("inflammatory-patterns", "Psoriasiform pattern")]),
    _d("spongiotic dermatitis", r"(?:sub)?acute\s+spongiotic\s+dermatitis|(?:chronic\s+)?spongiotic\s+"
       r"(?:dermatitis|pattern|reaction)|eczematous\s+dermatitis", "inflammatory",
       "Spongiotic dermatitis means fluid has built up between the cells of the top layer of skin. This pattern "
       "is seen in eczema-type rashes.", [("inflammatory-patterns", "Spongiotic pattern")]),
    _d("atopic dermatitis", r"atopic\s+(?:dermatitis|eczema)|\beczema\b", "inflammatory",
       "Eczema (atopic dermatitis) is a common condition that makes skin dry, itchy and inflamed.",
       [("atopic-dermatitis", "Treatment")], "atopic-dermatitis"),
    _d("contact dermatitis", r"(?:allergic\s+|irritant\s+)?contact\s+dermatitis", "inflammatory",
       "Contact dermatitis is a rash caused by something that touched the skin.",
       [("contact-dermatitis", "Treatment")], "contact-dermatitis"),
    _d("seborrhoeic dermatitis", r"seborrh(?:o)?eic\s+dermatitis", "inflammatory",
       "Seborrhoeic dermatitis is a common rash with flaky, greasy scale.", [], "seborrheic-dermatitis"),
    _d("lichen planus", r"lichen\s+planus(?!\s*-?like)|lichen\s+planopilaris|(?-i:LPP)", "inflammatory",
       "Lichen planus is an itchy rash caused by the immune system. It is not contagious.",
       [("lichen-planus", "Treatment")], "lichen-planus"),
    _d("interface dermatitis", r"(?:vacuolar\s+|lichenoid\s+)?interface\s+(?:dermatitis|change|pattern)|"
       r"lichenoid\s+(?:dermatitis|infiltrate|pattern|reaction|tissue\s+reaction)", "inflammatory",
       "An interface pattern means inflammation is at the base of the top layer of skin. Several conditions "
       "can do this.", [("inflammatory-patterns", "Interface and lichenoid")]),
    _d("cutaneous lupus", r"(?:(?:discoid|subacute\s+cutaneous|cutaneous|chronic\s+cutaneous|systemic)\s+)?lupus"
       r"(?:\s+erythematosus)?|(?-i:DLE|SCLE)", "inflammatory",
       "Cutaneous lupus is a condition where the immune system attacks the skin. Sunlight often makes it worse.",
       [("cutaneous-lupus", "Treatment")], "cutaneous-lupus"),
    _d("dermatomyositis", r"dermatomyositis", "inflammatory",
       "Dermatomyositis is a condition that can affect the skin and the muscles.",
       [("dermatomyositis", "Treatment")], "dermatomyositis"),
    _d("bullous pemphigoid", r"bullous\s+pemphigoid|\bpemphigoid\b", "inflammatory",
       "Bullous pemphigoid is a condition that causes large, tense blisters. It is most common in older adults.",
       [("bullous-pemphigoid", "Treatment")], "bullous-pemphigoid"),
    _d("pemphigus", r"pemphigus(?:\s+(?:vulgaris|foliaceus))?", "inflammatory",
       "Pemphigus is a rare condition where skin cells come apart. It causes fragile blisters and sores.",
       [("pemphigus", "Treatment")], "pemphigus"),
    _d("subepidermal blistering", r"sub-?epidermal\s+(?:blister(?:ing)?|bullous|vesicular)(?:\s+(?:dermatitis|"
       r"disorder|process|dermatosis))?", "inflammatory",
       "A subepidermal blister means the split is just under the top layer of skin.",
       [("inflammatory-patterns", "Blisters under the top layer")]),
    _d("intraepidermal blistering", r"(?:intra-?epidermal|suprabasal)\s+(?:acantholytic\s+)?(?:blister(?:ing)?|"
       r"vesicle|bulla|acantholysis)", "inflammatory",
       "An intraepidermal blister means the split is inside the top layer of skin.",
       [("inflammatory-patterns", "Blisters within the top layer")]),
    _d("dermatitis herpetiformis", r"dermatitis\s+herpetiformis", "inflammatory",
       "Dermatitis herpetiformis is an itchy blistering rash linked to gluten."),
    _d("linear IgA disease", r"linear\s+IgA\s+(?:bullous\s+)?(?:disease|dermatosis)", "inflammatory",
       "Linear IgA disease is a rare blistering condition."),
    _d("leukocytoclastic vasculitis", r"(?:small[\s-]+vessel\s+|leu[ck]ocytoclastic\s+|cutaneous\s+|IgA\s+)?"
       r"vasculitis|henoch[\s-]+sch[oö]nlein\s+purpura", "inflammatory",
       "Vasculitis means inflammation of the walls of small blood vessels. In the skin it often causes purple "
       "spots.", [("inflammatory-patterns", "Vasculitis"), ("cutaneous-vasculitis", "Treatment")],
       "cutaneous-vasculitis"),
    _d("morphea", r"morph(?:o)?ea(?![\w-])|localized\s+scleroderma", "inflammatory",
       "Morphea is a condition that makes patches of skin hard and tight.",
       [("inflammatory-patterns", "Sclerosing pattern"), ("morphea-and-systemic-sclerosis", "Treatment")],
       "morphea-and-systemic-sclerosis"),
    _d("systemic sclerosis", r"systemic\s+sclerosis|(?<!localized\s)scleroderma", "inflammatory",
       "Systemic sclerosis is a condition that makes skin hard and can affect organs inside the body.", [],
       "morphea-and-systemic-sclerosis"),
    _d("lichen sclerosus", r"lichen\s+sclerosus(?:\s+et\s+atrophicus)?", "inflammatory",
       "Lichen sclerosus is a long-lasting condition that makes skin thin, white and itchy.",
       [("lichen-sclerosus", "Treatment")], "lichen-sclerosus"),
    _d("alopecia areata", r"alopecia\s+areata", "inflammatory",
       "Alopecia areata is a condition where the immune system attacks hair roots. The roots are not destroyed, "
       "so hair can grow back.", [("inflammatory-patterns", "Hair loss"), ("alopecia-areata", "Treatment")],
       "alopecia-areata"),
    _d("scarring alopecia", r"(?:scarring|cicatricial)\s+alopecia|frontal\s+fibrosing\s+alopecia|folliculitis\s+"
       r"decalvans|(?-i:CCCA)", "inflammatory",
       "Scarring alopecia means inflammation has replaced some hair roots with scar tissue.",
       [("inflammatory-patterns", "Hair loss")]),
    _d("hidradenitis suppurativa", r"hidradenitis(?:\s+suppurativa)?|acne\s+inversa", "inflammatory",
       "Hidradenitis suppurativa (HS) is a long-term condition that causes painful lumps in skin folds.",
       [("hidradenitis-suppurativa", "Treatment")], "hidradenitis-suppurativa"),
    _d("rosacea", r"(?:granulomatous\s+)?rosacea", "inflammatory",
       "Rosacea is a common long-term condition that causes redness and bumps on the face.",
       [("rosacea", "Treatment")], "rosacea"),
    _d("granuloma annulare", r"(?:interstitial\s+)?granuloma\s+annulare", "inflammatory",
       "Granuloma annulare is a harmless rash that often forms rings of small bumps.",
       [("inflammatory-patterns", "Granulomatous pattern")]),
    _d("granulomatous dermatitis", r"granulomatous\s+(?:dermatitis|inflammation|pattern)|"
       r"(?:non-?caseating\s+|necrobiotic\s+|palisading\s+)granulomas?", "inflammatory",
       "A granulomatous pattern means immune cells have gathered into small tight clusters.",
       [("inflammatory-patterns", "Granulomatous pattern")]),
    _d("sarcoidosis", r"sarcoid(?:osis)?", "inflammatory", "Sarcoidosis is a condition where small clusters of immune "
       "cells form in the skin or organs."),
    _d("acne", r"acne(?:\s+vulgaris)?(?!\s+inversa)", "inflammatory", "Acne is a common condition of blocked, "
       "inflamed hair follicles.", [], "acne"),
    _d("folliculitis", r"(?:suppurative\s+|eosinophilic\s+)?folliculitis(?!\s+decalvans)", "inflammatory",
       "Folliculitis means inflamed hair follicles."),
    _d("urticaria", r"urticaria(?:l)?(?:\s+vasculitis)?", "inflammatory", "Urticaria (hives) is an itchy rash of "
       "raised welts.", [], "chronic-urticaria-and-angioedema"),
    _d("erythema multiforme", r"erythema\s+multiforme", "inflammatory", "Erythema multiforme is a rash of target-"
       "like spots, often after an infection."),
    _d("drug eruption", r"(?:fixed\s+|lichenoid\s+)?drug\s+(?:eruption|reaction)", "inflammatory",
       "A drug eruption is a rash caused by a medicine."),
    _d("prurigo nodularis", r"prurigo\s+nodularis|nodular\s+prurigo", "inflammatory",
       "Prurigo nodularis causes very itchy, firm lumps.", [], "prurigo-nodularis"),
    _d("lichen simplex chronicus", r"lichen\s+simplex(?:\s+chronicus)?", "inflammatory",
       "Lichen simplex chronicus is thick skin caused by long-term rubbing or scratching."),
    # ---- infection
    _d("fungal organisms", r"(?:fungal|dermatophyte)\s+(?:hyphae|organisms|elements|spores)|yeast\s+forms|"
       r"(?:fungal\s+)?hyphae", "infection", "Fungal hyphae and spores are parts of a fungus seen under the microscope.",
       [("special-stains-and-immunofluorescence", "PAS stain")]),
    _d("fungal infection", r"(?:superficial\s+)?(?:fungal|dermatophyte)\s+infection|dermatophytosis|tinea(?:\s+(?:corporis|capitis|pedis|cruris|faciei|manuum|unguium|incognito|versicolor))?|onychomycosis|candid(?:a|iasis)", "infection",
       "A fungal infection (tinea) is caused by a fungus. It is treated with antifungal medicine.",
       [("special-stains-and-immunofluorescence", "PAS stain")]),
]

def _compile(pattern: str) -> re.Pattern:
    """Case-insensitive, whole words; abbreviations are written ``(?-i:BCC)`` so they match in capitals only."""
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w])", re.I)


@lru_cache(maxsize=1)
def compiled() -> list[tuple[Dx, re.Pattern]]:
    return [(d, _compile(d.pattern)) for d in DIAGNOSES]


def diagnosis_patterns() -> dict[str, re.Pattern]:
    """name -> compiled pattern (used by the fidelity guard)."""
    return {d.name: rx for d, rx in compiled()}


def by_name(name: str) -> Dx | None:
    return next((d for d in DIAGNOSES if d.name == name), None)


class Mention(BaseModel):
    dx: str
    surface: str
    start: int
    end: int


def find_mentions(text: str) -> list[Mention]:
    """Diagnoses named in ``text``: longest match wins where two overlap."""
    cands = []
    for order, (d, rx) in enumerate(compiled()):
        for m in rx.finditer(text):
            surface = m.group(0).strip()
            if surface:
                start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                cands.append((start, start + len(surface), order, d.name, surface))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    out = []
    for s, e, _, name, surface in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        out.append(Mention(dx=name, surface=surface, start=s, end=e))
    return sorted(out, key=lambda m: m.start)
