"""The learned triage head: two small models over all-MiniLM-L6-v2 vectors of a message and its clauses.

The head averages the probabilities of a logistic regression and a one-hidden-layer MLP (ReLU) trained on the
same features: in leave-one-writer-out cross-validation the MLP answered more ordinary questions without a
notice and the logistic regression kept crisis recall; the average keeps most of both (bench/triage_cv.py).

Features are ``[v(message), max over clauses of v(clause)]`` (768 numbers): the message vector carries the
overall topic, the clause max lets one buried sentence ("...and I've sorted out who gets my things") count in a
long, rambling message. The head ships as ``triage_head.npz`` (plain arrays, no pickle) next to this file and is
rebuilt by ``dermassist triage train`` (assistant/safety/training.py) from ``knowledge_base/safety/training/``.
It is only used with the embedder it was trained on; with any other embedder triage runs on rules alone. The head
reads the same cleaned, spell-corrected text as the rules (``head_text``), in training and in use, so a typo in
"suiccidal" or "angioeedema" does not move the message vector.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..blas import forward, one_blas_thread
from ..errors import KnowledgeBaseError
from ..text.sentences import split_clauses

HEAD_FILE = Path(__file__).with_name("triage_head.npz")
FEATURES = "msg+clausemax/v2;text=normalised+spell-corrected;ensemble=lr+mlp"
MAX_CLAUSES = 12
_MAX_CLAUSE_CHARS = 400



def clauses(text: str) -> list[str]:
    """The message's clauses (``text.sentences.split_clauses``; at most MAX_CLAUSES, the longest kept)."""
    out = split_clauses(text, max_chars=_MAX_CLAUSE_CHARS)
    if len(out) > MAX_CLAUSES:
        keep = sorted(sorted(range(len(out)), key=lambda i: -len(out[i]))[:MAX_CLAUSES])
        out = [out[i] for i in keep]
    return out


def head_text(text: str, speller, spoken_marks: bool = True) -> str:
    """What the head reads: the message normalised (lower case, no tags or apostrophes) and spell-corrected."""
    from .text import normalise

    return speller.correct(normalise(text, spoken_marks=spoken_marks))


def featurise(message_vecs: np.ndarray, clause_vecs: list[np.ndarray]) -> np.ndarray:
    """(n, 2*dim) features from message vectors and, per message, its clause vectors (may be empty)."""
    rows = []
    for mv, cv in zip(message_vecs, clause_vecs):
        cmax = cv.max(axis=0) if len(cv) else mv
        rows.append(np.concatenate([mv, cmax]))
    return np.asarray(rows, dtype=np.float32)


def _vectors(embedder, texts: list[str], distinct: bool = True) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
    """One embedding call for messages and their clauses: the message vectors, and per message its clause
    vectors and its clauses. ``distinct``: each distinct text embedded once (a one-clause message is its own
    clause: half the work for a short message; the vectors differ only by float rounding)."""
    parts = [clauses(t) for t in texts]
    wanted = [t or " " for t in texts] + [c for p in parts for c in p]
    if distinct:
        unique = list(dict.fromkeys(wanted))
        row = {t: i for i, t in enumerate(unique)}
        vecs = embedder.embed(unique, kind="query")[[row[t] for t in wanted]]
    else:
        vecs = embedder.embed(wanted, kind="query")
    mvecs, rest = vecs[:len(texts)], vecs[len(texts):]
    cvecs, pos = [], 0
    for p in parts:
        cvecs.append(rest[pos:pos + len(p)])
        pos += len(p)
    return mvecs, cvecs, parts


def embed_features(embedder, texts: list[str], batch_size: int = 256) -> np.ndarray:
    """Embed messages and their clauses in one batch per chunk of messages, then build features. Every text is
    embedded as the shipped head's training embedded it (repeats included): batching changes float rounding, and
    the MLP's fit can follow small input differences far enough to stop reproducing the head."""
    feats = []
    for start in range(0, len(texts), batch_size):
        mvecs, cvecs, _ = _vectors(embedder, texts[start:start + batch_size], distinct=False)
        feats.append(featurise(mvecs, cvecs))
    return np.concatenate(feats) if feats else np.zeros((0, 0), dtype=np.float32)


@dataclass(frozen=True)
class Neighbour:
    label: str
    text: str
    score: float


