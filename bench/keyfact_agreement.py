"""How often the key-fact matcher agrees with readers on real answers.

    .venv/bin/python bench/keyfact_agreement.py [FILE.jsonl ...]

Reads labelled (claim, answer, label) pairs (default: eval/datasets/claim_training_real.jsonl, claims from blind
reference answers against the assistant's real answers, labelled stated / partial / absent by three readers) and
prints, per reader label, the share the matcher (eval.keyfacts, the one behind key-fact recall) calls stated.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> None:
    from assistant.embeddings import get_embedder
    from eval.keyfacts import KeyFactMatcher

    files = [Path(f) for f in sys.argv[1:]] or [REPO / "eval" / "datasets" / "claim_training_real.jsonl"]
    matcher = KeyFactMatcher(get_embedder("minilm"))
    for path in files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        matcher.prefetch([([r["claim"]], r["answer"]) for r in rows])
        counts: Counter = Counter((r["label"], matcher.match(r["claim"], r["answer"]).matched) for r in rows)
        print(f"{path.name}: {len(rows)} labelled pairs")
        for label in ("stated", "partial", "absent", "contradicted"):
            n = counts[(label, True)] + counts[(label, False)]
            if n:
                print(f"  reader says {label:12s} n={n:4d}  matcher says stated {counts[(label, True)] / n:.1%}")


if __name__ == "__main__":
    main()
