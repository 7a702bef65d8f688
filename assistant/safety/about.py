"""Who and what a message is about, for the wording of the reply (never for the triage class itself).

- ``about_other``: a carer, parent, partner or friend writing about someone else ("my teenager said...").
- ``asks_about_image``: the writer wants a photo, picture or video looked at.
- ``personal_medicine_flags``: someone else's prescription, a strong steroid on a baby or child, a lost leaflet.
- ``grief_or_distress``: a loss or strong distress that deserves a short human acknowledgement.

These are closed vocabularies (family words, image words, steroid names), so small patterns do the job; the
open-ended question of *which class* a message is belongs to the learned head.
"""

from __future__ import annotations

import re

_PEOPLE = (r"son|sons|daughter|daughters|child|children|kid|kids|baby|babies|toddler|infant|newborn|boy|girl|"
           r"teen|teenager|husband|wife|partner|bf|gf|boyfriend|girlfriend|fianc[eé]e?|mum|mom|mother|mam|dad|"
           r"father|parent|parents|nan|nana|gran|granny|grandma|grandpa|grandad|granddad|grandmother|grandfather|"
           r"grandson|granddaughter|brother|sister|sibling|friend|mate|bestie|flatmate|roommate|housemate|"
           r"colleague|coworker|student|pupil|patient|resident|client|niece|nephew|aunt|auntie|uncle|cousin|"
           r"stepson|stepdaughter|stepmum|stepmom|stepdad|little one|lo|twins?|neighbou?r|carer|elderly \w+")
# A family or care word anywhere ("sons eczema", "flatmate burning up", "my 15 yo"), or he/she with no I/me.
_RELATION = re.compile(rf"\b(?:{_PEOPLE})(?:'?s)?\b|\bmy \d+ ?(?:yo|y/?o|yrs?|years?|months?|mo|wk|weeks?)\b", re.I)
_THIRD_PERSON = re.compile(r"\b(?:he|she|hes|shes|he's|she's|him|his|her|hers|himself|herself)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|im|i'm|ive|i've|me|my|mine|myself)\b", re.I)
# First-person wording of the writer's own crisis or symptoms: then the message is about the writer.
_SELF = re.compile(
    r"\b(?:myself|my (?:own )?life|kill me|end me|i (?:want|wanna|wish) (?:to )?(?:die|be dead|disappear|not)|"
    r"i (?:don'?t|dont|do not) want to (?:be|live|exist|wake|go on)|i can'?t (?:go on|cope|do this)|"
    r"i'?m (?:done|finished) with (?:life|everything|it all)|better off without me|my (?:lips|tongue|throat|"
    r"face|mouth|eyes?|skin is|chest|breathing))\b", re.I)


def about_other(text: str) -> bool:
    """True when the message is written about another person and not about the writer's own crisis/symptoms."""
    if not text:
        return False
    if _SELF.search(text):
        return False
    return bool(_RELATION.search(text) or (_THIRD_PERSON.search(text) and not _FIRST_PERSON.search(text)))


_IMAGE_WORD = (r"(?:photos?|photographs?|pics?|pix|pictures?|images?|selfies?|videos?|vids?|clips?|screenshots?|"
               r"snaps?|jpe?gs?|pngs?|scans? of|fotos?)")
