"""Safety triage before retrieval: emergency, crisis, see a doctor soon, dosing, out of scope, injection, ordinary.

``Triager(settings, embedder).triage(text) -> Triage``. Transparent by construction: named rules over
negation-aware phrase families (rules.py, concepts.py) decide first; similarity to the curated exemplars in
``knowledge_base/safety/exemplars.yaml`` catches paraphrases the rules miss. Every decision lists the rules
and exemplars that fired, with scores.
"""

from __future__ import annotations

import threading
import time
from typing import Literal

from pydantic import BaseModel, Field

from ..config import Settings
from ..embeddings import Embedder
from ..errors import InputError
from . import messages
from .exemplars import ExemplarIndex, Neighbour, find_exemplars_file, load_exemplars
from .injection import strip_injection
from .spelling import Speller
from .rules import LABELS, LOW_MOOD_RULE, SIDE_EFFECT_MOOD_RULE, Facts, Rule, exemplar_allowed, fired
from .text import normalise

Label = Literal["emergency", "crisis", "see_doctor_soon", "dosing", "out_of_scope", "injection", "ordinary"]
Action = Literal["answer", "answer_with_notice", "short_circuit"]

# Highest first. Crisis and emergency beat everything; a message with no skin topic is out of scope even
# when it asks about a dose ("what dose of amlodipine...").
PRIORITY: tuple[str, ...] = ("crisis", "emergency", "out_of_scope", "dosing", "see_doctor_soon")
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
    """Why a label was chosen: a named rule (score 1.0) or the nearest curated exemplar (cosine score)."""

    kind: Literal["rule", "exemplar"]
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
    inner_label: Label | None = Field(None, description="for injection: the label of the rest of the message")
    seconds: float = 0.0

    @property
    def short_circuit(self) -> bool:
        return self.action == "short_circuit"


class Triager:
    """Loads the exemplars lazily, once (thread-safe). Without an embedder it runs on rules alone."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, *,
                 min_score: dict[str, float] | None = None, min_margin: dict[str, float] | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.min_score = {**EXEMPLAR_MIN_SCORE, **(min_score or {})}
        self.min_margin = {**EXEMPLAR_MIN_MARGIN, **(min_margin or {})}
        self._index: ExemplarIndex | None = None
        self._speller = Speller(settings.kb_path)
        self._loaded = False
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self.exemplar_index()
        self._speller.correct("warm up")

    def exemplar_index(self) -> ExemplarIndex | None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    path = find_exemplars_file(self.settings.kb_path) if self.embedder is not None else None
                    if path is not None:
                        self._index = ExemplarIndex(load_exemplars(path), self.embedder)
                    self._loaded = True
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
        label, reasons, notices = self._classify(rest if injection_reasons else text)
        if injection_reasons and label not in ("crisis", "emergency"):
            result = self._injection_result(rest, label, reasons, injection_reasons, notices)
        else:
            reasons = [*reasons, *injection_reasons]
            result = Triage(label=label, action=_ACTION[label], message=_STANDARD_MESSAGE[label], notices=notices,
                            reasons=reasons, question=text)
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

    def _classify(self, text: str, neighbours: dict[str, Neighbour] | None = None
                  ) -> tuple[str, list[Reason], list[str]]:
        facts = Facts(self._speller.correct(normalise(text)))
        rules = fired(facts)
        reasons = [_rule_reason(r) for r in rules]
        labels = {r.label for r in rules}
        neighbours = self._neighbours(text) if neighbours is None else neighbours
        notices: list[str] = []
        label = next((lab for lab in PRIORITY if lab in labels), None)
        if label is None:
            hit = self._exemplar_decision(neighbours, facts)
            if hit is not None:
                label = hit.label
                reasons.append(_exemplar_reason(hit))
        if label is None:
            label = "ordinary"
            support = [r for r in (SIDE_EFFECT_MOOD_RULE, LOW_MOOD_RULE) if r.test(facts)]
            if support:
                reasons.append(_rule_reason(support[0]))
                notices.append(messages.MOOD_SUPPORT)
            elif "ordinary" in neighbours:
                reasons.append(_exemplar_reason(neighbours["ordinary"]))
        elif label in neighbours and not any(r.kind == "exemplar" for r in reasons):
            reasons.append(_exemplar_reason(neighbours[label]))  # supporting evidence, shown with its score
        # A second non-urgent concern keeps its own notice: a dosing question about a changing mole gets both.
        for other in ("dosing", "see_doctor_soon"):
            if other != label and other in labels and label in ("dosing", "see_doctor_soon"):
                notices.append(_STANDARD_MESSAGE[other])
        dose_talk = "dosing" in (label, *labels) or facts.mentions("dose_question", "every_other")
        if dose_talk and facts.mentions("methotrexate") and label not in ("crisis", "emergency"):
            notices.append(messages.METHOTREXATE_WEEKLY)
        shown = {label} | ({"dosing", "see_doctor_soon"} & labels if label in ("dosing", "see_doctor_soon") else set())
        return label, [r for r in reasons if r.label in shown], notices

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


def _rule_reason(rule: Rule) -> Reason:
    return Reason(kind="rule", name_or_text=rule.name, label=rule.label, score=1.0, description=rule.description)


def _exemplar_reason(nb: Neighbour) -> Reason:
    return Reason(kind="exemplar", name_or_text=nb.text, label=nb.label, score=nb.score,
                  description=f"nearest curated '{nb.label}' example")


__all__ = ["LABELS", "MAX_TRIAGE_CHARS", "PRIORITY", "Reason", "Triage", "Triager", "messages"]
