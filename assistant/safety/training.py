"""Build the learned triage head from the team-written training messages (``dermassist triage train``).

Training data: every ``knowledge_base/safety/training/*.jsonl`` file (one writer per file, lines of
``{"text", "label", "writer"}``) plus the curated exemplars (``knowledge_base/safety/exemplars.yaml``). The
labelled test sets (eval/datasets/safety*.jsonl) are never used here. Training is deterministic: same data,
same embedder, same models (lbfgs logistic regression, and an MLP with a fixed seed, in a fixed order).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import KnowledgeBaseError
from ..jsonl import read_jsonl
from .classifier import FEATURES, HEAD_FILE, TriageHead, embed_features, head_text
from .rules import LABELS, label_problem

TRAINING_DIR = Path("safety") / "training"
# Chosen by leave-one-writer-out cross-validation (bench/triage_cv.py): C for the logistic regression, the MLP's
# hidden width, L2 penalty and epochs.
C = 16.0
MAX_ITER = 3000
HIDDEN = 256
ALPHA = 1e-3
EPOCHS = 300
TRAIN_BATCH = 4096  # messages embedded per call when training


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    writer: str


def training_files(kb_path: Path) -> list[Path]:
    folder = Path(kb_path) / TRAINING_DIR
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    exemplars = Path(kb_path) / "safety" / "exemplars.yaml"
    return files + ([exemplars] if exemplars.is_file() else [])


def data_hash(kb_path: Path) -> str:
    """sha256 over the training files' names and bytes, the feature recipe and the hyper-parameters."""
    h = hashlib.sha256(f"{FEATURES}|C={C}|mlp={HIDDEN},{ALPHA},{EPOCHS}|labels={','.join(LABELS)}".encode())
    for f in training_files(kb_path):
        h.update(f.name.encode() + b"\0" + f.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def load_examples(kb_path: Path) -> list[Example]:
    files = training_files(kb_path)
    if not any(f.suffix == ".jsonl" for f in files):
        raise KnowledgeBaseError(f"No triage training data under {Path(kb_path) / TRAINING_DIR}.",
                                 "Train from a source checkout (knowledge_base/safety/training/*.jsonl).")
    out: list[Example] = []
    seen: set[str] = set()
    for f in files:
        if f.suffix == ".yaml":
            from .exemplars import load_exemplars

            rows = [Example(t, lab, "exemplars") for lab, t in load_exemplars(f).pairs()]
        else:
            rows = read_jsonl(
                f, lambda d: Example(str(d["text"]).strip(), str(d["label"]), str(d.get("writer", f.stem))),
                what="a training message", shape='{"text": ..., "label": ..., "writer": ...}',
                check=lambda ex: label_problem(ex.label))
        for ex in rows:
            key = ex.text.lower()
            if ex.text and key not in seen:
                seen.add(key)
                out.append(ex)
    return out


def prepared(kb_path: Path, texts: list[str]) -> list[str]:
    """The texts as the head reads them in use (see classifier.head_text), as they were read when the shipped head
    was trained: without round 15's spoken punctuation and typo tie-break. Those changed the words of a few
    training messages, and the MLP retrained on them was another head (the same crisis and emergency recall, but
    crisis or emergency lines on 134 instead of 87 of 1,613 patient questions; README, round 15), so the head's
    training keeps its reading until a retrained head measures better. In use the triage reads with both."""
    from .spelling import Speller

    speller = Speller(kb_path, slip_ties=False)
    return [head_text(t, speller, spoken_marks=False) for t in texts]


def fit(features: np.ndarray, labels: list[str], c: float = C) -> tuple[list[str], list]:
    """(classes, models): a logistic regression and an MLP on the same features, as lists of (W, b) layers."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    y = np.asarray(labels)
    lr = LogisticRegression(C=c, max_iter=MAX_ITER, class_weight="balanced", random_state=0).fit(features, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, max_iter=EPOCHS, random_state=0).fit(features, y)
    classes = [str(k) for k in lr.classes_]
    assert classes == [str(k) for k in mlp.classes_]
    models = [[(lr.coef_.T, lr.intercept_)], list(zip(mlp.coefs_, mlp.intercepts_))]
    return classes, models


def train(kb_path: Path, embedder, out: Path = HEAD_FILE, *, log=print) -> TriageHead:
    """Embed every training message, fit the head, write it to ``out``; returns the head."""
    t0 = time.perf_counter()
    examples = load_examples(kb_path)
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    log(f"{len(examples)} training messages from {len({e.writer for e in examples})} writers; embedding...")
    # one large batch: the embedder sorts by length across it, so less padding (about a quarter faster)
    feats = embed_features(embedder, prepared(kb_path, texts), batch_size=TRAIN_BATCH)
    classes, models = fit(feats, labels)
    counts = {c: labels.count(c) for c in classes}
    head = TriageHead(classes, models, embedder=embedder.name, data_hash=data_hash(kb_path),
                      train_texts=texts, train_labels=labels, train_vectors=feats[:, : feats.shape[1] // 2],
                      meta={"n": len(texts), "per_class": counts, "C": C, "hidden": HIDDEN,
                            "writers": sorted({e.writer for e in examples})})
    head.save(out)
    log(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - t0:.1f} s; per class {counts}")
    return head


def cross_validate(kb_path: Path, embedder, c: float = C) -> tuple[list[Example], np.ndarray]:
    """Leave-one-writer-out probabilities (rows follow the examples; columns follow LABELS order)."""
    examples = load_examples(kb_path)
    feats = embed_features(embedder, prepared(kb_path, [e.text for e in examples]), batch_size=TRAIN_BATCH)
    labels = np.asarray([e.label for e in examples])
    writers = np.asarray([e.writer for e in examples])
    proba = np.zeros((len(examples), len(LABELS)))
    for w in sorted(set(writers)):
        test = writers == w
        classes, models = fit(feats[~test], list(labels[~test]), c)
        p = TriageHead(classes, models, embedder="", data_hash="", train_texts=[], train_labels=[],
                       train_vectors=np.zeros((0, 0))).proba(feats[test])
        for j, cls in enumerate(classes):
            proba[test, LABELS.index(cls)] = p[:, j]
    return examples, proba
