"""Safety triage before retrieval: emergency, crisis, see a doctor soon, dosing, out of scope, injection, ordinary.

``Triager(settings, embedder).triage(text) -> Triage``. Two parts, both recorded in ``Triage.reasons``:

- a learned head (classifier.py: a logistic regression and a small MLP, averaged, over the shipped MiniLM vectors
  of the message and its clauses, trained on the team-written messages in ``knowledge_base/safety/training/``)
  reads the wording;
- named rules over negation-aware phrase families (rules.py, concepts.py) stay as a floor: for emergency and
  crisis either the rules or the head can escalate, so recall never drops below the rules'.

Tiers: a rule or a confident head -> ``get_help_now`` (the help-now message alone); a possible emergency or crisis
(head probability above a low threshold) -> ``resources_first`` (the normal answer, with the crisis or urgent
resources shown first in gentle words). Without the head (another embedder, e.g. the fake one in unit tests)
similarity to the curated exemplars in ``knowledge_base/safety/exemplars.yaml`` backs the rules, as before.
"""

from __future__ import annotations

import threading
import time
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field

from ..config import Settings
from ..embeddings import Embedder
from ..errors import InputError
from . import messages
from .about import about_other, asks_about_image, grief_or_distress, mentions_isotretinoin, personal_medicine_flags
from .classifier import TriageHead, load_head
from .exemplars import ExemplarIndex, Neighbour, find_exemplars_file, load_exemplars
from .injection import speaks_to_assistant, strip_injection
from .spelling import Speller
from .rules import LABELS, LOW_MOOD_RULE, SIDE_EFFECT_MOOD_RULE, Facts, Rule, exemplar_allowed, fired
from .text import normalise
from .tiers import (  # noqa: F401 (some re-exported)
    CRISIS_MARGIN_MIN, FIRM_OUT_OF_SCOPE, HEAD_DECIDE, HEAD_HIGH, HEAD_LOW, HEAD_REFUSE, IDIOM_LOW, OOS_OVER_SKIN_WORDS,
    PRIORITY, _likeliest_answer, buried_crisis_clause, combine, help_now_allowed, plain_idioms)

Label = Literal["emergency", "crisis", "see_doctor_soon", "dosing", "out_of_scope", "injection", "ordinary"]
Action = Literal["answer", "answer_with_notice", "short_circuit"]
Tier = Literal["get_help_now", "resources_first", "none"]

MAX_TRIAGE_CHARS = 20_000

# Exemplar similarity (cosine) a class needs, and its lead over the best "ordinary" exemplar, to decide
# when no rule fired. Read off a leave-one-out table on the exemplar set only (bench/triage.py --calibrate,
# all-MiniLM-L6-v2): emergency 0.65 catches 11/25 held-out exemplars with no false alarm, see_doctor_soon
# 0.60 catches 11/17 with none, crisis 0.60 + 0.10 margin catches 3/18 with one. Dosing and injection
# exemplars do not separate from ordinary ones under MiniLM (no held-out catch at any threshold >= 0.55,
# only false alarms), so similarity never decides those two classes: their rules do. Similarity stays in
# their reasons as supporting evidence. The labelled test set (eval/datasets/safety.jsonl) is never used for
# tuning.
EXEMPLAR_MIN_SCORE: dict[str, float] = {"crisis": 0.60, "emergency": 0.65, "injection": 1.01, "dosing": 1.01,
                                        "see_doctor_soon": 0.60}
EXEMPLAR_MIN_MARGIN: dict[str, float] = {"crisis": 0.10, "emergency": 0.05, "injection": 0.10, "dosing": 0.10,
                                         "see_doctor_soon": 0.05}

_STANDARD_MESSAGE = {"emergency": messages.EMERGENCY, "crisis": messages.CRISIS,
                     "see_doctor_soon": messages.SEE_DOCTOR_SOON, "dosing": messages.DOSING,
                     "out_of_scope": messages.OUT_OF_SCOPE, "injection": messages.INJECTION_DECLINED, "ordinary": ""}
_ACTION: dict[str, Action] = {"emergency": "short_circuit", "crisis": "short_circuit", "out_of_scope": "short_circuit",
                              "injection": "short_circuit", "dosing": "answer_with_notice",
                              "see_doctor_soon": "answer_with_notice", "ordinary": "answer"}


