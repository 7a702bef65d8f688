"""The curated exemplar set (knowledge_base/safety/exemplars.yaml) and nearest-exemplar similarity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator

from ..embeddings import Embedder
from ..errors import KnowledgeBaseError
from .rules import LABELS

EXEMPLARS_FILE = Path("safety") / "exemplars.yaml"


class ExemplarSet(BaseModel):
    """Class name -> example messages. Every class must be a known triage label."""

    classes: dict[str, list[str]] = Field(min_length=1)

    @field_validator("classes")
    @classmethod
    def _known_labels(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(v) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown class(es) {unknown}; known: {list(LABELS)}")
        cleaned = {k: [s.strip() for s in items if isinstance(s, str) and s.strip()] for k, items in v.items()}
        empty = [k for k, items in cleaned.items() if not items]
        if empty:
            raise ValueError(f"class(es) with no messages: {empty}")
        return cleaned

    def pairs(self) -> list[tuple[str, str]]:
        return [(label, text) for label, items in self.classes.items() for text in items]


def find_exemplars_file(kb_path: Path) -> Path | None:
    """The knowledge base's own exemplar file, else the one shipped with dermassist (tests use tiny KBs)."""
    from ..config import default_kb_path

    for base in (Path(kb_path), default_kb_path()):
        candidate = base / EXEMPLARS_FILE
        if candidate.is_file():
            return candidate
    return None


def load_exemplars(path: Path) -> ExemplarSet:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise KnowledgeBaseError(f"Cannot read triage exemplars {path}: {e}",
                                 "Fix the YAML (see knowledge_base/README.md) or restore the file from git.") from None
    try:
        return ExemplarSet.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        raise KnowledgeBaseError(f"Invalid triage exemplars {path}: {problems}",
                                 "The file needs `classes:` mapping each triage label to a list of messages.") from None


class Neighbour(BaseModel):
    label: str
    text: str
    score: float


class ExemplarIndex:
    """Exemplar vectors, embedded once; ``nearest`` gives the best exemplar per class for a message."""

    def __init__(self, exemplars: ExemplarSet, embedder: Embedder) -> None:
        self.embedder = embedder
        pairs = exemplars.pairs()
        self.labels = [p[0] for p in pairs]
        self.texts = [p[1] for p in pairs]
        self.vectors = embedder.embed(self.texts, kind="query")

    def scores(self, vector: np.ndarray) -> np.ndarray:
        return self.vectors @ vector

    def nearest(self, vector: np.ndarray, exclude: int | None = None) -> dict[str, Neighbour]:
        """Best-scoring exemplar of each class (``exclude`` skips one row, for leave-one-out checks)."""
        sims = self.scores(vector)
        best: dict[str, Neighbour] = {}
        for i in np.argsort(-sims):
            if i == exclude:
                continue
            label = self.labels[i]
            if label not in best:
                best[label] = Neighbour(label=label, text=self.texts[i], score=round(float(sims[i]), 4))
        return best
