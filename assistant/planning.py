"""Answer plans: which passages an answer may draw on, given what the question is about and what it asks.

For a question that names a topic (``assistant.query``), the answer draws first from the topic's own document:
the sections that answer the asked aspects (``aspects.ASPECT_HEADINGS``), whole, in aspect order, marked
``planned``. Retrieved passages stay only when they are from a topic document or name the topic themselves
(the pregnancy document's methotrexate paragraph); text about another condition is dropped, never shown
unlabelled. An aspect the topic's documents have no section for is a *gap*: the answer says so and offers the
sections they do have. A question that names no topic keeps to the document its passages score best for and
the passages that name its subject, and says which guidance that is (``Plan.inferred``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .vocabulary import GLOSSARY_DOC, phrase_inside, spelling_variant, title_head
from .aspects import heading_answers
from .bm25 import tokenize
from .query import Query
from .types import Hit

MAX_PLANNED = 2  # section chunks the plan adds
ASPECT_KINDS = frozenset({"condition", "treatment"})  # documents laid out in aspect sections (what it is, ...)
MAX_PASSAGES = 8
# aspects whose section headings are reliable enough to say "the guidance has nothing on this"
GAP_ASPECTS = frozenset({"contagious", "diagnosis", "monitoring", "pregnancy", "time_to_work", "side_effects",
                         "how_used", "symptoms", "causes_triggers", "vaccines_infections", "skin_of_colour"})
# what is asked of a medicine: a condition document says it in its treatment section, under no heading of its own
TREATMENT_SECTION_ASPECTS = frozenset({"time_to_work", "side_effects", "monitoring", "how_used"})
ASPECT_WORDS = {
    "what_it_is": "what it is", "what_it_treats": "what it treats", "who_gets_it": "who gets it",
    "symptoms": "symptoms", "causes_triggers": "causes and triggers", "contagious": "whether it is contagious",
    "diagnosis": "how it is diagnosed", "treatment": "treatment", "self_care": "self-care",
    "outlook_cure": "the outlook", "inheritance": "whether it runs in families",
    "complications": "linked conditions", "urgent_help": "when to get urgent help", "how_used": "how it is used",
    "time_to_work": "how long it takes to work", "side_effects": "side effects", "monitoring": "monitoring",
    "pregnancy": "pregnancy and breastfeeding", "vaccines_infections": "vaccines and infections",
    "skin_of_colour": "how it looks on brown and black skin", "children": "children",
}


@dataclass
class Plan:
    hits: list[Hit]
    planned_sections: list[tuple[str, str]] = field(default_factory=list)  # (doc id, heading)
    dropped: list[str] = field(default_factory=list)  # chunk ids of passages about something else
    gaps: list[str] = field(default_factory=list)  # asked aspects no topic document has a section for
    offer: list[str] = field(default_factory=list)  # section headings the topic's document does have
    definition_only: bool = False  # the term is only defined in the glossary: show the definition, labelled
    inferred: str = ""  # the question named no topic: the title of the document the answer keeps to

    def gap_note(self, title: str) -> str:
        if not self.gaps:
            return ""
        asked = " or ".join(ASPECT_WORDS.get(a, a.replace("_", " ")) for a in self.gaps)
        have = ", ".join(h[:1].lower() + h[1:] for h in self.offer[:5])
        name = title.split(" (")[0].split(" on a ")[0]
        return (f"I don't have vetted information on {asked} for {name}."
                + (f" I can tell you about {have}." if have else ""))


def names_topic(hit: Hit, phrases: Sequence[tuple[str, ...]]) -> bool:
    """The passage itself names one of the things the question names (as stemmed word phrases)."""
    pieces = [[spelling_variant(w) for w in tokenize(p)] for p in _PIECES.split(f"{hit.heading}. {hit.text}")]
    present = {w for p in pieces for w in p}
    # the words in a row, within one clause ("cold sore", not "a cold, a sore throat")
    return any(set(p) <= present and (len(p) == 1 or any(phrase_inside(p, words) for words in pieces)) for p in phrases)


_PIECES = re.compile(r"[,.;:!?()\n]+")


def plan_passages(query: Query, hits: Sequence[Hit], chunks: Sequence,
                  siblings: dict[str, list[str]] | None = None, kinds: dict[str, str] | None = None) -> Plan:
    """The passages for the answer (see the module docstring). ``chunks``: the index's chunks, in document
    order. A gap is reported only for an aspect asked clearly (``Query.confident``). ``siblings``: report-reading
    document -> condition documents about the same disease, whose sections answer what the report document does
    not ("is the basal cell carcinoma on my biopsy report contagious?"). ``kinds``: document id -> kind
    (``Vocabulary.kinds``); the hits' own kinds fill in for documents it lacks."""
    if not query.topics:
        # no document named, but a term ("spongiotic dermatitis"): prefer passages that use it, if any do
        on_term = [h for h in hits if query.named and names_topic(h, query.named)]
        if query.named and on_term and all(h.doc_id == GLOSSARY_DOC for h in on_term):
            # only the glossary knows the term ("verruca"): a definition, labelled as such, and nothing else
            return Plan(hits=on_term[:1], dropped=[h.chunk_id for h in hits if h is not on_term[0]],
                        definition_only=True)
        return _closest_topic(hits, siblings or {}, on_term)

    topic_docs = query.topic_docs
    siblings = siblings or {}
    related = [s for d in topic_docs[:1] for s in siblings.get(d, []) if s not in topic_docs][:1]
    # what the question is about, by name: its topics and the longer names it uses, not a passing word ("bed",
    # "patches", "blisters") that any passage may mention
    phrases = [*(t.phrase for t in query.topics), *(p for p in query.named if len(p) > 1)]
    kinds = {**{h.doc_id: h.kind for h in hits}, **(kinds or {})}
    # a question is never answered from another disease's document, even where that text mentions what it is
    # about (rosacea's diagnosis section names lupus as a look-alike; a blistering disease's section names the
    # biopsy report); only a question about medicines alone may use a disease document's passage naming them
    medicines_only = all(kinds.get(d) == "treatment" for d in topic_docs)
    twins = {s for d in topic_docs for s in siblings.get(d, [])}  # a report topic's condition twin (and related)
    kept, dropped = [], []
    about_a_medicine = any(h.doc_id == topic_docs[0] and h.kind == "treatment" for h in hits)
    for h in hits:
        other_medicine = about_a_medicine and h.kind == "treatment" and h.doc_id not in topic_docs
        # a question about one medicine is answered from its own document, not another medicine's text
        own = h.doc_id in topic_docs or h.doc_id in twins
        other_disease = not own and not medicines_only and _disease(h.doc_id, kinds, siblings)
        on_topic = own or (not other_disease and names_topic(h, phrases))
        (kept if not other_medicine and on_topic else dropped).append(h)
    # the topic's own sections for the asked aspects that no passage found covers yet
    covered = {(h.doc_id, a) for h in kept for a in query.aspects if heading_answers(h.heading, [a])}
    headings = {d: list(dict.fromkeys(c.heading for c in chunks if c.doc_id == d)) for d in [*topic_docs, *related]}
    planned: list[Hit] = []
    sections: list[tuple[str, str]] = []
    have = {h.chunk_id for h in kept}
    found_docs = {h.doc_id for h in kept}
    own = topic_docs[:2]
    for aspect in query.aspects:
        # the report document's sibling only for what the named documents have no section on
        extra = [d for d in related if not any(heading_answers(hd, [aspect]) for o in own for hd in headings[o])]
        for doc_id in [*own, *extra]:
            if (doc_id, aspect) in covered or (kinds.get(doc_id) not in ASPECT_KINDS and doc_id in found_docs):
                # a guide not laid out by aspect (skin of colour, reading a report) that answered already: its
                # first section on the aspect would be added whatever the question asked
                continue
            for c in chunks:
                if (c.doc_id == doc_id and heading_answers(c.heading, [aspect]) and len(planned) < MAX_PLANNED
                        and c.chunk_id not in have):
                    have.add(c.chunk_id)
                    planned.append(Hit(chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, kind=c.kind,
                                       heading=c.heading, text=c.text, dense_score=0.0, bm25_score=0.0, score=0.0,
                                       rank=0, planned=True))
                    if (doc_id, c.heading) not in sections:
                        sections.append((doc_id, c.heading))
    main = topic_docs[0]
    def has_section(aspect: str) -> bool:
        return any(heading_answers(hd, [aspect]) for d in [*topic_docs, *related] for hd in headings[d])

    # a medicine asked about through a condition ("minoxidil ... how long before it works", pattern hair loss) is
    # described in the condition's treatment section, which has no heading of its own for how long it takes
    gaps = [a for a in query.confident if a in GAP_ASPECTS and a in query.aspects
            and not (a in TREATMENT_SECTION_ASPECTS and has_section("treatment"))
            and not has_section(a) and not any(heading_answers(h.heading, [a]) for h in kept)]
    offer = [hd for hd in headings[main] if not hd.lower().startswith("questions to ask")]
    out = [h.model_copy(update={"rank": i + 1}) for i, h in enumerate([*kept, *planned][:MAX_PASSAGES])]
    return Plan(hits=out, planned_sections=sections, dropped=[h.chunk_id for h in dropped], gaps=gaps, offer=offer)


