"""Leave-one-writer-out cross-validation of the learned triage head, and the threshold table behind its tiers.

    .venv/bin/python bench/triage_cv.py            # CV with the shipped C, the tier table and the per-class figures
    .venv/bin/python bench/triage_cv.py --c 1 4 16 # compare regularisation strengths

Each training writer's messages are scored by a head trained on the other writers only, so wording a writer
used is never seen in training: the nearest thing to a blind set that the training data can give. The tier
thresholds in assistant/safety/tiers.py (HEAD_HIGH, HEAD_LOW, HEAD_DECIDE) were read off this table. The blind
test sets (eval/datasets/safety_blind*.jsonl) are never used here. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--c", type=float, nargs="*", help="regularisation strengths to compare")
    ap.add_argument("--errors", type=int, default=0, help="print N missed emergency/crisis messages")
    args = ap.parse_args()

    import numpy as np

    from assistant.embeddings import get_embedder
    from assistant.safety import HEAD_HIGH, HEAD_LOW, combine
    from assistant.safety.rules import LABELS, Facts, fired
    from assistant.safety.spelling import Speller
    from assistant.safety.text import normalise
    from assistant.safety.training import C, cross_validate

    kb = REPO / "knowledge_base"
    embedder = get_embedder("minilm")
    speller = Speller(kb)
    for c in args.c or [C]:
        examples, proba = cross_validate(kb, embedder, c)
        truth = [e.label for e in examples]
        rules = [{r.label for r in fired(Facts(speller.correct(normalise(e.text))))} for e in examples]
        probs = [dict(zip(LABELS, p)) for p in proba]
        head_only = [LABELS[int(np.argmax(p))] for p in proba]
        acc = np.mean([h == t for h, t in zip(head_only, truth)])
        print(f"\nC={c}: {len(examples)} messages, {len({e.writer for e in examples})} writers; head alone "
              f"(argmax) accuracy {acc:.1%}")
        for lab in LABELS:
            rows = [i for i, t in enumerate(truth) if t == lab]
            print(f"  {lab:16s} n={len(rows):4d} head-alone recall {np.mean([head_only[i] == lab for i in rows]):.1%}"
                  f"  rules-alone recall {np.mean([lab in rules[i] for i in rows]):.1%}")
        print("  tier table (HIGH, LOW) -> emergency caught, crisis caught, ordinary with a notice, ordinary "
              "short-circuited, non-urgent short-circuited as urgent")
        for high in (0.5, 0.6, 0.7):
            for low in (0.10, 0.15, 0.20, 0.30):
                hs, ls = {"crisis": high, "emergency": high}, {"crisis": low, "emergency": low}
                out = [combine(p, r, hs, ls) for p, r in zip(probs, rules)]
                caught = {u: np.mean([o[0] == u for o, t in zip(out, truth) if t == u]) for u in ("emergency", "crisis")}
                ordi = [o for o, t in zip(out, truth) if t == "ordinary"]
                notice = np.mean([o[1] == "resources_first" for o in ordi])
                short = np.mean([o[1] == "get_help_now" or o[0] in ("out_of_scope", "injection") for o in ordi])
                wrong_urgent = np.mean([o[1] == "get_help_now" for o, t in zip(out, truth)
                                        if t not in ("emergency", "crisis")])
                print(f"    HIGH {high:.2f} LOW {low:.2f}: emergency {caught['emergency']:.1%}, crisis "
                      f"{caught['crisis']:.1%}, ordinary notice {notice:.1%}, ordinary refused {short:.1%}, "
                      f"urgent false alarm {wrong_urgent:.1%}")
        out = [combine(p, r) for p, r in zip(probs, rules)]
        print(f"  shipped thresholds HIGH {HEAD_HIGH} LOW {HEAD_LOW}:")
        for lab in LABELS:
            rows = [i for i, t in enumerate(truth) if t == lab]
            print(f"    {lab:16s} recall {np.mean([out[i][0] == lab for i in rows]):.1%}")
        if args.errors:
            for u in ("emergency", "crisis"):
                missed = [examples[i].text for i, t in enumerate(truth) if t == u and out[i][0] != u]
                print(f"  missed {u} ({len(missed)}):")
                for m in missed[: args.errors]:
                    print(f"    - {m[:150]}")


if __name__ == "__main__":
    main()