class TriageHead:
    """Coefficients, the training hash, and the training messages' vectors (for the nearest examples)."""

    def __init__(self, classes: list[str], models: list[list[tuple[np.ndarray, np.ndarray]]], *, embedder: str,
                 data_hash: str, train_texts: list[str], train_labels: list[str], train_vectors: np.ndarray,
                 features: str = FEATURES, meta: dict | None = None) -> None:
        self.classes = list(classes)
        # each model is a list of (weights (in, out), bias (out,)) layers with ReLU between them
        self.models = [[(np.asarray(w, dtype=np.float32), np.asarray(b, dtype=np.float32)) for w, b in m]
                       for m in models]
        self.embedder = embedder
        self.data_hash = data_hash
        self.features = features
        self.train_texts = train_texts
        self.train_labels = train_labels
        self.train_vectors = np.asarray(train_vectors, dtype=np.float32)
        self.meta = meta or {}
        labels = np.asarray(self.train_labels)
        self._rows = {c: np.flatnonzero(labels == c) for c in self.classes}  # once, not per message
        self._not_crisis = np.flatnonzero(labels != "crisis")
        self._unit: np.ndarray | None = None  # unit-length training vectors, on the first crisis_margin call

    # -- inference ----------------------------------------------------------------------------------------------
    def proba(self, features: np.ndarray) -> np.ndarray:
        """Mean over the models of each model's softmax."""
        out = np.zeros((len(features), len(self.classes)), dtype=np.float64)
        for layers in self.models:
            z = forward(layers, features)
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            out += e / e.sum(axis=1, keepdims=True)
        return out / max(len(self.models), 1)

    def predict(self, embedder, text: str) -> tuple[dict[str, float], np.ndarray]:
        """Class probabilities for one message, and its message vector (for nearest examples)."""
        probs, vector, _, _ = self.predict_parts(embedder, text)
        return probs, vector

    def predict_parts(self, embedder, text: str) -> tuple[dict[str, float], np.ndarray, tuple[str, float],
                                                          tuple[np.ndarray, list[str]]]:
        """As ``predict``, plus the clause the head reads as most likely a crisis when each clause of a message
        of two or more is read on its own, with that probability (("", 0.0) for a one-clause message), and the
        vectors and texts of the message and (for two or more clauses) each clause, for ``crisis_margin``. The
        clause vectors are the ones the message's features are built from: nothing more is embedded."""
        mvecs, (cvecs,), (parts,) = _vectors(embedder, [text])
        feats = featurise(mvecs, [cvecs])
        with one_blas_thread():
            p = self.proba(feats)[0]
            worst = ("", 0.0)
            if len(parts) >= 2 and "crisis" in self.classes:
                alone = featurise(cvecs, [cvecs[i:i + 1] for i in range(len(parts))])  # each clause as a message
                pc = self.proba(alone)[:, self.classes.index("crisis")]
                worst = (parts[int(pc.argmax())], float(pc.max()))
        several = len(parts) >= 2
        instances = (np.vstack([mvecs[:1], cvecs]) if several else mvecs[:1], [text, *parts] if several else [text])
        return {c: float(p[i]) for i, c in enumerate(self.classes)}, feats[0, : feats.shape[1] // 2], worst, instances

    def crisis_margin(self, instances: tuple[np.ndarray, list[str]]) -> tuple[float, str]:
        """How much closer the message, or its closest clause, is to a crisis training message than to any other
        training message (cosine of the nearest crisis one minus cosine of the nearest other one; the best over the
        instances ``predict_parts`` returned), with that text. Below zero: something that is not a crisis is
        nearer. Nothing is embedded here."""
        vectors, texts = instances
        crisis = self._rows.get("crisis")
        if crisis is None or not len(crisis) or not len(self._not_crisis):
            return 0.0, texts[0]
        if self._unit is None:
            norms = np.linalg.norm(self.train_vectors, axis=1, keepdims=True)
            self._unit = self.train_vectors / np.maximum(norms, 1e-12)
        inst = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        with one_blas_thread():
            sims = self._unit @ inst.T  # (training messages, instances)
        margins = sims[crisis].max(axis=0) - sims[self._not_crisis].max(axis=0)
        best = int(margins.argmax())
        return float(margins[best]), texts[best]

    def clause_margin(self, instances: tuple[np.ndarray, list[str]], clause: str) -> float:
        """``crisis_margin`` of one clause of the message alone (one of the texts ``predict_parts`` returned; a text
        that is not one of its clauses reads as the whole message)."""
        vectors, texts = instances
        i = texts.index(clause, 1) if clause in texts[1:] else 0
        return self.crisis_margin((vectors[i:i + 1], texts[i:i + 1]))[0]

    def nearest(self, vector: np.ndarray, label: str, k: int = 2) -> list[Neighbour]:
        """The k most similar training messages of one class."""
        idx = self._rows.get(label)
        if idx is None or not len(idx):
            return []
        with one_blas_thread():
            sims = self.train_vectors @ vector  # all rows: cheaper than copying one class's rows out first
        best = idx[np.argsort(-sims[idx])[:k]]
        return [Neighbour(label, self.train_texts[i], round(float(sims[i]), 4)) for i in best]

    # -- storage ------------------------------------------------------------------------------------------------
    def save(self, path: Path = HEAD_FILE) -> None:
        header = {"classes": self.classes, "embedder": self.embedder, "data_hash": self.data_hash,
                  "features": self.features, "meta": self.meta, "layers": [len(m) for m in self.models]}
        texts = json.dumps({"texts": self.train_texts, "labels": self.train_labels}, ensure_ascii=False)
        arrays = {f"m{i}_{kind}{j}": arr.astype(np.float32) for i, m in enumerate(self.models)
                  for j, (w, b) in enumerate(m) for kind, arr in (("w", w), ("b", b))}
        np.savez_compressed(
            path, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), **arrays,
            train_vectors=self.train_vectors.astype(np.float16),
            train_texts=np.frombuffer(texts.encode("utf-8"), dtype=np.uint8))

    @classmethod
    def load(cls, path: Path = HEAD_FILE) -> "TriageHead":
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(bytes(z["header"]).decode())
                texts = json.loads(bytes(z["train_texts"]).decode("utf-8"))
                models = [[(z[f"m{i}_w{j}"], z[f"m{i}_b{j}"]) for j in range(n)]
                          for i, n in enumerate(header["layers"])]
                return cls(header["classes"], models, embedder=header["embedder"],
                           data_hash=header["data_hash"], features=header.get("features", ""),
                           train_texts=texts["texts"], train_labels=texts["labels"],
                           train_vectors=z["train_vectors"].astype(np.float32), meta=header.get("meta", {}))
        except (OSError, KeyError, ValueError) as e:
            raise KnowledgeBaseError(f"Cannot read the triage head {path}: {e}",
                                     "Rebuild it with `dermassist triage train`, or restore it from git.") from None


def load_head() -> TriageHead | None:
    """The shipped head, or None when the file is absent (triage then runs on rules alone)."""
    return TriageHead.load(HEAD_FILE) if HEAD_FILE.is_file() else None