class Reason(BaseModel):
    """Why a label was chosen: a named rule (score 1.0), the learned head (its probability, with the nearest
    training messages as further reasons), or the nearest curated exemplar (cosine score)."""

    kind: Literal["rule", "classifier", "exemplar"]
    name_or_text: str
    label: Label
    score: float
    description: str = ""


class Triage(BaseModel):
    label: Label
    action: Action
    message: str = Field("", description="standard text: the whole reply (short_circuit) or a notice to show first")
    notices: list[str] = Field(default_factory=list, description="extra warnings, e.g. methotrexate is weekly")
    reasons: list[Reason] = Field(default_factory=list)
    question: str = Field("", description="what to answer: the message with any role-override part removed")
    inner_label: Label | None = Field(None, description="for injection: the label of the rest of the message; for a "
                                      "resources-first reply: the label the answer itself was given")
    tier: Tier = Field("none", description="get_help_now: the help message alone; resources_first: the answer "
                                           "with crisis or urgent resources shown first; none")
    about: Literal["self", "other"] = Field("self", description="other: a carer writing about someone else")
    flags: list[str] = Field(default_factory=list, description="image_request, others_medicine, child_strong_"
                                                               "steroid, lost_leaflet, isotretinoin, grief")
    probabilities: dict[str, float] = Field(default_factory=dict, description="the learned head's, when used")
    seconds: float = 0.0

    @property
    def short_circuit(self) -> bool:
        return self.action == "short_circuit"