def _disease(doc_id: str, kinds: dict[str, str], siblings: dict[str, list[str]]) -> bool:
    """A document about one disease: a condition document, or a report document with a condition twin ("Basal
    cell carcinoma on a biopsy report"); not a medicine, a safety topic or a general report-reading guide."""
    return doc_id != GLOSSARY_DOC and (kinds.get(doc_id) == "condition" or bool(siblings.get(doc_id)))


def _title_head(title: str) -> list[tuple[str, ...]]:
    """The names a document's title gives its subject ("Hand eczema and pompholyx (dyshidrotic eczema)" -> hand
    eczema; pompholyx), as stem phrases."""
    parts = (tuple(spelling_variant(w) for w in tokenize(p)) for p in re.split(r",| and | or ", title_head(title)))
    return [p for p in parts if p]


def _closest_topic(hits: Sequence[Hit], siblings: dict[str, list[str]], on_term: Sequence[Hit] = ()) -> Plan:
    """A question that names nothing the knowledge base is about ("tiny itchy blisters on the sides of my
    fingers") is answered from the document its passages found score best for (their scores summed; passages
    using a term the question names, ``on_term``, count twice), its report/condition twin, passages that name
    that document's subject and the glossary's definition of the term; never from a mix of conditions (pemphigus
    next to pompholyx). The answer says which guidance it keeps to (``Plan.inferred``)."""
    named = {h.chunk_id for h in on_term}
    weight: dict[str, float] = {}
    titles: dict[str, str] = {}
    for h in hits:
        if h.doc_id != GLOSSARY_DOC:  # a passage that uses the term the question names counts twice
            weight[h.doc_id] = weight.get(h.doc_id, 0.0) + h.score * (2 if h.chunk_id in named else 1)
            titles.setdefault(h.doc_id, h.title)
    if not weight:
        return Plan(hits=list(hits))
    # a glossary entry found counts for the document its term names ("Erythema nodosum" -> erythema nodosum and
    # panniculitis, not the sarcoidosis passage that also mentions sore shins)
    for g in (h for h in hits if h.doc_id == GLOSSARY_DOC):
        term = g.model_copy(update={"text": ""})
        for doc_id, title in titles.items():
            if names_topic(term, _title_head(title)):
                weight[doc_id] += g.score
    best = max(weight.values())
    top = next(h for h in hits if weight.get(h.doc_id) == best)  # the documents' summed scores; ties: rank
    family = {top.doc_id, *siblings.get(top.doc_id, [])}
    head = _title_head(top.title)
    kinds = {h.doc_id: h.kind for h in hits}
    # another disease's passage is not kept for naming this one (a look-alike in its diagnosis section)
    kept = [h for h in hits if h.doc_id in family
            or (head and names_topic(h, head) and not _disease(h.doc_id, kinds, siblings))
            or (h.doc_id == GLOSSARY_DOC and h.chunk_id in named)]  # the definition of the term it names
    kept.sort(key=lambda h: h.doc_id not in family)  # the document's own passages lead the answer
    return Plan(hits=[h.model_copy(update={"rank": i + 1}) for i, h in enumerate(kept)],
                dropped=[h.chunk_id for h in hits if h not in kept], inferred=top.title)