_IMAGE = re.compile(
    rf"\b(?:my|this|these|that|those|attached|uploaded|sent|sending|here'?s|heres|here is|here are|"
    rf"look at|check|from the|from my|from this|in this|in my)\s+(?:\w+\s+){{0,3}}?{_IMAGE_WORD}\b"
    rf"|\b(?:attach(?:ed|ing)?|upload(?:ed|ing)?|send(?:ing)?|sent)\b[^.?!]{{0,40}}\b{_IMAGE_WORD}\b"
    # posting or sharing pictures is usually social media ("I don't want to post pics any more"): only here, to you
    rf"|\b(?:post(?:ed|ing)?|share|shared)\b[^.?!]{{0,40}}\b{_IMAGE_WORD}\b(?=.{{0,80}}\b(?:here|to you|with you|"
    rf"for you|below|above|in (?:the|this) chat|have a look|take a look|look at (?:it|them)|tell me)\b)|\b{_IMAGE_WORD}\s+(?:i|ive|i've|we)\s+(?:just\s+)?(?:sent|attached|uploaded|took|posted|pasted|"
    rf"recorded|made)\b"
    # "photo attached", "photo below", "[image attached]", "pic 1 is before", "in the picture", "looking at the image",
    # "if I send it over can you diagnose", "can you analyse them / look at them"
    rf"|\b{_IMAGE_WORD}\s*(?:\d\s+)?(?:is\s+)?(?:attached|below|above|enclosed|included|here)\b"
    rf"|(?<!like )(?<!as )\b(?:in|on|at|from)\s+the\s+(?:photo|pic|picture|image|video|vid|snap|screenshot)\b"
    rf"(?!\s+(?:online|on google|on the internet|in (?:the|a) (?:book|leaflet)))"
    rf"|\b{_IMAGE_WORD}\b[^.?!]{{0,80}}\b(?:can|could|would|will)\s+you\s+(?:\w+\s+){{0,2}}?(?:look|see|check|tell|"
    rf"analy[sz]e|diagnose|assess|review|confirm|identify|watch)\b"
    rf"|\b{_IMAGE_WORD}\b[^.?!]{{0,80}}\b(?:you|u)\s+(?:can|could|would)\s+(?:\w+\s+){{0,2}}?(?:look|see|check|watch|"
    rf"diagnose)\b"
    rf"|\b(?:you|u)\s+(?:be\s+able\s+to\s+)?(?:diagnose|tell|identify)\s+(?:it|what\s+it\s+is)\s+from\s+(?:that|it|the|this|a)\b"
    rf"|\bmira\s+esta\s+foto\b"
    rf"|\b(?:turn\s+on|switch\s+on|use|open)\s+(?:my|the)\s+(?:camera|webcam)\b[^.?!]{{0,60}}\byou\b|\bvideo\s+call\b"
    rf"|\b{_IMAGE_WORD}\b[^?!]{{0,100}}\b(?:can|could|would|will)\s+you\s+(?:\w+\s+){{0,2}}?(?:look\s+at|see|check|"
    rf"analy[sz]e|assess|review)\s+(?:them|it|this|these|those)\b"
    rf"|\b(?:pics?|pictures?|photos?|images?)\s*\d\b"
    # "photo of the spot on my back is attached", "sorry the pic is blurry", "does this mole look bad to you?"
    rf"|\b{_IMAGE_WORD}\b[^.?!]{{0,60}}?\b(?:is|are)\s+(?:attached|enclosed|included|uploaded)\b"
    rf"|\b(?:the|this|my)\s+{_IMAGE_WORD}\s+(?:is|isnt|is not|looks?)\s+(?:a\s+bit\s+|very\s+|so\s+|quite\s+|really\s+)?"
    rf"(?:blurry|blurred|dark|grainy|fuzzy|out\s+of\s+focus|not\s+(?:great|clear|very\s+clear|the\s+best)|rubbish|poor)\b"
    rf"|\bdoes\s+(?:this|that)\s+(?:\w+\s+){{0,2}}?look\s+(?:like\s+[^.?!]{{1,40}}?\s+|\w+\s+)?to\s+(?:you|u)\b"
    rf"|\b(?:send|sent|show|upload)\s+(?:it|them|you)\s+(?:over|to you)?[^.?!]{{0,40}}\b(?:diagnose|tell|look|see|"
    rf"check)\b",
    re.I)


# a picture sent to, or by, someone else ("we sent photos to the GP", "the GP has sent photos off"): not for us to see
_ELSEWHERE = re.compile(
    r"\b(?:to|for|by|with)\s+(?:the|my|a|our|his|her|their)?\s*(?:gp|doctor|doc|dermatologist|derm|surgery|practice|"
    r"hospital|nurse|clinic|consultant|specialist|team|locum)s?\b"
    r"|\b(?:gp|doctor|doc|dermatologist|derm|surgery|practice|hospital|nurse|clinic|consultant|specialist|team|locum)s?"
    r"\s+(?:has\s+|have\s+|had\s+|is\s+|was\s+|will\s+|would\s+)?(?:sent|sending|send|took|taken|take)\b"
    r"|\b(?:sent|send|sending)\s+(?:\w+\s+){0,2}?off\b", re.I)
_TO_US = re.compile(r"\b(?:you|u|here|attached|below|above|enclosed|uploaded)\b", re.I)
_ASKS_US = re.compile(r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:\w+\s+){0,2}?(?:look\s+at|see|check|analy[sz]e|"
                      r"diagnose|assess|review|identify)\s+(?:it|them|this|these|those|the\s+(?:photos?|pics?|"
                      r"pictures?|images?))\b", re.I)


def asks_about_image(text: str) -> bool:
    """An image the message asks us to look at; not one sent to (or taken by) a doctor or clinic."""
    matches = list(_IMAGE.finditer(text or ""))
    if matches and _ASKS_US.search(text):
        return True
    return any(_TO_US.search(m.group(0)) or not _ELSEWHERE.search(text[max(0, m.start() - 40): m.end() + 40])
               for m in matches)


