"""Train the learned name tagger (``dermassist deid train``) from the team-written labelled documents.

Training data: ``knowledge_base/phi/training/*.jsonl``, one writer per file, lines of
``{"id", "text", "phi": [{"text", "type"}]}`` (the format of the eval/datasets PHI sets, which are never used
here). Every candidate word (see ``assistant.phi_names.candidate_words``) inside a labelled name is a positive,
every candidate word outside all labelled identifiers a negative; words inside other identifiers (a street name
in an address) are left out. Deterministic: same data, same model, same lbfgs fit.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import numpy as np

from .errors import KnowledgeBaseError
from .jsonl import read_jsonl
from .phi_names import FEATURES, HEAD_FILE, SINGLE_THRESHOLD, THRESHOLD, NameHead, candidate_words, word_features

TRAINING_DIR = Path("phi") / "training"
# the MLP's width, L2 penalty and epochs, chosen by cross-validation (a logistic regression over the same features
# caught 0.74 of name words at 0.96 precision; this MLP 0.89 at 0.95)
HIDDEN = 64
ALPHA = 1e-2
EPOCHS = 300
TYPES = {"name", "date", "age", "address", "phone", "email", "record_number", "accession", "national_id", "other"}


def training_files(kb_path: Path) -> list[Path]:
    folder = Path(kb_path) / TRAINING_DIR
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def data_hash(kb_path: Path) -> str:
    h = hashlib.sha256(f"{FEATURES}|mlp={HIDDEN},{ALPHA},{EPOCHS}|threshold={THRESHOLD},{SINGLE_THRESHOLD}".encode())
    for f in training_files(kb_path):
        h.update(f.name.encode() + b"\0" + f.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def _problem(doc: dict) -> tuple[str, str] | None:
    if not isinstance(doc.get("text"), str) or not isinstance(doc.get("phi"), list):
        return 'has no "text" string or no "phi" list', 'Write {"id", "text", "phi": [{"text", "type"}]}.'
    for p in doc["phi"]:
        if p.get("type") not in TYPES:
            return f"has an unknown identifier type {p.get('type')!r}", f"Use one of {', '.join(sorted(TYPES))}."
        if not p.get("text") or p["text"] not in doc["text"]:
            return (f"labels {str(p.get('text'))[:40]!r}, which is not in its text",
                    "Label exact substrings (same case, accents and punctuation).")
    return None


def load_documents(kb_path: Path) -> list[tuple[str, dict]]:
    """(writer, document) pairs from every training file."""
    files = training_files(kb_path)
    if not files:
        raise KnowledgeBaseError(f"No name-tagger training data under {Path(kb_path) / TRAINING_DIR}.",
                                 "Train from a source checkout (knowledge_base/phi/training/*.jsonl).")
    out = []
    for f in files:
        for doc in read_jsonl(f, lambda d: d, what="a labelled document",
                              shape='{"id": ..., "text": ..., "phi": [{"text": ..., "type": ...}]}', check=_problem):
            out.append((f.stem, doc))
    return out


def word_labels(doc: dict) -> tuple[list, np.ndarray]:
    """Candidate words of a document and their labels: 1 name, 0 not an identifier, -1 another identifier."""
    text = doc["text"]
    mark = np.zeros(len(text), dtype=np.int8)
    for p in doc["phi"]:
        for m in re.finditer(re.escape(p["text"]), text):
            if p["type"] == "name":
                mark[m.start():m.end()] = 1
            else:
                seg = mark[m.start():m.end()]
                seg[seg == 0] = 2
    words = candidate_words(text)
    labels = np.array([1 if (mark[w.start:w.end] == 1).any() else -1 if (mark[w.start:w.end] == 2).any() else 0
                       for w in words], dtype=np.int8)
    return words, labels


def featurize(docs: list[tuple[str, dict]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and writer of every candidate word that is a name or no identifier at all."""
    xs, ys, gs = [], [], []
    for writer, doc in docs:
        words, labels = word_labels(doc)
        keep = labels >= 0
        if not keep.any():
            continue
        xs.append(word_features(doc["text"], [w for w, k in zip(words, keep) if k]))
        ys.append(labels[keep])
        gs += [writer] * int(keep.sum())
    return np.vstack(xs), np.concatenate(ys), np.asarray(gs)


def fit(x: np.ndarray, y: np.ndarray, threshold: float = THRESHOLD) -> NameHead:
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, max_iter=EPOCHS, random_state=0)
        mlp.fit((x - mean) / scale, y)
    return NameHead(mean, scale, list(zip(mlp.coefs_, mlp.intercepts_)), threshold=threshold)


def train(kb_path: Path, out: Path = HEAD_FILE, *, log=print) -> NameHead:
    t0 = time.perf_counter()
    docs = load_documents(kb_path)
    log(f"{len(docs)} documents from {len({w for w, _ in docs})} writers; reading words...")
    x, y, writers = featurize(docs)
    head = fit(x, y)
    head.data_hash = data_hash(kb_path)
    head.meta = {"words": int(len(y)), "names": int(y.sum()), "hidden": HIDDEN, "alpha": ALPHA,
                 "writers": sorted(set(writers.tolist()))}
    head.save(out)
    log(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - t0:.1f} s; "
        f"{int(y.sum())} name words, {int((y == 0).sum())} other words")
    return head


def cross_validate(x: np.ndarray, y: np.ndarray, writers: np.ndarray) -> np.ndarray:
    """Leave-one-writer-out p(name) for every word."""
    p = np.zeros(len(y))
    for w in sorted(set(writers.tolist())):
        test = writers == w
        p[test] = fit(x[~test], y[~test]).proba(x[test])
    return p
