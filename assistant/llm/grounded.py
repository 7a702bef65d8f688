"""The default generator, no LLM: select, order and cite sentences from the retrieved passages.

Every sentence of the answer is a sentence of the vetted knowledge base, so it cannot invent facts.
Selection works on *units*: a sentence plus the sentences right after it that lean on it ("It...",
"But...", "Use them..."), so no sentence is ever shown without the sentence it depends on. Units are
scored by similarity to the question, word overlap, the passage's retrieval strength, and whether the
section heading fits the question type (what is / symptoms / causes / treatment / contagious / ...) or, where it
does not, whether the learned aspect head reads the unit itself as answering the asked aspect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..bm25 import tokenize
from ..embeddings import Embedder, get_embedder
from ..aspects import heading_answers
from ..question_types import heading_fits, question_types, sentence_fits
from ..synonyms import expand_query
from ..text.sentences import DEPENDENT_START
from .base import Generation, GenerationRequest, Generator, split_sentences

MAX_PASSAGES = 3
MAX_UNITS = 12
MAX_UNIT_SENTENCES = 3
SCORE_WINDOW = 0.45  # units scoring further below the best one are left out
MIN_WORDS = 160  # ...unless the answer is shorter than this and they come from a passage already cited
UNIT_CACHE = 50_000  # unit vectors kept per process (about 75 MB at 384 floats)
PLANNED = 0.1  # a section the answer plan added (the topic's own section for an asked aspect)
LEAD = 0.05  # ...and the section's opening sentence, which usually gives the direct answer
SAYS = 0.3  # a unit the aspect head reads as answering an asked aspect, in a section whose heading does not fit...
FIT = 0.25  # (the bonus of a section whose heading fits the question)
SAYS_MAX = FIT - 0.05  # ...never as much as a section that answers it: the same sentence under a fitting heading wins
SAYS_SEED = 0.5  # a multi-part question's part may be answered by such a unit when no section heading fits it


@dataclass
class Unit:
    passage: int  # 1-based passage number
    pos: int  # position of the unit's first sentence in the passage
    sentences: list[str]
    heading: str
    lead: str = ""  # for a list item: the line that introduces the list ("... can cause:")

    @property
    def text(self) -> str:
        """What the unit says, with the list's introduction in front of an item (scored and counted so)."""
        return " ".join([self.lead, *self.sentences] if self.lead else self.sentences)

    @property
    def words(self) -> int:
        return len(self.text.split())


_BULLET = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")


def build_units(n: int, text: str, heading: str) -> list[Unit]:
    """Group each sentence with the dependent sentences that follow it; drop orphans at the start.

    A list item carries the line that introduces its list ("Using a strong steroid for a long time can
    cause:"), so an item is never shown without what it is a list of; the introduction is shown once before
    the items chosen from it. Items whose introduction was cut off by chunking stand alone."""
    units: list[Unit] = []
    pos = 0
    lead = ""  # the last line that ended with ":", while its list goes on
    for line in text.splitlines():
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if bullet and lead:
            item = split_sentences(line)
            if item and len(" ".join(item).split()) >= 2:
                units.append(Unit(passage=n, pos=pos, sentences=item, heading=heading, lead=lead))
            pos += len(item)
            continue
        lead = ""
        for s in split_sentences(line):
            here, pos = pos, pos + 1
            if s.endswith(":"):
                lead = s
                continue
            if len(s.split()) < 3:
                continue
            if DEPENDENT_START.match(s):
                last = units[-1] if units else None
                if (last and not last.lead and last.pos + len(last.sentences) == here
                        and len(last.sentences) < MAX_UNIT_SENTENCES):
                    last.sentences.append(s)
                continue  # an orphan (its antecedent was cut off by chunking) is never shown alone
            if s.endswith("?"):
                continue
            units.append(Unit(passage=n, pos=here, sentences=[s], heading=heading))
    return [u for u in units if u.words >= 4]


def join_units(units: list[Unit]) -> str:
    """The units of one passage in order, as Markdown: prose runs on; a list's introduction is shown once, on
    its own line, with its chosen items as bullets under it, as in the knowledge base."""
    out, shown = "", ""
    for u in units:
        if u.lead:
            if u.lead != shown:
                out += ("\n\n" if out else "") + u.lead
            out += "\n- " + " ".join(u.sentences)
        else:
            out += ("\n\n" if shown else " " if out else "") + " ".join(u.sentences)
        shown = u.lead
    return out


