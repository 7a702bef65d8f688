"""Which part of a topic a question asks about (its *aspects*), learned over the shipped MiniLM embedder.

The aspects follow the knowledge base's section kinds (``knowledge_base/query/training/ASPECTS.md``): what it is,
symptoms, causes and triggers, treatment, side effects, monitoring, pregnancy... A question may ask several.
The head is one logistic regression per aspect over the question's all-MiniLM-L6-v2 vector, trained on the
team-written paraphrase set in ``knowledge_base/query/training/*.jsonl`` (``dermassist aspects train``), shipped as
``aspect_head.npz`` (plain arrays) and used only with the embedder it was trained on. The grounded generator reads
the aspects off the question vector it already has (one small matrix product per question) and gives the sections
that answer them the same heading bonus as the rule-based question types (``question_types.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .blas import one_blas_thread
from .errors import KnowledgeBaseError
from .jsonl import read_jsonl

HEAD_FILE = Path(__file__).with_name("aspect_head.npz")
TRAINING_DIR = Path("query") / "training"
C = 4.0
THRESHOLD = 0.5  # an aspect counts when its probability reaches this; the most likely one always counts

# aspect -> the knowledge-base section headings that answer it
ASPECT_HEADINGS: dict[str, str] = {
    "what_it_is": r"^what it is|meaning|what the",
    "what_it_treats": r"what it treats",
    "who_gets_it": r"who gets",
    "symptoms": r"symptom|^how it looks$|what it looks like",
    "causes_triggers": r"cause|trigger",
    "contagious": r"contagious",
    "diagnosis": r"diagnos",
    "treatment": r"^treatment|what it treats",
    "self_care": r"self-care|living with",
    "outlook_cure": r"outlook",
    "inheritance": r"who gets|cause",
    "complications": r"complication|linked",
    "urgent_help": r"urgent",
    "how_used": r"how it is used",
    "time_to_work": r"how long",
    "side_effects": r"side effects",
    "monitoring": r"monitoring",
    "pregnancy": r"pregnan",
    "vaccines_infections": r"vaccines|infections",
    "skin_of_colour": r"brown and black skin",
    "children": r"who gets|children",
}
_HEADING_RE = {a: re.compile(p, re.I) for a, p in ASPECT_HEADINGS.items()}



def aspect_names(kb_path: Path) -> list[str]:
    """The aspects as the training folder's ASPECTS.md lists them (the table's first column)."""
    spec = Path(kb_path) / TRAINING_DIR / "ASPECTS.md"
    names = re.findall(r"^\| (\w+) \|", spec.read_text(encoding="utf-8"), re.M) if spec.is_file() else []
    return [n for n in names if n != "aspect"] or list(ASPECT_HEADINGS)


def heading_answers(heading: str, aspects: list[str]) -> bool:
    """Does a section with this heading answer one of the aspects?"""
    return any(a in _HEADING_RE and _HEADING_RE[a].search(heading or "") for a in aspects)


@dataclass(frozen=True)
class Example:
    text: str
    aspects: tuple[str, ...]
    writer: str


def training_files(kb_path: Path) -> list[Path]:
    folder = Path(kb_path) / TRAINING_DIR
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def load_examples(kb_path: Path) -> list[Example]:
    names = set(aspect_names(kb_path))

    def check(ex: Example) -> tuple[str, str] | None:
        unknown = set(ex.aspects) - names
        if unknown or not ex.aspects:
            return (f"has unknown or no aspects {sorted(unknown)}.",
                    f"Use the aspects listed in {TRAINING_DIR / 'ASPECTS.md'}.")
        return None

    out, seen = [], set()
    for f in training_files(kb_path):
        rows = read_jsonl(f, lambda d: Example(str(d["text"]).strip(), tuple(d["aspects"]), str(d.get("writer", f.stem))),
                          what="an aspect example", shape='{"text", "aspects": [...], "topic", "writer"}', check=check)
        for ex in rows:
            if ex.text and ex.text.lower() not in seen:
                seen.add(ex.text.lower())
                out.append(ex)
    if not out:
        raise KnowledgeBaseError(f"No aspect training data under {Path(kb_path) / TRAINING_DIR}.",
                                 "Train from a source checkout (knowledge_base/query/training/*.jsonl).")
    return out


def data_hash(kb_path: Path) -> str:
    h = hashlib.sha256(f"aspects/v1|C={C}|{','.join(aspect_names(kb_path))}".encode())
    for f in training_files(kb_path):
        h.update(f.name.encode() + b"\0" + f.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


class AspectHead:
    def __init__(self, names: list[str], weights: np.ndarray, bias: np.ndarray, *, embedder: str,
                 data_hash: str, meta: dict | None = None) -> None:
        self.names = list(names)
        self.weights = np.asarray(weights, dtype=np.float32)  # (dim, aspects)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.embedder = embedder
        self.data_hash = data_hash
        self.meta = meta or {}

    def proba(self, vectors: np.ndarray) -> np.ndarray:
        with one_blas_thread():
            z = np.asarray(vectors, dtype=np.float32) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def aspects(self, vector: np.ndarray, threshold: float = THRESHOLD) -> list[tuple[str, float]]:
        """(aspect, probability) pairs that count for one query vector, most likely first."""
        p = self.proba(np.asarray(vector).reshape(1, -1))[0]
        order = np.argsort(-p)
        return [(self.names[i], round(float(p[i]), 4)) for n, i in enumerate(order) if n == 0 or p[i] >= threshold]

    def save(self, path: Path = HEAD_FILE) -> None:
        header = {"names": self.names, "embedder": self.embedder, "data_hash": self.data_hash, "meta": self.meta}
        np.savez_compressed(path, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                            weights=self.weights, bias=self.bias)

    @classmethod
    def load(cls, path: Path = HEAD_FILE) -> "AspectHead":
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(bytes(z["header"]).decode())
                return cls(header["names"], z["weights"], z["bias"], embedder=header["embedder"],
                           data_hash=header["data_hash"], meta=header.get("meta", {}))
        except (OSError, KeyError, ValueError) as e:
            raise KnowledgeBaseError(f"Cannot read the aspect head {path}: {e}",
                                     "Rebuild it with `dermassist aspects train`, or restore it from git.") from None


def load_head() -> AspectHead | None:
    return AspectHead.load(HEAD_FILE) if HEAD_FILE.is_file() else None


@cache
def head_for(embedder_name: str) -> AspectHead | None:
    """The shipped head, read once per process, when it was trained with this embedder (else None)."""
    head = load_head()
    return head if head is not None and head.embedder == embedder_name else None


def fit(vectors: np.ndarray, targets: np.ndarray, c: float = C) -> tuple[np.ndarray, np.ndarray]:
    """One balanced logistic regression per aspect column; (weights (dim, aspects), bias (aspects,))."""
    from sklearn.linear_model import LogisticRegression

    w = np.zeros((vectors.shape[1], targets.shape[1]), dtype=np.float32)
    b = np.zeros(targets.shape[1], dtype=np.float32)
    for j in range(targets.shape[1]):
        m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=0)
        m.fit(vectors, targets[:, j])
        w[:, j], b[j] = m.coef_[0], m.intercept_[0]
    return w, b


def _targets(examples: list[Example], names: list[str]) -> np.ndarray:
    return np.asarray([[a in e.aspects for a in names] for e in examples], dtype=int)


def train(kb_path: Path, embedder, out: Path = HEAD_FILE, *, log=print) -> AspectHead:
    t0 = time.perf_counter()
    examples = load_examples(kb_path)
    names = aspect_names(kb_path)
    log(f"{len(examples)} questions from {len({e.writer for e in examples})} writers; embedding...")
    vectors = embedder.embed([e.text for e in examples], kind="query")
    w, b = fit(vectors, _targets(examples, names))
    head = AspectHead(names, w, b, embedder=embedder.name, data_hash=data_hash(kb_path),
                      meta={"n": len(examples), "C": C, "writers": sorted({e.writer for e in examples})})
    head.save(out)
    log(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - t0:.1f} s")
    return head


def cross_validate(kb_path: Path, embedder) -> dict[str, float]:
    """Leave-one-writer-out: how often the most likely aspect is one the question asks, and recall of every
    asked aspect at the threshold. The figures of ``bench/aspects_cv.py``."""
    examples = load_examples(kb_path)
    names = aspect_names(kb_path)
    vectors = embedder.embed([e.text for e in examples], kind="query")
    y = _targets(examples, names)
    writers = np.asarray([e.writer for e in examples])
    top1 = hit = asked = 0
    for wr in sorted(set(writers)):
        test = writers == wr
        w, b = fit(vectors[~test], y[~test])
        p = 1.0 / (1.0 + np.exp(-(vectors[test] @ w + b)))
        yt = y[test]
        top1 += int(yt[np.arange(len(yt)), p.argmax(1)].sum())
        chosen = (p >= THRESHOLD) | (p == p.max(1, keepdims=True))
        hit += int((chosen & (yt == 1)).sum())
        asked += int(yt.sum())
    return {"questions": len(examples), "top1_is_asked": top1 / len(examples), "aspect_recall": hit / asked}
