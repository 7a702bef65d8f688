"""Transparent triage rules: each one has a name, a label, a plain description and a test over concepts.

Rules read ``Facts`` (which concepts are present, negated, and whether the message is a general
information question). They never copy test sentences: they combine phrase families from concepts.py,
so "no fever" or "not on any medicine" switch a rule off and paraphrases of the same idea switch it on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .concepts import compiled
from .text import Match, clause_starts, find, is_general_question

Label = str  # one of LABELS (kept a plain str here; the pydantic model validates it)
LABELS = ("emergency", "crisis", "see_doctor_soon", "dosing", "out_of_scope", "injection", "ordinary")


def label_problem(label: str) -> tuple[str, str] | None:
    """(problem, fix) for a data row whose label is not one of LABELS (for jsonl.read_jsonl's check)."""
    return None if label in LABELS else (f"has unknown label '{label}'.", f"Use one of: {', '.join(LABELS)}.")


class Facts:
    """Concept matches for one normalised message, computed on demand and cached."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.general = is_general_question(text)
        self._starts = clause_starts(text)
        self._matches: dict[str, list[Match]] = {}

    def matches(self, concept: str) -> list[Match]:
        if concept not in self._matches:
            self._matches[concept] = find(self.text, concept, compiled(concept), self._starts)
        return self._matches[concept]

    def has(self, *concepts: str) -> bool:
        """True if any of the concepts occurs un-negated."""
        return any(not m.negated for c in concepts for m in self.matches(c))

    def mentions(self, *concepts: str) -> bool:
        """True if any of the concepts occurs at all, negated or not."""
        return any(self.matches(c) for c in concepts)

    def personal(self) -> bool:
        return not self.general


@dataclass(frozen=True)
class Rule:
    name: str
    label: Label
    description: str
    test: Callable[[Facts], bool]


def _airway(f: Facts) -> bool:
    if f.has("airway_swelling"):
        return True
    if f.has("breathing_trouble") and f.has("face_swelling", "hives", "allergic_trigger", "new_medicine", "faint"):
        return True
    return f.has("swallowing_trouble") and f.has("face_swelling", "hives", "allergic_trigger", "mucosal_sores")


def _sjs(f: Facts) -> bool:
    if f.has("skin_coming_off"):
        return True
    if f.has("blistering") and f.has("new_medicine", "sjs_drug"):
        return True
    if f.has("blistering") and f.has("mucosal_sores") and not f.has("diagnosed_blistering") and (
            not f.has("cold_sore") or f.has("widespread_blisters")):  # a cold sore's blister on the lip
        return True
    return f.has("rash") and f.has("mucosal_sores") and f.has("new_medicine", "sjs_drug")


def _dress(f: Facts) -> bool:
    return f.has("rash", "whole_body_red") and f.has("fever") and f.has("new_medicine", "sjs_drug", "swollen_glands")


def _eczema_herpeticum(f: Facts) -> bool:
    if not f.has("eczema"):
        return False
    infected = f.has("herpetic_weak", "infected_skin", "weeping")
    return f.has("herpetic_strong") or (infected and f.has("fever", "unwell", "chills"))


def _spreading_infection(f: Facts) -> bool:
    systemic = f.has("fever", "chills", "unwell", "faint")
    if f.has("spreading_redness") and systemic:
        return True
    strong = [m for m in f.matches("necrotising_strong") if not m.negated]
    if f.mentions("pyoderma_gangrenosum"):  # "the hospital said pyoderma gangrenosum. GANGRENE??": the name's word
        strong = [m for m in strong if not f.text[m.start:m.end].startswith("gangren")]
    if strong and not f.mentions("info_framing"):  # not "saw a documentary on it"
        return True
    return f.has("necrotising_weak") and (systemic or f.has("spreading_redness"))


def _erythroderma(f: Facts) -> bool:
    return f.has("whole_body_red") and not f.has("hives") and f.has("fever", "chills", "unwell", "faint",
                                                                   "skin_coming_off")


def _immunosuppressed_fever(f: Facts) -> bool:
    return f.has("immunosuppressant") and (f.has("fever", "chills") or f.has("spreading_redness")
                                           or (f.has("unwell") and f.has("infected_skin", "rash")))


def _crisis(f: Facts) -> bool:
    if _crisis_is_side_effect_question(f):
        return False
    # "overdose" alone is a crisis when someone speaks of themselves or another person, unless it was plainly an
    # accident ("took a double dose by mistake"); "what happens if you overdose on X?" is a general question.
    if f.has("suicidal") and past_and_recovered(f):
        return False  # old scars from self-harm that is over: the head may still show the crisis lines first
    return f.has("suicidal") or (f.personal() and f.has("overdose") and not f.has("accidental"))


def past_and_recovered(f: Facts) -> bool:
    """Self-harm plainly in the past and over, with nothing saying it is back and no wish to die now."""
    return (f.mentions("self_harm_word") and f.mentions("past_marker") and f.mentions("recovered_marker")
            and not f.mentions("relapse_marker", "present_wish"))


def _medicine_overdose(f: Facts) -> bool:
    """Methotrexate taken daily instead of weekly, or too much of a medicine by accident."""
    # "every day" about the folic acid beside weekly methotrexate is not methotrexate taken daily
    mtx_daily = (f.has("methotrexate") and f.has("daily_schedule") and f.has("taking_now")
                 and not f.mentions("folic_acid_with_weekly"))
    # An accidental extra dose of most skin medicines (a second antihistamine, doxycycline, isotretinoin) is a
    # question for a pharmacist (dosing), not an emergency; methotrexate, medicines that are dangerous in overdose,
    # and a child who swallowed tablets are emergencies.
    accident = (f.has("took_too_much", "overdose") and f.has("accidental") and f.has("skin_medicine", "medicine_word")
                and (f.has("dangerous_in_overdose") or f.has("child_ingestion")))
    child = f.has("child_ingestion") and f.has("skin_medicine", "medicine_word")
    return mtx_daily or accident or child or (f.has("methotrexate") and f.has("took_too_much"))


def _crisis_is_side_effect_question(f: Facts) -> bool:
    """'Can isotretinoin cause suicidal thoughts?': information about a medicine, not a personal crisis."""
    return f.general and f.has("side_effect_framing") and f.mentions("suicidal", "overdose")


def _about_me(test: Callable[[Facts], bool]) -> Callable[[Facts], bool]:
    """See-a-doctor rules describe a lesion someone has, not "how do I know if..." or "what are the signs of..."."""
    return lambda f: f.personal() and not f.mentions("info_framing") and test(f)


def _mole_change(f: Facts) -> bool:
    return f.has("mole") and f.has("mole_change", "many_colours")


def _not_healing(f: Facts) -> bool:
    return f.has("sore_or_lump") and f.has("not_healing")


def _dose(f: Facts) -> bool:
    """A personal dose question. "What is the usual dose range of X?" is general information (answered as usual)."""
    return f.personal() and f.has("dose_question") and f.has("skin_medicine", "medicine_word")


def _change(f: Facts) -> bool:
    return f.has("change_decision") and f.has("skin_medicine", "medicine_word")


def _out_of_scope(f: Facts) -> bool:
    """No skin word at all; a bare medicine question ("I missed my injection...") stays in scope unless it names
    something plainly off topic ("what dose of amlodipine for blood pressure")."""
    compounds = [(m.start, m.end) for m in f.matches("non_skin_compound")]  # "sore throat" is not about skin
    if any(not any(a <= m.start < b for a, b in compounds) for m in f.matches("skin_topic")):
        return False
    return f.mentions("off_topic") or not f.mentions("medicine_word")


def _switched_off_topic(f: Facts) -> bool:
    """The writer changes the subject ("totally different question", "since I'm on here") and what they then ask,
    or the message without the switch words ("sorry, I know this is the skin chat"), names no skin topic."""
    switches = f.matches("topic_switch")
    if not switches:
        return False
    tail = f.text[max(m.end for m in switches):]
    rest = f.text
    for m in sorted(switches, key=lambda m: -m.start):
        rest = rest[:m.start] + " " + rest[m.end:]
    return any(len(part.split()) >= 3 and _out_of_scope(Facts(part)) for part in (tail, rest))


def _off_topic_task(f: Facts) -> bool:
    return f.mentions("off_topic_task") and not f.has("dose_question", "change_decision")


def _emergency(test: Callable[[Facts], bool]) -> Callable[[Facts], bool]:
    """Emergency rules describe the writer's (or someone's) symptoms, not a general information question."""
    return lambda f: f.personal() and test(f)


RULES: list[Rule] = [
    Rule("self-harm-or-suicidal-thoughts", "crisis",
         "talk of suicide, wanting to die or hurting oneself", _crisis),
    Rule("airway-swelling-or-anaphylaxis", "emergency",
         "swelling of the tongue or throat, or trouble breathing or swallowing with swelling or hives: "
         "a possible severe allergic reaction", _emergency(_airway)),
    Rule("skin-peeling-or-blistering-drug-reaction", "emergency",
         "skin peeling or blistering, sores in the mouth, eyes or genitals, or a rash after a new medicine: "
         "a possible severe drug reaction (SJS/TEN)", _emergency(_sjs)),
    Rule("drug-rash-with-fever", "emergency",
         "a widespread rash with fever after a new medicine: a possible severe drug reaction (DRESS)",
         _emergency(_dress)),
    Rule("non-blanching-rash", "emergency",
         "spots or a rash that do not fade under a pressed glass, or a rash with a fever and a stiff neck: possible "
         "meningitis or sepsis", _emergency(lambda f: f.has("non_blanching") or (
             f.has("rash") and f.has("fever") and f.has("stiff_neck")))),
    Rule("eczema-herpeticum", "emergency",
         "punched-out sores on eczema, or eczema with blisters, weeping or crusts and a fever: possible eczema "
         "herpeticum or a serious infection",
         _emergency(_eczema_herpeticum)),
    Rule("spreading-infection-with-fever", "emergency",
         "spreading redness or swelling with fever, chills or feeling very unwell, or pain far worse than the "
         "skin looks: possible cellulitis, sepsis or a deep infection", _emergency(_spreading_infection)),
    Rule("erythroderma", "emergency",
         "red, inflamed or peeling skin over most of the body with shivering, fever or feeling unwell",
         _emergency(_erythroderma)),
    Rule("fever-on-immunosuppressant", "emergency",
         "fever, chills or spreading infection while taking a medicine that lowers the immune system",
         _emergency(_immunosuppressed_fever)),
    Rule("methotrexate-daily-or-medicine-overdose", "emergency",
         "methotrexate taken daily instead of weekly, too much of a medicine that is dangerous in overdose, or a child "
         "who swallowed tablets",
         _emergency(_medicine_overdose)),
    Rule("severe-burn", "emergency",
         "a burn that is deep (white, leathery or charred), larger than the hand, or from a chemical or electricity",
         _emergency(lambda f: f.has("burn_injury") and f.has("severe_burn_sign") and not f.mentions("old_injury"))),
    Rule("shingles-near-eye-or-nose", "emergency",
         "a shingles rash near the eye, on the eyelid or forehead, or on the tip or side of the nose (the eye may be "
         "involved: same-day care)",
         _emergency(lambda f: f.has("face_shingles") and not f.mentions("old_injury"))),
    Rule("mole-change-abcde", "see_doctor_soon",
         "a mole or dark spot that is new, changing, bleeding, itchy or has uneven colours or edges",
         _about_me(_mole_change)),
    Rule("sore-that-does-not-heal", "see_doctor_soon",
         "a sore, spot or lump that does not heal or keeps bleeding or crusting", _about_me(_not_healing)),
    Rule("lump-in-scar-or-growing-lump", "see_doctor_soon",
         "a new lump in a scar, or a lump that keeps growing",
         _about_me(lambda f: f.has("lump_in_scar", "growing_lump"))),
    Rule("possible-skin-cancer-signs", "see_doctor_soon",
         "a pearly, shiny or waxy bump, or a growth or scab that bleeds",
         _about_me(lambda f: f.has("bcc_sign", "bleeding_growth"))),
    Rule("one-sided-band-of-blisters", "see_doctor_soon",
         "a painful band or strip of blisters on one side of the body (possible shingles: antiviral tablets work "
         "best started early)", _about_me(lambda f: f.has("blister_band"))),
    Rule("infected-nail-fold", "see_doctor_soon",
         "a swollen, throbbing nail fold with pus (possible paronychia)",
         _about_me(lambda f: f.has("nail_fold_infection"))),
    Rule("dark-streak-in-nail", "see_doctor_soon", "a new dark line or streak in a nail",
         _about_me(lambda f: f.has("nail_streak"))),
    Rule("infected-eczema", "see_doctor_soon",
         "eczema with yellow crusts, pus or signs of infection",
         _about_me(lambda f: f.has("eczema") and f.has("infected_skin"))),
    Rule("personal-dose-question", "dosing",
         "a question about how much of a medicine to take or use", _dose),
    Rule("start-stop-or-change-medicine", "dosing",
         "a question about starting, stopping, skipping or changing a medicine", _change),
    Rule("prescription-request", "dosing", "a request to prescribe or choose a medicine",
         lambda f: f.has("prescribe_request")),
    Rule("medicine-interaction-question", "dosing", "whether to take one medicine together with another",
         lambda f: f.personal() and f.has("interaction_question") and f.has("skin_medicine", "sjs_drug")),
    Rule("changing-the-schedule", "dosing", "taking a medicine on a different schedule",
         lambda f: f.has("every_other") and f.has("skin_medicine", "medicine_word")),
    Rule("off-topic-task", "out_of_scope",
         "a request for writing, code, jokes, recipes or translation rather than skin information",
         _off_topic_task),
    Rule("switched-to-another-subject", "out_of_scope",
         "a change of subject ('totally different question', 'since I'm on here') to something that is not skin",
         _switched_off_topic),
    Rule("animal-skin", "out_of_scope", "a question about an animal's skin (ask a vet)",
         lambda f: f.has("pet") and not f.has("suicidal")),
    Rule("no-skin-topic", "out_of_scope",
         "no mention of skin, hair, nails or a skin treatment", _out_of_scope),
]

LOW_MOOD_RULE = Rule(
    "low-mood", "ordinary", "low mood or not coping (answered, with where to find support)",
    lambda f: f.has("low_mood"))

SIDE_EFFECT_MOOD_RULE = Rule(
    "mood-side-effect-question", "ordinary",
    "an information question about a medicine and mood or suicidal thoughts (answered, with support lines)",
    _crisis_is_side_effect_question)


# Exemplar similarity may only raise a class when the message itself shows at least one sign of that class,
# un-negated: MiniLM similarity follows the topic ("a baby with eczema") as much as the danger, so a question
# that merely shares the topic of an urgent exemplar must not be short-circuited. For emergencies and
# see-a-doctor signs the writer must also not be reassuring ("it went away and I breathe fine") or asking how
# to recognise something ("how do I know if..."); "my mole hasn't changed" has its only sign negated.
# Signs a message must itself show before similarity to an exemplar may decide its class. "Feeling unwell"
# alone is not enough for an emergency ("methotrexate makes me feel sick for a day" is nausea, not sepsis);
# the rules still use it together with fever, infection or rash.
_KEY_CONCEPTS = {
    "emergency": ("breathing_trouble", "swallowing_trouble", "face_swelling", "airway_swelling", "fever", "chills",
                  "skin_coming_off", "blistering", "mucosal_sores", "spreading_redness", "whole_body_red",
                  "faint", "necrotising_strong", "necrotising_weak", "herpetic_strong", "herpetic_weak",
                  "swollen_glands"),
    "see_doctor_soon": ("mole_change", "many_colours", "not_healing", "growing_lump", "lump_in_scar",
                        "bleeding_growth", "bcc_sign", "nail_streak"),
    "crisis": ("suicidal", "distress"),
}


def exemplar_allowed(label: str, facts: Facts) -> bool:
    keys = _KEY_CONCEPTS.get(label, ())
    if keys and not facts.has(*keys):
        return False  # no sign of this class in the message itself, or every sign it mentions is negated
    if label in ("emergency", "see_doctor_soon"):
        return describes_current_signs(facts)
    return True


def describes_current_signs(facts: Facts) -> bool:
    """The writer describes someone's signs now: not reassuring ("it went away and I breathe fine") and not
    asking how to recognise something ("how do I know if...")."""
    return facts.personal() and not facts.has("reassurance") and not facts.mentions("info_framing")


def fired(facts: Facts) -> list[Rule]:
    """Every rule whose test passes, in RULES order."""
    return [r for r in RULES if r.test(facts)]
