"""What a synoptic item's value means in plain words ("Breslow thickness: 1.4 mm" -> its T group; "Margins: involved"
-> abnormal cells reach the cut edge; "pT2a pN0(sn)" -> thickness, ulceration and lymph nodes), and each item's
one-line gloss. ``assistant.reports.compose`` builds the explanation's sentences from these."""

from __future__ import annotations

import re

from .findings import ReportFindings
from .synoptic import SynopticItem

SYNOPTIC_GLOSS = {
    "breslow": "This is how deep the tumour has grown, measured in millimetres.",
    "thickness": "This is how deep the tumour has grown, measured in millimetres.",
    "ulceration": "This item checks whether the skin over the tumour has broken down.",
    "mitotic_rate": "This counts how many cells are dividing in a small area.",
    "clark_level": "This shows which layer of skin the tumour has reached, from I to V.",
    "lymphovascular_invasion": "This item checks for tumour cells inside small blood or lymph vessels.",
    "perineural_invasion": "This item checks whether tumour cells grow along nerves.",
    "microsatellites": "This item checks for tiny nests of tumour cells near the main tumour.",
    "regression": "This item checks whether the immune system has cleared part of the tumour.",
    "pt_stage": "The pT stage sums up the main tumour in the sample. Your overall stage also depends on other tests.",
    "subtype": "The type describes how the tumour grows.",
    "tils": "This describes immune cells inside the tumour.",
    "margins": "This says whether tumour cells reach the cut edges of the sample.",
    "precursor": "This says whether a mole was seen next to the tumour.",
    "differentiation": "The grade tells how much the cells still look like normal cells.",
    "tumour_size": "This is the size of the tumour.",
    "lesion_size": "This is the size of the spot or growth that was looked at.",
    "specimen_size": "This is the size of the whole piece of skin sent to the lab.",
    "invasion_level": "This says how deep into the skin layers the tumour reaches.",
    "bone_invasion": "This says whether the tumour grew into bone or cartilage.",
    "pn_stage": "This is about the lymph nodes (pN). pNX means no lymph nodes were checked.",
    "risk": "The risk group tells how likely the tumour is to come back after treatment.",
    "excision": "This says whether the whole tumour was removed.",
    "residual": "This says whether any of the tumour was still left in this new piece of skin.",
    "site": "This is where on the body the sample came from.",
    "laterality": "This is the side of the body.",
    "procedure": "This is how the sample was taken.",
    "follicles": "This counts hair roots seen in the sample. Doctors compare it with what is normal for the scalp.",
    "reactant": "This is one of the immune proteins the immunofluorescence test looks for in the skin.",
    "invasion": "This says whether abnormal cells have grown down from the top layer into the deeper skin.",
    "nerve_detail": "This describes the nerve that tumour cells were seen growing along.",
    "nodal_deposit": "This is the size of the largest patch of cancer cells found in a lymph node.",
    "extranodal": "This says whether cancer in a lymph node has grown out through the node's outer wall.",
    "ihc": "This is a special stain (immunohistochemistry) that marks certain kinds of cells, to help name them.",
}


# Basal cell carcinoma growth patterns with a higher risk of coming back (the rest named here are lower-risk)
HIGHER_RISK_BCC = re.compile(r"(?i)infiltrat|morph|micronodular|basosquamous|metatypical|sclerosing")
_NOT_SEEN = re.compile(r"\b(?:not\s+(?:identified|seen|present|detected)|absent|none|no|negative|neg)\b", re.I)
_SEEN = re.compile(r"\b(?:present|identified|seen)\b", re.I)


def value_meaning(item: SynopticItem, melanoma: bool | None = None) -> str:
    """What the value itself means, for the items where the number or the yes/no decides a lot."""
    value = item.value
    if item.key in ("breslow", "thickness"):
        m = re.search(r"(\d+(?:\.\d+)?)\s*mm", value)
        if not m:
            return ""
        mm = float(m.group(1))
        if mm <= 1.0:
            group = "1 mm or less: the thinnest group of melanomas (T1)"
        elif mm <= 2.0:
            group = "more than 1 mm and up to 2 mm (T2)"
        elif mm <= 4.0:
            group = "more than 2 mm and up to 4 mm (T3)"
        else:
            group = "more than 4 mm: the thickest group (T4)"
        return f"{m.group(0)} is {group}. Thinner melanomas usually have a better outlook."
    if item.key in ("ulceration", "lymphovascular_invasion", "perineural_invasion", "microsatellites"):
        what, verb = {"ulceration": ("ulceration", "was"), "lymphovascular_invasion": ("spread of tumour cells into "
                      "small blood or lymph vessels", "was"), "perineural_invasion": ("spread of tumour cells along "
                      "nerves", "was"),
                      "microsatellites": ("microsatellites", "were")}[item.key]
        if _NOT_SEEN.search(value):
            return f"No {what} {verb} seen, which is the better finding."
        if _SEEN.search(value):
            extra = " This puts the stage in the \"b\" group." if item.key == "ulceration" else ""
            return f"{what[0].upper() + what[1:]} {verb} seen.{extra} Your doctor will explain what it means for you."
    if item.key == "subtype" and re.search(r"(?i)basal|\bbcc\b|infiltrat|morph(?:o)?ea|micronodular|basosquamous|"
                                           r"sclerosing", value):
        if HIGHER_RISK_BCC.search(value):
            return ("This growth pattern is one of the higher-risk types: it grows in a less tidy way and is more "
                    "likely to come back after treatment.")
        if re.search(r"(?i)nodular|superficial", value):
            return "This growth pattern is one of the lower-risk types."
    if item.key == "differentiation":
        low = value.lower()
        if "poor" in low or "undifferentiated" in low:
            return "Poorly differentiated means high grade: the cells look very unlike normal skin cells."
        if "moderate" in low:
            return "Moderately differentiated means a middle grade."
        if "well" in low:
            return "Well differentiated means low grade: the cells still look a lot like normal skin cells."
    return _more_meaning(item, melanoma)


