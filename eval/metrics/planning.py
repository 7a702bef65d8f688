"""Is the answer about the right thing and the part asked? Off-topic rate, aspect coverage, follow-ups resolved.

Deliberately independent of the assistant's own planner (``assistant.query`` / ``assistant.planning``): topic
names come straight from the knowledge-base front matter (title, the names in its brackets, ``conditions``) and
the aspect -> section table below is this module's own, so a planner bug cannot mark its own work correct.

- ``off_topic_rate``: of the answered questions with expected documents, the share whose answer cites a
  passage that is neither from an expected document (or one the question names itself) nor names one of their
  topics (a glossary entry counts as on topic when the question names its term).
- ``aspect_coverage``: of the asked aspects (dataset ``aspects``), the share for which the answer cites a
  section of that kind.
- ``follow_up_resolved``: of the questions that continue a conversation (dataset ``history``), the share
  answered from an expected document with no off-topic passage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..results import ItemResult, answered
from ..stats import Stat, means

# aspect -> words of the section headings that answer it (own table; see the module docstring)
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "what_it_is": ("what it is", "what an", "what a ", "meaning", "what the"),
    "what_it_treats": ("what it treats",),
    "who_gets_it": ("who gets",),
    "symptoms": ("symptom", "looks"),
    "causes_triggers": ("cause", "trigger"),
    "contagious": ("contagious",),
    "diagnosis": ("diagnos",),
    "treatment": ("treatment", "what it treats"),
    "self_care": ("self-care", "living with"),
    "outlook_cure": ("living with", "outlook", "treatment"),
    "inheritance": ("who gets", "cause"),
    "complications": ("complication", "linked"),
    "urgent_help": ("urgent",),
    "how_used": ("how it is used",),
    "time_to_work": ("how long",),
    "side_effects": ("side effect",),
    "monitoring": ("monitoring",),
    "pregnancy": ("pregnan",),
    "vaccines_infections": ("vaccine", "infection"),
    "skin_of_colour": ("brown and black",),
    "children": ("who gets", "children", "child"),
}


@lru_cache(maxsize=4)
def _documents(kb_path: str) -> tuple:
    """The knowledge base's documents, read once per run for the topic names and texts below."""
    from assistant.knowledge import check_knowledge_base

    docs, _ = check_knowledge_base(Path(kb_path))
    return tuple(docs)


@lru_cache(maxsize=4)
def topic_names(kb_path: str) -> dict[str, tuple[str, ...]]:
    """Document id -> lower-case names of what it is about (title, bracketed names, conditions)."""
    out = {}
    for d in _documents(kb_path):
        title = d.meta.title.lower()
        main = re.split(r"\s*[(\-]|\s+for\s+|\s+on a\s+|\s+in skin\s+", title)[0]
        bracketed = [n.strip() for part in re.findall(r"\(([^)]*)\)", title) for n in re.split(r",| and ", part)]
        names = {main, *bracketed, *(c.lower() for c in d.meta.conditions)}
        out[d.id] = tuple(n for n in names if len(n) >= 3)
    return out


@lru_cache(maxsize=4)
def kb_texts(kb_path: str) -> dict[str, str]:
    """Document id -> its text, for topics that live inside a document named after something else
    (isotretinoin in the acne document, sunscreen in sun protection)."""
    return {d.id: d.body for d in _documents(kb_path)}  # the body holds its headings too


def _names(text: str, names: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{re.escape(n)}", low) for n in names)


def citation_on_topic(citation: dict, question: str, doc_ids: list[str], names: dict[str, tuple[str, ...]]) -> bool:
    if citation.get("doc_id") in doc_ids or _names(question, names.get(citation.get("doc_id"), ())):
        return True  # from an expected document, or from one the question itself names
    if citation.get("doc_id") == "glossary" and citation.get("heading", "").lower() in question.lower():
        return True
    text = f"{citation.get('heading', '')} {citation.get('text', '')}"
    return any(_names(text, names.get(d, ())) for d in doc_ids)


def covers(heading: str, aspect: str) -> bool:
    low = (heading or "").lower()
    return any(w in low for w in SECTION_WORDS.get(aspect, ()))


def annotate_coverage(results: list[ItemResult], kb_path: Path) -> dict:
    """Topic and coverage of every question (``eval/coverage.py``) into ``details["coverage"]``; returns the
    run's coverage report: items per topic, and the uncovered topics with their counts."""
    from ..coverage import CoverageFinder

    finder = CoverageFinder(topic_names(str(kb_path)), kb_texts=kb_texts(str(kb_path)))
    topics: dict[str, int] = {}
    uncovered: dict[str, int] = {}
    unknown = 0
    for r in results:
        if r.kind != "qa" or not r.ok:
            continue
        cov = finder.find(r.input.get("question", ""), r.input.get("reference_answer") or "")
        if r.input.get("doc_ids"):  # the set names the documents that answer it: covered by definition
            cov.covered, cov.uncovered = True, []
        r.details["coverage"] = {"topics": cov.topics, "doc_ids": cov.doc_ids, "covered": cov.covered}
        unknown += cov.covered is None
        for t in cov.topics:
            topics[t] = topics.get(t, 0) + 1
        if cov.covered is False and r.input.get("answerable", True):
            for t in cov.uncovered:
                uncovered[t] = uncovered.get(t, 0) + 1
    return {"topics": dict(sorted(topics.items(), key=lambda kv: -kv[1])),
            "uncovered_topics": dict(sorted(uncovered.items(), key=lambda kv: -kv[1])),
            "no_known_topic": unknown}


def evaluate(results: list[ItemResult], kb_path: Path) -> dict[str, Stat]:
    names = topic_names(str(kb_path))
    off, coverage, follow = [], [], []
    for r in results:
        if r.kind != "qa" or not r.ok or not r.input.get("answerable", True):
            continue
        # a set without expected documents: the documents about the topics the question names
        doc_ids = r.input.get("doc_ids") or (r.details.get("coverage") or {}).get("doc_ids") or []
        cites = r.output.get("citations") or [] if answered(r) else []
        if doc_ids and answered(r):
            bad = [c for c in cites if not citation_on_topic(c, r.input.get("question", ""), doc_ids, names)]
            r.scores["off_topic"] = float(bool(bad))
            r.details["off_topic_citations"] = [f"{c.get('doc_id')} > {c.get('heading')}" for c in bad]
            off.append(r.scores["off_topic"])
        aspects = r.input.get("aspects") or []
        if aspects:
            got = [a for a in aspects if any(covers(c.get("heading", ""), a) for c in cites)]
            r.scores["aspect_coverage"] = len(got) / len(aspects)
            r.details["aspects_missed"] = [a for a in aspects if a not in got]
            coverage.append(r.scores["aspect_coverage"])
        if r.input.get("history") and doc_ids:
            ok = answered(r) and not r.scores.get("off_topic") and any(c.get("doc_id") in doc_ids for c in cites)
            r.scores["follow_up_resolved"] = float(ok)
            follow.append(r.scores["follow_up_resolved"])
    return means({"off_topic_rate": off, "aspect_coverage": coverage, "follow_up_resolved": follow})
