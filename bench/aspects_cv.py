"""Leave-one-writer-out cross-validation of the question-aspect head (assistant/aspects.py).

    .venv/bin/python bench/aspects_cv.py

Each writer's questions are scored by a head trained on the other writers only. Prints how often the most likely
aspect is one the question asks, and the recall of asked aspects at the head's threshold. Asserts nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> None:
    from assistant.aspects import THRESHOLD, cross_validate
    from assistant.embeddings import get_embedder

    r = cross_validate(REPO / "knowledge_base", get_embedder("minilm"))
    print(f"{r['questions']} questions; most likely aspect is one asked: {r['top1_is_asked']:.1%}; "
          f"asked aspects found (p >= {THRESHOLD} or the most likely): {r['aspect_recall']:.1%}")


if __name__ == "__main__":
    main()