class Triager:
    """Loads the head (or, without it, the exemplars) lazily, once (thread-safe). Without an embedder it runs on
    rules alone. ``head`` may be given (tests); by default the shipped one is used when it was trained on this
    embedder."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, *,
                 min_score: dict[str, float] | None = None, min_margin: dict[str, float] | None = None,
                 head: TriageHead | None | Literal["shipped"] = "shipped") -> None:
        self.settings = settings
        self.embedder = embedder
        self.min_score = {**EXEMPLAR_MIN_SCORE, **(min_score or {})}
        self.min_margin = {**EXEMPLAR_MIN_MARGIN, **(min_margin or {})}
        self._index: ExemplarIndex | None = None
        self._head_arg = head
        self._head: TriageHead | None = None
        self._speller = Speller(settings.kb_path)
        self._loaded = False
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self.exemplar_index()
        self._speller.correct("warm up")
        self._names_kb_topic("warm up")  # the knowledge base's topic names: read once (1-3 s), not on a first message
        if (head := self.head()) is not None:
            head.predict(self.embedder, "warm up the clause batch")

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            if self.embedder is not None:
                head = load_head() if self._head_arg == "shipped" else self._head_arg
                if head is not None and head.embedder == getattr(self.embedder, "name", ""):
                    self._head = head
                else:
                    path = find_exemplars_file(self.settings.kb_path)
                    if path is not None:
                        self._index = ExemplarIndex(load_exemplars(path), self.embedder)
            self._loaded = True

    def _names_kb_topic(self, text: str) -> bool:
        from .kb_names import names_kb_topic

        return names_kb_topic(text, self.settings.kb_path)

    def head(self) -> TriageHead | None:
        self._load()
        return self._head

    def exemplar_index(self) -> ExemplarIndex | None:
        self._load()
        return self._index

    # ---------------------------------------------------------------------------------------------------------
    def triage(self, text: str) -> Triage:
        if not isinstance(text, str):
            raise InputError(f"Triage needs text, not {type(text).__name__}.",
                             "Pass the question as a str (decode bytes as UTF-8 first).")
        t0 = time.perf_counter()
        text = text[:MAX_TRIAGE_CHARS]
        rest, injection_reasons = strip_injection(text)
        if not injection_reasons:  # a misspelt override ("ignroe your instructoins") is still an override
            corrected = self._speller.correct(normalise(text))
            rest_c, injection_reasons = strip_injection(corrected)
            rest = rest_c if injection_reasons else rest
        d = self._classify(rest if injection_reasons else text)
        head_alone = not any(r.kind == "rule" and r.label == d.label for r in d.reasons)
        if injection_reasons and (d.tier != "get_help_now" or head_alone):
            result = self._injection_result(rest, d.label, d.reasons, injection_reasons, d.notices)
        else:
            result = Triage(label=d.label, action=d.action, message=d.message, notices=d.notices,
                            reasons=[*d.reasons, *injection_reasons], question=text, tier=d.tier)
        result.about, result.flags, result.probabilities = d.about, d.flags, d.probabilities
        if result.tier == "resources_first" and result.label != "injection":
            result.inner_label = d.inner
        result.seconds = time.perf_counter() - t0
        return result

    def _injection_result(self, rest: str, inner: str, reasons: list[Reason], injection_reasons: list[Reason],
                          notices: list[str]) -> Triage:
        all_reasons = [*injection_reasons, *reasons]
        if inner in ("ordinary", "dosing", "see_doctor_soon") and rest.strip():
            return Triage(label="injection", action=_ACTION[inner], message=_STANDARD_MESSAGE[inner],
                          notices=[messages.INJECTION_IGNORED, *notices], reasons=all_reasons, question=rest,
                          inner_label=inner)
        return Triage(label="injection", action="short_circuit", message=messages.INJECTION_DECLINED,
                      reasons=all_reasons, question="", inner_label=inner)

    def _classify(self, text: str) -> "_Decision":
        facts = Facts(self._speller.correct(normalise(text)))
        rules = fired(facts)
        if any(r.label == "out_of_scope" for r in rules) and self._names_kb_topic(facts.text):
            # it names something the knowledge base covers ("AEIOU merkel cell", "driclor"): not out of scope
            rules = [r for r in rules if r.name != "no-skin-topic"]
        head = self.head()
        if head is not None and text.strip():
            label, reasons, notices, tier, probs, inner = self._decide_with_head(head, text, facts, rules)
        else:
            label, reasons, notices = self._decide_with_exemplars(text, facts, rules)
            tier, probs, inner = ("get_help_now" if label in ("emergency", "crisis") else "none"), {}, label
        return self._compose(text, facts, rules, label, reasons, notices, tier, probs, inner)

    # -- the learned head with the rules as a floor ---------------------------------------------------------------
    def _decide_with_head(self, head: TriageHead, text: str, facts: Facts, rules: list[Rule]):
        labels = {r.label for r in rules}
        # the same cleaned, spell-corrected text as in training; a figure of speech with a death word ("dying to
        # know", "this itch is killing me") is read with that word made plain, unless a crisis rule fired
        read = facts.text if "crisis" in labels else plain_idioms(facts)
        probs, vector, (clause, clause_p), instances = head.predict_parts(self.embedder, read)
        reasons = [_rule_reason(r) for r in rules]
        low = None
        if facts.mentions("death_idiom"):
            # "this itch is killing me", "dying to know", "can HS kill you?": the death word is a figure of speech,
            # so only a stronger crisis reading earns the crisis lines (a real wish to die also fires a rule)
            low = {**HEAD_LOW, "crisis": IDIOM_LOW}
        # (not with a figure of speech: "...this itch is killing me" read alone is what IDIOM_LOW guards against)
        buried = low is None and buried_crisis_clause(head, probs, clause, clause_p, instances)
        set_aside = None
        if "crisis" not in labels and (low or HEAD_LOW)["crisis"] <= probs.get("crisis", 0.0) < HEAD_HIGH["crisis"]:
            # a possible crisis read by the head alone: kept only when the message or one of its clauses is about as
            # near a crisis training message as any other ("how long am I going to be there?" in a question about
            # Mohs surgery is nearer everyday messages). A buried clause has passed the stricter CLAUSE_MARGIN_MIN.
            margin, nearest_text = head.crisis_margin(instances)
            if margin < CRISIS_MARGIN_MIN:
                set_aside = (nearest_text, margin)
        if buried:
            # one sentence of a long message reads as a crisis on its own: the crisis lines come first (tier 2)
            reasons.append(Reason(kind="classifier", name_or_text=clause[:200], label="crisis",
                                  score=round(clause_p, 4), description="one clause read alone by the learned head"))
        # a buried crisis clause lifts crisis to the low threshold; a set-aside possible crisis (never buried) drops it
        deciding = {**probs, "crisis": 0.0 if set_aside else HEAD_LOW["crisis"]} if buried or set_aside else probs
        firm = any(r.name in FIRM_OUT_OF_SCOPE for r in rules)
        label, tier, inner = combine(deciding, labels, low=low, firm_out_of_scope=firm)
        if label == "injection" and "injection" not in labels and not speaks_to_assistant(text, facts):
            # the head alone, and nothing in the message addresses the assistant's role, rules or instructions: a
            # patient quoting a clinic letter or a label ("it reads: 'Nodular basal cell carcinoma...'") is answered
            label, tier, inner = combine({**deciding, "injection": 0.0}, labels, low=low, firm_out_of_scope=firm)
        if (label == "out_of_scope" and label not in labels and tier == "none"
                and ((facts.mentions("skin_topic") and probs.get("out_of_scope", 0.0) < OOS_OVER_SKIN_WORDS)
                     or self._names_kb_topic(facts.text)) and not asks_about_image(text)):
            # The head's "out of scope" alone may not refuse a message that names a skin topic and asks for no image
            # ("new tattoo aftercare", "heat rash ... murdering me"): answer it as the next most likely label. Skin
            # words alone ("swollen", "sore", "knees") do not hold back a head this sure (OOS_OVER_SKIN_WORDS).
            label = inner = _likeliest_answer(probs)
        if label == "see_doctor_soon" and label not in labels and not help_now_allowed(label, facts):
            label = inner = "ordinary"  # "my mole hasn't changed in 10 years": its only sign is negated
        if tier == "get_help_now" and label not in labels and not help_now_allowed(label, facts):
            tier = "resources_first"  # the head alone, but the message negates or reassures: answer, resources first
        notices = []
        if tier == "resources_first" and inner in ("dosing", "see_doctor_soon"):
            reasons = [r for r in reasons if r.label == inner]
            notices.append(_STANDARD_MESSAGE[inner])  # the answer's own concern keeps its notice under the resources
        reasons = [r for r in reasons if r.label == label] + [
            r for r in reasons if r.label != label and tier == "resources_first"]
        reasons.append(Reason(kind="classifier", name_or_text=f"learned head: {label}", label=label,
                              score=round(probs.get(label, 0.0), 4),
                              description="probability from the learned triage head"))
        if set_aside:
            reasons.append(Reason(kind="classifier", name_or_text=set_aside[0][:200], label=label,
                                  score=round(set_aside[1], 4),
                                  description="possible crisis set aside: this text is nearer other training "
                                              "messages than crisis ones (crisis margin)"))
        for nb in head.nearest(vector, label, k=2):
            reasons.append(Reason(kind="exemplar", name_or_text=nb.text, label=label, score=nb.score,
                                  description="nearest training message of this class"))
        return label, reasons, notices, tier, {k: round(v, 4) for k, v in probs.items()}, inner

    # -- rules and exemplar similarity (no head: other embedders) -------------------------------------------------
    def _decide_with_exemplars(self, text: str, facts: Facts, rules: list[Rule]):
        reasons = [_rule_reason(r) for r in rules]
        labels = {r.label for r in rules}
        neighbours = self._neighbours(text)
        label = next((lab for lab in PRIORITY if lab in labels), None)
        if label is None:
            hit = self._exemplar_decision(neighbours, facts)
            if hit is not None:
                label = hit.label
                reasons.append(_exemplar_reason(hit))
        if label is None:
            label = "ordinary"
            if "ordinary" in neighbours:
                reasons.append(_exemplar_reason(neighbours["ordinary"]))
        elif label in neighbours and not any(r.kind == "exemplar" for r in reasons):
            reasons.append(_exemplar_reason(neighbours[label]))  # supporting evidence, shown with its score
        shown = {label} | ({"dosing", "see_doctor_soon"} & labels if label in ("dosing", "see_doctor_soon") else set())
        return label, [r for r in reasons if r.label in shown], []

    # -- the reply: messages for carers, images, medicines, mood ---------------------------------------------------
    def _compose(self, text: str, facts: Facts, rules: list[Rule], label: str, reasons: list[Reason],
                 notices: list[str], tier: Tier, probs: dict[str, float], inner: str = "") -> "_Decision":
        labels = {r.label for r in rules}
        other = about_other(text)
        flags = personal_medicine_flags(text)
        if label == "ordinary" and tier == "none" and {"others_medicine", "child_strong_steroid"} & set(flags):
            label = "dosing"  # someone else's prescription, or a strong steroid on a child: a personal decision
            reasons.append(Reason(kind="rule", name_or_text="personal-medicine-use", label="dosing", score=1.0,
                                  description="someone else's prescription, or a strong steroid on a baby or child"))
        if asks_about_image(text) and label not in ("crisis", "emergency", "injection"):
            # It cannot see images: a photo request gets that said plainly, never condition text that reads as a
            # diagnosis. (A possible emergency or crisis keeps its resources; the answer below then declines.)
            flags.append("image_request")
            if tier == "none":
                label = "out_of_scope"
                reasons = [r for r in reasons if r.label == label] + [Reason(
                    kind="rule", name_or_text="image-request", label="out_of_scope", score=1.0,
                    description="asks for a photo, picture or video to be looked at (it cannot see images)")]
        feeling = grief_or_distress(text)
        if feeling and tier != "get_help_now":
            flags.append(feeling)
        iso = mentions_isotretinoin(text)
        if iso:
            flags.append("isotretinoin")
        action: Action = _ACTION[label]
        message = _STANDARD_MESSAGE[label]
        if label == "crisis":
            message = messages.CRISIS_OTHER if other else messages.CRISIS
            if iso:
                notices.append(messages.ISOTRETINOIN_MOOD_OTHER if other else messages.ISOTRETINOIN_MOOD)
        elif label == "emergency":
            message = messages.EMERGENCY_OTHER if other else messages.EMERGENCY
            if probs.get("crisis", 0.0) >= HEAD_LOW["crisis"]:
                # an overdose taken, burns done on purpose: the head leans to emergency, crisis lines go too
                flags.append("crisis_resources")
                notices.append(messages.CRISIS_RESOURCES)
        elif label == "out_of_scope" and "image_request" in flags:
            message = messages.IMAGE_REQUEST
        elif label == "dosing":
            if "others_medicine" in flags:
                notices.append(messages.OTHERS_MEDICINE)
            if "child_strong_steroid" in flags:
                notices.append(messages.CHILD_STRONG_STEROID)
            if "lost_leaflet" in flags:
                notices.append(messages.LOST_LEAFLET)
        if tier == "resources_first":  # the crisis branch above already added the isotretinoin notice
            action = "answer_with_notice"
            message = messages.CRISIS_RESOURCES if label == "crisis" else messages.URGENT_RESOURCES
        if label == "ordinary" and tier == "none":
            support = [r for r in (SIDE_EFFECT_MOOD_RULE, LOW_MOOD_RULE) if r.test(facts)]
            if support:
                reasons.append(_rule_reason(support[0]))
                notices.append(messages.MOOD_SUPPORT)
        # A second non-urgent concern keeps its own notice: a dosing question about a changing mole gets both.
        for second in ("dosing", "see_doctor_soon"):
            if second != label and second in labels and (label in ("dosing", "see_doctor_soon")
                                                          or tier == "resources_first"):
                notices.append(_STANDARD_MESSAGE[second])
        dose_talk = "dosing" in (label, *labels) or facts.mentions("dose_question", "every_other")
        if dose_talk and facts.mentions("methotrexate") and tier != "get_help_now":
            notices.append(messages.METHOTREXATE_WEEKLY)
        notices = list(dict.fromkeys(notices))  # a rule and the head may name the same concern
        return _Decision(label, action, message, reasons, notices, tier, "other" if other else "self", flags, probs,
                         inner or label)

    def _neighbours(self, text: str) -> dict[str, Neighbour]:
        index = self.exemplar_index()
        if index is None or not text.strip():
            return {}
        vector = self.embedder.embed([text], kind="query")[0]
        return index.nearest(vector)

    def _exemplar_decision(self, neighbours: dict[str, Neighbour], facts: Facts) -> Neighbour | None:
        ordinary = neighbours["ordinary"].score if "ordinary" in neighbours else -1.0
        for label in ("crisis", "emergency", "injection", "dosing", "see_doctor_soon"):
            nb = neighbours.get(label)
            if nb is None or nb.score < self.min_score[label] or nb.score - ordinary < self.min_margin[label]:
                continue
            if not exemplar_allowed(label, facts):
                continue  # e.g. "what is toxic epidermal necrolysis?" or "my mole hasn't changed"
            return nb
        return None


class _Decision(NamedTuple):
    label: str
    action: str
    message: str
    reasons: list
    notices: list
    tier: str
    about: str
    flags: list
    probabilities: dict
    inner: str



def _rule_reason(rule: Rule) -> Reason:
    return Reason(kind="rule", name_or_text=rule.name, label=rule.label, score=1.0, description=rule.description)


def _exemplar_reason(nb: Neighbour) -> Reason:
    return Reason(kind="exemplar", name_or_text=nb.text, label=nb.label, score=nb.score,
                  description=f"nearest curated '{nb.label}' example")


__all__ = ["LABELS", "MAX_TRIAGE_CHARS", "PRIORITY", "Reason", "Triage", "Triager", "messages"]
