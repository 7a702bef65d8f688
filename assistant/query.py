"""One ``Query`` per message: what it is about (topics), what it asks (aspects) and the conversation it continues.

- **Topics** are the knowledge-base documents the question names: by title, by a condition the document covers,
  or by a synonym, brand name, abbreviation or typing slip that maps to one ("HS", "Humira", "eczma").
  Where one word names several documents, the documents titled after it win ("psoriasis" is the psoriasis
  document, not every medicine used for it).
- **Aspects** are the section kinds asked about (``assistant.aspects``): the learned head over the shipped
  embedder, backed by the rule-based question types. A multi-part question has several.
- **Follow-ups**: a message that names no topic continues the conversation's last topic ("how do I avoid
  them?" after a rosacea question); when its own aspect is unclear ("and on my nails?") the previous aspects
  carry over too. The text retrieval sees then carries the topic's name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .vocabulary import GLOSSARY_DOC, Vocabulary, phrase_inside, spelling_variant, word_sets
from .question_types import question_types
from .synonyms import expand_query

# rule-based question type -> the aspects it means (the rules back the learned head up)
TYPE_ASPECTS: dict[str, tuple[str, ...]] = {
    "contagious": ("contagious",), "symptoms": ("symptoms",), "causes": ("causes_triggers",),
    "treatment": ("treatment",), "usage": ("how_used",), "diagnosis": ("diagnosis",), "outlook": ("outlook_cure",),
    "side_effects": ("side_effects",), "pregnancy": ("pregnancy",), "time": ("time_to_work",),
    "urgent": ("urgent_help",), "meaning": ("what_it_is",),
}
MAX_TOPICS = 3
MEDICINE_ASPECTS = frozenset({"how_used", "time_to_work", "side_effects", "monitoring", "vaccines_infections"})
CONFIDENT = 0.5  # an aspect the head gives at least this is the follow-up's own; below, the previous ones carry
CLEAR = 0.8  # the head's top aspect at least this sure, and a rule agrees: clear enough to report a gap for


@functools.lru_cache(maxsize=1)
def _everyday() -> frozenset[str]:
    """Words that alone never name the topic (the abstention's generic and stop lists)."""
    w = word_sets()
    return w.generic | w.topic_stop | w.title_stop


@dataclass(frozen=True)
class Topic:
    doc_id: str
    title: str
    rank: int  # 0: the document is titled after it; 1: a condition it covers or a specific word of its title
    phrase: tuple[str, ...]  # the question's words (stemmed) that name it


@dataclass
class Query:
    text: str  # the cleaned message
    search_text: str  # what retrieval sees: the message, plus the carried topic's name for a follow-up
    topics: list[Topic] = field(default_factory=list)
    aspects: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    named: list[tuple[str, ...]] = field(default_factory=list)  # every phrase it names (glossary terms too)
    confident: list[str] = field(default_factory=list)  # the main aspect, when the head and the rules agree on it
    follow_up: bool = False  # the topic (and maybe the aspects) came from the conversation
    context: str = ""  # the earlier message it continues

    @property
    def topic_docs(self) -> list[str]:
        return [t.doc_id for t in self.topics]


def _matches(text: str, vocabulary: Vocabulary) -> dict[str, tuple[int, tuple[str, ...]]]:
    """What the text names in the knowledge base, with its synonyms expanded (``Vocabulary.topic_matches``)."""
    return vocabulary.topic_matches(expand_query(text))


def topics_of(text: str, vocabulary: Vocabulary, matches: dict | None = None) -> list[Topic]:
    """The documents the text is about, best first (see the module docstring). ``matches``: ``_matches`` of
    the text, when already computed."""
    by_phrase: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    for doc_id, (rank, phrase) in (matches if matches is not None else _matches(text, vocabulary)).items():
        if doc_id == GLOSSARY_DOC or doc_id not in vocabulary.titles or rank > 1:
            continue
        if len(phrase) == 1 and rank == 1 and phrase[0] in _everyday():
            continue
        by_phrase.setdefault(phrase, []).append((doc_id, rank))
    topics: list[Topic] = []
    kinds = getattr(vocabulary, "kinds", {})

    def order(kv):  # titled-after first, then the phrase naming fewest documents; a medicine before the
        # condition it treats (it is usually the subject)
        best = min(r for _, r in kv[1])
        at_best = [d for d, r in kv[1] if r == best]
        return best, vocabulary.distinct(at_best), not any(kinds.get(d) == "treatment" for d in at_best), -len(kv[0])

    for phrase, docs in sorted(by_phrase.items(), key=order):
        best = min(r for _, r in docs)
        docs = [d for d, r in docs if r == best]
        titled = [d for d in docs if set(phrase) <= _title_stems(vocabulary, d)]
        if any(t.doc_id in docs for t in topics) or (best >= 1 and any(
                set(phrase) <= _title_stems(vocabulary, t.doc_id) for t in topics)):
            continue  # the phrase is part of a topic already found ("itch" in "biologics for eczema and itch")
        for doc_id in (titled or docs)[:2]:
            if doc_id not in {t.doc_id for t in topics}:
                topics.append(Topic(doc_id, vocabulary.titles[doc_id], best, phrase))
    # a phrase inside a longer one that named a document already (as well) is not a topic of its own
    # ("dermatitis" inside "atopic dermatitis"); a title's own word is ("tinea" inside "tinea capitis", which the
    # antifungals document lists)
    topics = [t for t in topics if not any(o.doc_id != t.doc_id and len(o.phrase) > len(t.phrase) and o.rank <= t.rank
                                           and phrase_inside(t.phrase, o.phrase) for o in topics)]
    return topics[:MAX_TOPICS]


def named_phrases(text: str, vocabulary: Vocabulary, matches: dict | None = None) -> list[tuple[str, ...]]:
    """Every knowledge-base phrase the text names (titles, conditions, glossary terms), as stems."""
    out = []
    for _, (_, phrase) in (matches if matches is not None else _matches(text, vocabulary)).items():
        if phrase not in out and not (len(phrase) == 1 and phrase[0] in _everyday()):
            out.append(phrase)
    # a word inside a longer name the text uses is not a name of its own ("lichen" in "lichen planus")
    return [p for p in out if not any(len(o) > len(p) and phrase_inside(p, o) for o in out)]


def _title_stems(vocabulary: Vocabulary, doc_id: str) -> set[str]:
    from .bm25 import tokenize

    return {spelling_variant(t) for t in tokenize(vocabulary.titles.get(doc_id, ""))}


def build_query(text: str, vocabulary: Vocabulary, *, history: Sequence[dict] | None = None,
                aspects_of: Callable[[str], list[tuple[str, float]]] | None = None) -> Query:
    """The message's ``Query``. ``history``: earlier turns, oldest first, as ``{"role": "user"|"assistant",
    "content": ...}``; ``aspects_of``: the learned aspect head for a text ((aspect, probability), likeliest first)."""
    types = question_types(text)
    learned = aspects_of(text) if aspects_of else []
    rule_aspects = [a for t in types for a in TYPE_ASPECTS.get(t, ())]
    aspects = _merge([a for a, _ in learned], rule_aspects)
    matches = _matches(text, vocabulary)  # one lookup serves the topics and the named phrases
    query = Query(text=text, search_text=text, topics=_medicine_first(topics_of(text, vocabulary, matches), aspects,
                                                                   vocabulary), aspects=aspects, types=types,
                  named=named_phrases(text, vocabulary, matches),
                  confident=[a for a, p in learned[:1] if p >= CLEAR and a in rule_aspects])
    if not history or (query.topics and not _points_back(text, query.topics)
                       and not _guides_only(query.topics, vocabulary)):
        return query
    own = query.topics
    for turn in reversed(list(history)):
        if turn.get("role") != "user" or not str(turn.get("content", "")).strip():
            continue
        earlier = str(turn["content"])
        topics = _medicine_first(topics_of(earlier, vocabulary), query.aspects, vocabulary)
        if not topics:
            continue
        if own:  # "does that mean he'll get melanoma?": the conversation's topic first, then what it names
            topics = [*topics, *(t for t in own if t.doc_id not in {o.doc_id for o in topics})][:MAX_TOPICS]
        query.topics, query.follow_up, query.context = topics, True, earlier
        query.named = [*query.named, *(t.phrase for t in topics)]
        names = "; ".join(dict.fromkeys(_short_title(t.title) for t in topics[:2]))
        query.search_text = f"{text} ({names})"
        if not learned or learned[0][1] < CONFIDENT:
            # its own aspect is unclear ("and on my nails?"): it asks the previous question's aspects again
            before = build_query(earlier, vocabulary, aspects_of=aspects_of)
            query.aspects = _merge(query.aspects, before.aspects)
            query.types = list(dict.fromkeys([*query.types, *before.types]))
        break
    return query


_POINTER = re.compile(r"\b(?:it|its|that|this|them|they|these|those)\b", re.I)
POINTER_MAX_WORDS = 25


def _points_back(text: str, topics: Sequence[Topic]) -> bool:
    """A short message whose "it", "that", "they"... comes before anything it names points back at the
    conversation ("would that be a steroid?", "does that mean he'll get melanoma?"); "what is psoriasis and is
    it contagious?" does not."""
    pointer = _POINTER.search(text)
    if pointer is None or len(text.split()) > POINTER_MAX_WORDS:
        return False
    low = text.lower()
    named_at = [m.start() for t in topics for m in [re.search(rf"\b{re.escape(t.phrase[0][:4])}", low)] if m]
    return not named_at or pointer.start() < min(named_at)


def _guides_only(topics: Sequence[Topic], vocabulary: Vocabulary) -> bool:
    """The message names only cross-cutting guides (urgent symptoms, pregnancy, skin of colour, mental health):
    in a conversation it asks that about the topic already under way ("when should I get help fast?" after a
    question on hives and lip swelling), so the conversation's topic comes first."""
    kinds = getattr(vocabulary, "kinds", {})
    return all(kinds.get(t.doc_id) == "safety" for t in topics)


def _medicine_first(topics: list[Topic], aspects: Sequence[str], vocabulary: Vocabulary) -> list[Topic]:
    """A question about using a medicine (how it is used, side effects, how long, checks...) that names both the
    medicine and the condition is about the medicine: "protopic for her eczema ... it burns when I put it on"."""
    if not topics or not (set(aspects[:2]) & MEDICINE_ASPECTS):
        return topics
    kinds = getattr(vocabulary, "kinds", {})
    return sorted(topics, key=lambda t: kinds.get(t.doc_id) != "treatment")


def _short_title(title: str) -> str:
    return title.split(" (")[0].split(" - ")[0]


def _merge(*lists: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(a for lst in lists for a in lst))
