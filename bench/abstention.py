"""Abstention benchmark: what the abstention check costs per question, and how it decides on the bundled
patient questions (answerable vs unanswerable), rule by rule.

    .venv/bin/python bench/abstention.py            # all of eval/datasets/patient_qa.jsonl
    .venv/bin/python bench/abstention.py --blind    # only the blind parts (qa_blind2_*)
    .venv/bin/python bench/abstention.py --errors   # also list the wrong decisions

Prints figures; asserts nothing (the acceptance test is tests/test_abstention.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from _stats import percentile  # noqa: E402  (bench/ is on the path of a bench script)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", action="store_true", help="only the blind question parts")
    parser.add_argument("--errors", action="store_true", help="list the wrong decisions")
    args = parser.parse_args()

    from assistant.abstention import decide
    from assistant.config import load_settings
    from assistant.retrieval import Retriever

    settings = load_settings()
    retriever = Retriever(settings)
    t0 = time.perf_counter()
    retriever.warm_up()
    build = time.perf_counter() - t0
    rows = [json.loads(line) for line in (REPO / "eval/datasets/patient_qa.jsonl").read_text().splitlines() if line]
    if args.blind:
        rows = [r for r in rows if r["id"].startswith("blind2-")]
    search_s, decide_s, outcome, rules, wrong = [], [], Counter(), Counter(), []
    for r in rows:
        t = time.perf_counter()
        res = retriever.search(r["question"])
        search_s.append(time.perf_counter() - t)
        retriever.vocabulary._fixed.clear()  # time it as on a first sight of the question's words
        t = time.perf_counter()
        decide(r["question"], res.hits, retriever.vocabulary, settings)  # the check alone, again
        decide_s.append(time.perf_counter() - t)
        outcome[(r["answerable"], res.abstain)] += 1
        rules[(r["answerable"], res.abstain_rule or "(answered)")] += 1
        if res.abstain == r["answerable"]:
            wrong.append(f"{'declined' if r['answerable'] else 'answered'}: {r['question'][:80]} | {res.reason}")
    answerable = outcome[(True, True)] + outcome[(True, False)]
    unanswerable = outcome[(False, True)] + outcome[(False, False)]
    declined = outcome[(True, True)] + outcome[(False, True)]
    print(f"{len(rows)} questions ({answerable} answerable, {unanswerable} unanswerable); warm-up incl. "
          f"vocabulary {build:.2f} s")
    print(f"search incl. abstention: p50 {1000 * statistics.median(search_s):.1f} ms, "
          f"p95 {1000 * percentile(search_s, 95):.1f} ms")
    print(f"abstention check alone: p50 {1000 * statistics.median(decide_s):.2f} ms, "
          f"p95 {1000 * percentile(decide_s, 95):.2f} ms")
    if unanswerable:
        print(f"abstention recall {outcome[(False, True)] / unanswerable:.3f} ({outcome[(False, True)]}/{unanswerable})")
    if declined:
        print(f"abstention precision {outcome[(False, True)] / declined:.3f}")
    if answerable:
        print(f"false abstention {outcome[(True, True)] / answerable:.3f} ({outcome[(True, True)]}/{answerable})")
    print("decisions by rule (answerable / unanswerable):")
    for rule in sorted({k[1] for k in rules}):
        print(f"  {rule:22s} {rules[(True, rule)]:4d} / {rules[(False, rule)]:4d}")
    if args.errors:
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
