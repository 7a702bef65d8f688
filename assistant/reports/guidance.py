"""The knowledge base as the report explainer uses it: glossary terms found in a report, and cited sections
and questions from pathology and condition documents.

``Guidance`` reads the knowledge base once (``check_knowledge_base``: documents that are valid are used even
while others are being edited) and keeps everything on the object, so build one per process.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from ..knowledge import doc_sections  # noqa: F401  (re-exported)
from ..text.sentences import DEPENDENT_START, split_prose
from .lexicon import find_mentions

_NEGATED_STATUS = re.compile(r"(?i)\b(?:not|nor)\s*$")
_STATUS_TERM = re.compile(r"(?i)excised|removed|clear|free")


class TermDefinition(BaseModel):
    term: str
    matched: str
    definition: str
    see: str


class CitedText(BaseModel):
    text: str
    doc_id: str
    heading: str
    title: str




def unstated(sentence: str, allowed: set[str]) -> set[str]:
    """Diagnoses the sentence names that the report does not state. A broader word inside an allowed name in
    the same sentence ("the melanoma cells" next to "melanoma in situ") is part of that name, not a new claim."""
    names = {m.dx for m in find_mentions(sentence)}
    ok = names & allowed
    return {n for n in names - allowed if not any(n in a for a in ok)}


class Guidance:
    def __init__(self, kb_path: str | Path) -> None:
        self.kb_path = Path(kb_path)
        self._docs: dict | None = None
        self._sections: dict[str, dict[str, str]] = {}
        self._terms: list = []
        self._term_re: re.Pattern | None = None
        self._term_of: dict[str, object] = {}
        self.problems: list = []

    def load(self) -> "Guidance":
        if self._docs is not None:
            return self
        from ..knowledge import check_knowledge_base

        docs, self.problems = check_knowledge_base(self.kb_path)
        self._docs = {d.id: d for d in docs}
        self._terms = [t for d in docs if d.meta.kind == "glossary" for t in d.terms]
        names = []
        for t in self._terms:
            for name in [t.term, *t.synonyms]:
                key = name.strip().lower()
                if key and key not in self._term_of:
                    self._term_of[key] = t
                    names.append(name.strip())
        if names:
            alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._term_re = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.I)
        return self

    @property
    def has_glossary(self) -> bool:
        return bool(self.load()._terms)

    def title(self, doc_id: str) -> str:
        d = self.load()._docs.get(doc_id)
        return d.title if d else doc_id

    def terms_in(self, text: str) -> list[TermDefinition]:
        """Glossary terms or synonyms found in ``text`` as whole words (case-insensitive), in order of appearance."""
        self.load()
        if self._term_re is None:
            return []
        out, seen = [], set()
        for m in self._term_re.finditer(text or ""):
            t = self._term_of[m.group(0).lower()]
            if _NEGATED_STATUS.search(text[max(0, m.start() - 12):m.start()]) and _STATUS_TERM.search(m.group(0)):
                continue  # "NOT COMPLETELY EXCISED" must not get the definition of a clear margin
            if t.term in seen:
                continue
            seen.add(t.term)
            out.append(TermDefinition(term=t.term, matched=m.group(0), definition=t.definition, see=t.see))
        return out

    def section(self, doc_id: str, heading_words: str) -> tuple[str, str] | None:
        """(heading, body) of the first ``##`` section of ``doc_id`` whose heading contains ``heading_words``."""
        doc = self.load()._docs.get(doc_id)
        if doc is None:
            return None
        if doc_id not in self._sections:
            self._sections[doc_id] = doc_sections(doc.body)
        want = heading_words.lower().replace('"', "")
        for heading, body in self._sections[doc_id].items():
            if want in heading.lower().replace('"', "") and body:
                return heading, body
        return None

    def excerpt(self, doc_id: str, heading_words: str, allowed: set[str], max_sentences: int = 3,
                avoid: re.Pattern | None = None, keep: Callable[[str], bool] | None = None) -> CitedText | None:
        """Up to ``max_sentences`` prose sentences of a section, leaving out any that name a diagnosis not in
        ``allowed``, contain digits (so no number can be mistaken for the report's own) or match ``avoid``."""
        found = self.section(doc_id, heading_words)
        if not found:
            return None
        heading, body = found
        prose = " ".join(ln.strip() for ln in body.splitlines() if ln.strip() and not ln.lstrip().startswith("-"))
        picked = []
        previous_kept = False  # a sentence leaning on the one before ("They...", "It...") needs that one kept
        for s in split_prose(prose):
            dependent = bool(DEPENDENT_START.match(s))
            ok = (s and not s.endswith(":") and not re.search(r"\d", s) and not (avoid and avoid.search(s))
                  and not unstated(s, allowed) and not (keep and not keep(s))
                  and (previous_kept or not dependent))
            previous_kept = bool(ok)
            if not ok:
                continue
            picked.append(s)
            if len(picked) >= max_sentences:
                break
        if not picked:
            return None
        return CitedText(text=" ".join(picked), doc_id=doc_id, heading=heading, title=self.title(doc_id))

    def questions(self, doc_id: str, allowed: set[str], avoid: re.Pattern | None = None,
                  limit: int = 3, keep: Callable[[str], bool] | None = None) -> list[CitedText]:
        found = self.section(doc_id, "questions to ask")
        if not found:
            return []
        heading, body = found
        out = []
        for ln in body.splitlines():
            q = ln.strip()
            if not q.startswith("- "):
                continue
            q = q[2:].strip()
            if avoid and avoid.search(q):
                continue
            if unstated(q, allowed) or (keep and not keep(q)):
                continue
            out.append(CitedText(text=q, doc_id=doc_id, heading=heading, title=self.title(doc_id)))
            if len(out) >= limit:
                break
        return out
