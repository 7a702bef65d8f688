"""What a question is about, and whether the knowledge base covers it (for sets that list no documents).

Topic names come from two places the assistant does not use for answering: ``eval/data/skin_topics.yaml``
(about 300 skin, hair and nail topics with their lay names, reviewed as data) and the knowledge base's own
front matter (titles, bracketed names, ``conditions``; see ``metrics/planning.topic_names``). A question's
topics are the ones it names (longest names first, so "contact dermatitis" is not "dermatitis"); when it
names none, the first sentence of the reference answer is read instead ("Scabies is an itchy...").

A topic is covered when a knowledge-base document is named after it (by its canonical name or an alias), or,
failing that, when a document mentions it at least ``MENTIONS`` times (isotretinoin inside the acne document,
sunscreen inside sun protection). An item is
"out of coverage" when it names topics and none is covered: declining it is the right behaviour, and the
run counts it apart from false abstention and lists the uncovered topics, so a QA team sees where the
knowledge base must grow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.text.sentences import first_sentence

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "skin_topics.yaml"
MENTIONS = 3  # a document that names a topic this often covers it, even if named after something else


@dataclass
class Coverage:
    topics: list[str] = field(default_factory=list)  # canonical names the item is about
    doc_ids: list[str] = field(default_factory=list)  # knowledge-base documents about them
    covered: bool | None = None  # None: the item names no known topic
    uncovered: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower().replace("\u2019", "'").replace("'s ", "s ")) + " "


@lru_cache(maxsize=2)
def load_topics(path: str = str(TOPICS_FILE)) -> dict[str, tuple[str, ...]]:
    """Canonical topic name -> its names (the canonical one first), from the YAML lexicon."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out: dict[str, tuple[str, ...]] = {}
    for entry in data.get("topics") or []:
        name = str(entry["name"]).strip().lower()
        aliases = [str(a).strip().lower() for a in entry.get("aliases") or []]
        out[name] = tuple(dict.fromkeys(n for n in [name, *aliases] if len(n) >= 3))
    return out


class CoverageFinder:
    def __init__(self, kb_names: dict[str, tuple[str, ...]], topics: dict[str, tuple[str, ...]] | None = None,
                 kb_texts: dict[str, str] | None = None):
        self.kb_names = kb_names
        self.kb_texts = {d: _norm(t) for d, t in (kb_texts or {}).items()}
        self.topics = dict(topics if topics is not None else load_topics())
        for doc_id, names in kb_names.items():  # knowledge-base names are topics too (their doc's title first)
            for n in names:
                if not any(n in ns for ns in self.topics.values()):
                    self.topics.setdefault(n, (n,))
        self._phrases = sorted(((_norm(n).strip(), canon) for canon, ns in self.topics.items() for n in ns),
                               key=lambda pc: -len(pc[0]))
        self._docs: dict[str, list[str]] = {}
        for canon, ns in self.topics.items():
            wanted = {_norm(n).strip() for n in ns}
            self._docs[canon] = [d for d, names in kb_names.items() if wanted & {_norm(n).strip() for n in names}]
        self._mentioned: dict[str, list[str]] = {}

    def docs_for(self, topic: str) -> list[str]:
        """Documents about ``topic``: named after it, or (failing that) mentioning it at least MENTIONS times."""
        if self._docs.get(topic) or not self.kb_texts:
            return self._docs.get(topic, [])
        if topic not in self._mentioned:
            names = [_norm(n).strip() for n in self.topics.get(topic, (topic,))]
            counts = {d: sum(text.count(f" {n} ") for n in names if n) for d, text in self.kb_texts.items()}
            self._mentioned[topic] = [d for d, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c >= MENTIONS][:3]
        return self._mentioned[topic]

    def named(self, text: str) -> list[str]:
        """Canonical topics named in ``text``, longest names first and without overlaps."""
        low = _norm(text)
        found: list[str] = []
        for phrase, canon in self._phrases:
            if phrase and f" {phrase} " in low:
                if canon not in found:
                    found.append(canon)
                low = low.replace(f" {phrase} ", " | ")
        return found

    def find(self, question: str, reference: str = "") -> Coverage:
        topics = self.named(question)
        if not topics and reference:
            first = first_sentence(reference)
            topics = self.named(first)
        if not topics:
            return Coverage()
        docs = list(dict.fromkeys(d for t in topics for d in self.docs_for(t)))
        uncovered = [t for t in topics if not self.docs_for(t)]
        return Coverage(topics=topics, doc_ids=docs, covered=bool(docs), uncovered=uncovered)