class GroundedGenerator(Generator):
    name = "grounded"

    def __init__(self, embedder: Embedder | None = None, embedder_name: str = "minilm") -> None:
        self._embedder = embedder
        self._embedder_name = embedder_name

    @classmethod
    def from_settings(cls, settings, embedder: Embedder | None = None, **kwargs) -> "GroundedGenerator":
        return cls(embedder=embedder, embedder_name=settings.embedder)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self._embedder_name)
        return self._embedder

    def warm_up(self) -> None:
        self.embedder.warm_up()

    def generate(self, request: GenerationRequest) -> Generation:
        units = [u for n, hit in enumerate(request.passages, start=1) for u in build_units(n, hit.text, hit.heading)]
        if not units:
            return Generation(text="", cited=[], backend=self.name)
        scores, vecs, says = self._scored(request, units)
        # consecutive chunks of one section (same document and heading) count as one passage when selecting
        section = {n: (hit.doc_id, hit.heading) for n, hit in enumerate(request.passages, start=1)}
        # the seeds read the asked aspects, the first columns of ``says`` (the scoring reads them too when asked)
        seeds = self._seeds(request, units, scores, says if request.aspects else None)
        chosen = self._select(units, scores, vecs, request.max_words, section, seeds)
        # passages in the order of their best unit; units in document order within a passage
        order: list[int] = []
        for i in chosen:
            if units[i].passage not in order:
                order.append(units[i].passage)
        parts = []
        for n in order:
            mine = sorted((units[i] for i in chosen if units[i].passage == n), key=lambda u: u.pos)
            parts.append(join_units(mine) + f" [{n}]")
        text = parts[0] if parts else ""
        for before, part in zip(parts, parts[1:]):  # a list stands in a paragraph of its own
            in_list = "\n- " in before.split("\n\n")[-1] or "\n- " in part.split("\n\n")[0]
            text += ("\n\n" if in_list else " ") + part
        return Generation(text=text, cited=order, backend=self.name)

    def _score(self, request: GenerationRequest, units: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
        """Each unit's score and vector."""
        scores, vecs, _ = self._scored(request, units)
        return scores, vecs

    def _scored(self, request: GenerationRequest, units: list[Unit]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each unit's score, its vector, and how the aspect head reads it per aspect the scoring used (columns in
        the order of ``request.aspects`` when the request names any, else of the aspects read from the question)."""
        question = request.question
        qv, uvecs = self._vectors(question, [u.text for u in units])
        sim = uvecs @ qv
        qwords = set(tokenize(expand_query(question)))  # "doxy" counts as "doxycycline" in the passages
        types = question_types(question)
        aspects = request.aspects or self._aspects(qv)
        best_bm25 = max((p.bm25_score for p in request.passages), default=0.0) or 1.0
        n_passages = max(len(request.passages), 1)
        top_doc = request.passages[0].doc_id if request.passages else None
        says = self._says(uvecs, aspects)
        scores = np.empty(len(units), dtype=np.float32)
        for i, u in enumerate(units):
            hit = request.passages[u.passage - 1]
            overlap = len(qwords & set(tokenize(u.text))) / (len(qwords) or 1)
            definition = "meaning" in types and hit.kind == "glossary"
            # the section answers what is asked: by the rules' question types or the learned aspects. (A larger
            # weight for the learned aspects lowered key-fact recall on patient_qa: 0.35 -> 0.591, 0.45 -> 0.573.)
            fits = heading_fits(u.heading, types) or heading_answers(u.heading, aspects) or definition
            scores[i] = (sim[i] + 0.2 * overlap + FIT * fits
                         + 0.1 * sentence_fits(u.text, types) + 0.15 * hit.bm25_score / best_bm25
                         + 0.08 * (1.0 - (u.passage - 1) / n_passages) + 0.12 * (hit.doc_id == top_doc)
                         + PLANNED * hit.planned + LEAD * (hit.planned and u.pos == 0) - 0.01 * u.pos
                         + (0.0 if fits else min(SAYS * says[i].max(initial=0.0), SAYS_MAX)))
        return scores, uvecs, says

    def _says(self, unit_vectors: np.ndarray, aspects: list[str]) -> np.ndarray:
        """(units, asked aspects): how strongly the learned aspect head, trained on questions, reads each unit as
        answering each asked aspect. The knowledge base's sections do not cover every aspect ("will it go away?"
        is answered in the "What it is" of one document and the "Who gets it" of another), but a sentence that
        says "many children grow out of it" reads as the outlook wherever it stands."""
        from ..aspects import head_for

        head = head_for(self.embedder.name)
        if head is None or not aspects or not len(unit_vectors):
            return np.zeros((len(unit_vectors), 0), dtype=np.float32)
        proba = head.proba(unit_vectors)
        zero = np.zeros(len(unit_vectors), dtype=np.float32)  # an aspect the head does not know
        return np.stack([proba[:, head.names.index(a)] if a in head.names else zero for a in aspects], axis=1)

    def _vectors(self, question: str, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The question's vector and the units' vectors. A unit is embedded once per process: knowledge-base
        sentences repeat across questions, so after the first questions only the question itself is encoded."""
        cache = self.__dict__.setdefault("_unit_vectors", {})
        known = {t: v for t in texts if (v := cache.get(t)) is not None}  # a local copy: safe across threads
        new = [t for t in dict.fromkeys(texts) if t not in known]
        vecs = self.embedder.embed([question, *new], kind="document")
        known.update(zip(new, vecs[1:]))
        if len(cache) + len(new) > UNIT_CACHE:
            cache.clear()
        cache.update(zip(new, vecs[1:]))
        return vecs[0], np.stack([known[t] for t in texts])

    def _aspects(self, question_vector: np.ndarray) -> list[str]:
        """What the question asks about: the learned aspect head when it matches this embedder (assistant.aspects)."""
        from ..aspects import head_for

        head = head_for(self.embedder.name)
        return [a for a, _ in head.aspects(question_vector)] if head is not None else []

    @staticmethod
    def _seeds(request: GenerationRequest, units: list[Unit], scores: np.ndarray,
               says: np.ndarray | None = None) -> list[int]:
        """For a question that asks several things, the best unit answering each part, so every part gets an
        answer (the rest of the budget goes by score): a unit of a section whose heading answers the part, or one
        the aspect head reads as answering it (``says``, columns in the order of the asked aspects)."""
        if len(request.aspects) < 2:
            return []
        seeds: list[int] = []
        for k, aspect in enumerate(request.aspects[:MAX_PASSAGES]):
            reads = says[:, k] if says is not None and says.shape[1] > k else np.zeros(len(units))
            fits = [i for i, u in enumerate(units) if heading_answers(u.heading, [aspect]) or reads[i] >= SAYS_SEED]
            best = max(fits, key=lambda i: scores[i] + reads[i], default=None)
            if best is not None and best not in seeds:
                seeds.append(best)
        return seeds

    @staticmethod
    def _select(units: list[Unit], scores: np.ndarray, vecs: np.ndarray, max_words: int,
                section: dict[int, tuple[str, str]] | None = None, seeds: list[int] | None = None) -> list[int]:
        group = (lambda n: section.get(n, n)) if section else (lambda n: n)
        chosen: list[int] = list(seeds or [])
        words = sum(units[i].words for i in chosen)
        top = float(scores.max())
        for i in np.argsort(-scores):
            i = int(i)
            if i in chosen:
                continue
            # past the window, only top-up a too-short answer from passages already cited
            if len(chosen) >= MAX_UNITS or scores[i] < top - 2 * SCORE_WINDOW:
                break
            if scores[i] < top - SCORE_WINDOW and (words >= MIN_WORDS or group(units[i].passage) not in
                                                   {group(units[j].passage) for j in chosen}):
                continue
            if any(float(vecs[i] @ vecs[j]) > 0.88 for j in chosen):
                continue  # near-duplicate of a unit already chosen
            if chosen and words + units[i].words > max_words:
                continue
            passages = {group(units[j].passage) for j in chosen}
            if group(units[i].passage) not in passages and len(passages) >= MAX_PASSAGES:
                continue
            chosen.append(i)
            words += units[i].words
        return chosen