_MEDICINE = (r"(?:cream|creams|ointment|ointments|lotion|gel|steroids?|tablets?|pills?|capsules?|meds|medicine|"
             r"medication|prescription|script|inhaler|injections?|pens?|jabs?|antibiotics?|antihistamines?)")
_OTHERS_MEDICINE = re.compile(
    rf"\b(?:my|her|his|their|our|a|the)\s+(?:{_PEOPLE})(?:'?s)?\s+(?:own\s+|old\s+|leftover\s+|prescription\s+)?"
    rf"(?:\w+\s+)?{_MEDICINE}\b"
    rf"|\b(?:someone|somebody|some1)\s+else'?s\b|\bprescribed (?:for|to) (?:my|her|his|their|our) (?:{_PEOPLE})\b"
    rf"|\b(?:borrow|borrowed|share|sharing|give|giving|gave|use|using|put|putting)\s+(?:my|mine|our)\s+"
    rf"(?:own\s+)?(?:\w+\s+)?{_MEDICINE}\s+(?:on|to|for|with)\s+(?:my|our|her|his|the)\s+(?:{_PEOPLE})\b"
    rf"|\bleft ?over\s+(?:\w+\s+)?{_MEDICINE}\b",
    re.I)
_CHILD = re.compile(r"\b(?:baby|babies|babys|baby's|infant|newborn|toddler|\d+\s*(?:-|\s)?(?:month|week)s?(?:-|\s)?old|"
                    r"little one|child|kid|son|daughter|grandson|granddaughter)\b", re.I)
_STRONG_STEROID = re.compile(
    r"\b(?:dermovate|clobetasol|betnovate|betamethasone|diprosone|mometasone|elocon|fluocinonide|lidex|"
    r"halobetasol|ultravate|fluocinolone|synalar|nerisone|diflucortolone|locoid|hydrocortisone butyrate|"
    r"(?:very |super |extra |really )?(?:strong|potent|powerful) (?:steroid|cream|ointment)s?|"
    r"adult (?:steroid )?cream|triamcinolone|kenalog|desoximetasone|topicort)\b", re.I)
_LOST_LEAFLET = re.compile(
    r"\b(?:lost|lose|losing|threw (?:away|out)|thrown (?:away|out)|binned|can'?t find|cannot find|misplaced|"
    r"no longer have|don'?t have|dont have|forgot(?:ten)?)\s+(?:the |my |its |her |his )?(?:\w+\s+)?"
    r"(?:leaflet|instructions|paperwork|insert|info sheet|label|box)\b|\bforgot(?:ten)? how (?:often|much|many)\b",
    re.I)


def personal_medicine_flags(text: str) -> list[str]:
    flags = []
    if _OTHERS_MEDICINE.search(text or ""):
        flags.append("others_medicine")
    if _CHILD.search(text or "") and _STRONG_STEROID.search(text or ""):
        flags.append("child_strong_steroid")
    if _LOST_LEAFLET.search(text or ""):
        flags.append("lost_leaflet")
    return flags


_GRIEF = re.compile(
    # "passed on" of a death, not of a condition ("can it be passed on to my kids")
    r"\b(?:died|passed away|(?<!\bbe )(?<!\bbeen )(?<!\bget )(?<!\bgets )passed on(?!\s+(?:to|by|through|from|in)\b)|"
    r"passed last|funeral|bereave\w*|griev\w*|widow\w*|lost my (?:" + _PEOPLE +
    r")|since (?:my|our) (?:" + _PEOPLE + r") (?:died|passed))\b", re.I)
_DISTRESS = re.compile(
    r"\b(?:terrified|petrified|frightened|so scared|really scared|very scared|panicking|panicked|worried sick|"
    r"crying|in tears|devastated|heartbroken|at my wits'? end|desperate|beside myself|so upset|really upset)\b",
    re.I)


def grief_or_distress(text: str) -> str:
    """'grief', 'distress' or '' (grief wins)."""
    if _GRIEF.search(text or ""):
        return "grief"
    return "distress" if _DISTRESS.search(text or "") else ""


_ISOTRETINOIN = re.compile(r"\b(?:isotretinoin\w*|ro?accutane|accutane|absorica|claravis|amnesteem|myorisan|"
                           r"zenatane|isotrex\w*|iso)\b", re.I)


def mentions_isotretinoin(text: str) -> bool:
    return bool(text and _ISOTRETINOIN.search(text))