def _more_meaning(item: SynopticItem, melanoma: bool | None) -> str:
    """Plain meanings of margin, excision, invasion, lymph node, stage, mitotic rate and stain values."""
    value, key = item.value, item.key
    if key == "excision" and re.search(r"(?i)\bincomplete|\bnot\b", value):
        return "Abnormal cells reach a cut edge, so some of the growth may still be in the skin."
    if key == "excision" and re.search(r"(?i)\bcomplete", value):
        return "The whole growth was removed, as far as the lab could see."
    if key in ("margins", "excision"):
        from .findings import margins_in

        found = margins_in(f"margin {value}")
        if not found:
            return ""
        m = found[0]
        if m.status == "involved":
            return "Abnormal cells reach this cut edge, so some of the growth may still be in the skin."
        if m.status == "close":
            return "Abnormal cells come close to this cut edge" + (f" ({m.distance})." if m.distance else ".")
        if m.status == "clear":
            return "No abnormal cells were seen at this cut edge" + (
                f": the nearest are {m.distance} away." if m.distance else ".")
        if m.status == "distance only":
            return f"The nearest abnormal cells are {m.distance} from this cut edge."
        return ""
    negative = bool(_NOT_SEEN.search(value)) or bool(re.search(r"(?i)\bneg\b", value))
    positive = not negative and bool(re.search(r"(?i)\b(?:present|identified|seen|positive|pos|yes)\b|\d\+", value))
    if key == "invasion":
        if negative:
            return "No invasion was seen: the abnormal cells stay in the top layer of the skin."
        if positive:
            return "The abnormal cells have grown down into the deeper skin."
    if key == "residual":
        if negative:
            return "No tumour was left in this piece of skin."
        if positive:
            return "Some tumour was still in this piece of skin."
    if key == "extranodal":
        if negative:
            return "It was not seen, which is the better finding."
        if positive:
            return "It was seen. Your doctor will explain what it means for you."
    if key in ("reactant", "ihc"):
        if negative:
            return "The result was negative: the stain did not mark the cells or the protein was not found."
        if positive:
            return "The result was positive: the stain marked the cells, or the protein was found in the skin."
    if key == "mitotic_rate":
        m = re.search(r"(<\s*)?(\d+(?:\.\d+)?)", value)
        if negative or (m and (m.group(1) or float(m.group(2)) == 0)):
            return "No or very few dividing cells were seen."
        if m:
            return "Some dividing cells were seen. A higher number means the cells are growing faster."
    if key == "pt_stage" and re.search(r"(?i)\bp?T\s*(?:is|[0-4]).*\bpN\s*[0-3]", value):
        t_part = _more_meaning(SynopticItem(key="pt_stage", label=item.label, value=re.split(r"(?i)\bp?N\s*[0-3X]", value)[0]), melanoma)
        n_part = _more_meaning(SynopticItem(key="pn_stage", label=item.label, value=value), melanoma)
        return " ".join(x for x in (t_part, n_part) if x)
    if key == "pn_stage":
        m = re.search(r"(?i)\bpN\s*([0-3X])", value)
        if m and m.group(1) == "0":
            return "pN0 means no spread was seen in the lymph nodes that were checked."
        if m and m.group(1).upper() != "X":
            return f"pN{m.group(1)} means cancer was found in one or more lymph nodes."
    if key == "pt_stage":
        m = re.search(r"(?i)\bp?T\s*(is|[0-4])\s*([a-d])?", value)
        if not m:
            return ""
        t, sub = m.group(1).lower(), (m.group(2) or "").lower()
        if t == "is":
            return "Tis means in situ: the abnormal cells are only in the top layer of the skin."
        if melanoma:
            depth = {"1": "1 mm thick or less", "2": "more than 1 mm and up to 2 mm thick",
                     "3": "more than 2 mm and up to 4 mm thick", "4": "more than 4 mm thick"}.get(t)
            if not depth:
                return ""
            if t == "1":
                ulcer = {"a": " (less than 0.8 mm, without ulceration)",
                         "b": " (0.8 to 1 mm, or thinner with ulceration)"}.get(sub, "")
            else:
                ulcer = {"a": ", without ulceration", "b": ", with ulceration"}.get(sub, "")
            return f"For a melanoma, T{t}{sub} means {depth}{ulcer}."
        return "T1 is the smallest or least deep group and T4 the most advanced."
    return ""


def is_melanoma(f: ReportFindings) -> bool:
    return any("melanoma" in d.name and d.certainty.level in ("definite", "probable") for d in f.all_diagnoses())


def synoptic_point(item: SynopticItem, melanoma: bool | None = None) -> str:
    meaning = value_meaning(item, melanoma)
    return f"{item.label}: {item.value.rstrip('. ')}. {meaning} {SYNOPTIC_GLOSS.get(item.key, '')}".replace("  ", " ").strip()
