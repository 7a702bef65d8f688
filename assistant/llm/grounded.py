"""The default generator, no LLM: select, order and cite sentences from the retrieved passages.

Every sentence of the answer is a sentence of the vetted knowledge base, so it cannot invent facts.
Sentences are scored by similarity to the question, by word overlap, and by whether the passage's
section heading fits the question type (what is / symptoms / causes / treatment / contagious / ...).
"""

from __future__ import annotations

import re

import numpy as np

from ..bm25 import tokenize
from ..embeddings import Embedder, get_embedder
from .base import Generation, GenerationRequest, Generator, split_sentences

# question type -> (pattern in the question, pattern in the section heading)
QUESTION_TYPES: dict[str, tuple[str, str]] = {
    "contagious": (r"contagious|infectious|catch|spread(ing)? (it )?to|pass (it )?on|give it to", r"contagious"),
    "symptoms": (r"symptom|look(s)? like|signs?\b|feel like|what happens", r"symptom|looks"),
    "causes": (r"\bcause|why do|why does|trigger|reason|how do (i|you) get", r"cause|trigger"),
    "treatment": (r"treat|cure|medicine|medication|cream|get rid|therapy|manage|help with|what can i (do|use)",
                  r"treatment|how it is used|self-care|what it treats"),
    "diagnosis": (r"diagnos|\btest|biopsy|how do (they|doctors) know", r"diagnos"),
    "outlook": (r"go away|outlook|forever|permanent|last|outgrow|life ?long|worse", r"living|outlook|self-care"),
    "side_effects": (r"side effect|safe|risk|danger|harm", r"side effects|monitoring"),
    "pregnancy": (r"pregnan|breastfeed|breast-feed|conceive|baby", r"pregnan"),
    "time": (r"how long|when will|work(s)? (fast|quickly)", r"how long"),
    "who": (r"who gets|\bage\b|children|kids|common|inherit|genetic", r"who gets"),
    "urgent": (r"urgent|emergency|a&e|\ber\b", r"urgent"),
    "meaning": (r"what (is|are|does)|what's|mean|define|definition", r"what it is|meaning|what the"),
}
_DANGLING = re.compile(r"^(it|they|these|this|those|that|he|she)\b", re.I)
MAX_PASSAGES = 3
_TYPE_RES = {k: (re.compile(q, re.I), re.compile(h, re.I)) for k, (q, h) in QUESTION_TYPES.items()}


def question_types(question: str) -> list[str]:
    return [k for k, (q, _) in _TYPE_RES.items() if q.search(question)]


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
        candidates = []  # (passage number, position, sentence, heading)
        for n, hit in enumerate(request.passages, start=1):
            for pos, s in enumerate(split_sentences(hit.text)):
                if len(s.split()) >= 4 and not s.endswith("?") and not s.endswith(":"):
                    candidates.append((n, pos, s, hit.heading))
        if not candidates:
            return Generation(text="", cited=[], backend=self.name)
        scores, vecs = self._score(request.question, candidates, len(request.passages))
        chosen = self._select(candidates, scores, vecs, request.max_words)
        by_passage: dict[int, list[tuple[int, str]]] = {}
        for i in chosen:
            n, pos, s, _ = candidates[i]
            by_passage.setdefault(n, []).append((pos, s))
        # passages in order of their best sentence; sentences in document order within a passage
        order = sorted(by_passage, key=lambda n: min(chosen.index(i) for i in chosen if candidates[i][0] == n))
        parts = []
        for n in order:
            sentences = [s for _, s in sorted(by_passage[n])]
            parts.append(" ".join(sentences) + f" [{n}]")
        return Generation(text=" ".join(parts), cited=order, backend=self.name)

    def _score(self, question: str, candidates, n_passages: int) -> tuple[np.ndarray, np.ndarray]:
        texts = [c[2] for c in candidates]
        vecs = self.embedder.embed([question, *texts], kind="document")
        qv, svecs = vecs[0], vecs[1:]
        sim = svecs @ qv
        qwords = set(tokenize(question))
        types = question_types(question)
        scores = np.empty(len(candidates), dtype=np.float32)
        for i, (n, pos, s, heading) in enumerate(candidates):
            overlap = len(qwords & set(tokenize(s))) / (len(qwords) or 1)
            heading_fit = any(_TYPE_RES[t][1].search(heading) for t in types)
            sentence_fit = any(_TYPE_RES[t][0].search(s) for t in types if t != "meaning")
            dangling = bool(_DANGLING.match(s)) and pos > 0  # "It/They/This..." needs the sentence before
            scores[i] = (sim[i] + 0.2 * overlap + 0.25 * heading_fit + 0.1 * sentence_fit
                         + 0.08 * (1.0 - (n - 1) / max(n_passages, 1)) - 0.01 * pos - 0.15 * dangling)
        return scores, svecs

    @staticmethod
    def _select(candidates, scores: np.ndarray, vecs: np.ndarray, max_words: int) -> list[int]:
        chosen: list[int] = []
        words = 0
        floor = float(scores.max()) - 0.35
        for i in np.argsort(-scores):
            i = int(i)
            if scores[i] < floor or len(chosen) >= 7:
                break
            if any(float(vecs[i] @ vecs[j]) > 0.88 for j in chosen):
                continue  # near-duplicate of a sentence already chosen
            n_words = len(candidates[i][2].split())
            if chosen and words + n_words > max_words:
                continue
            passages = {candidates[j][0] for j in chosen}
            if candidates[i][0] not in passages and len(passages) >= MAX_PASSAGES:
                continue
            chosen.append(i)
            words += n_words
        return chosen
