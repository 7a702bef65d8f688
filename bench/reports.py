"""Report explainer benchmark: latency over eval/datasets/reports.jsonl on the grounded (no LLM) path.

    .venv/bin/python bench/reports.py               # 5 rounds over the set after one warm-up pass
    .venv/bin/python bench/reports.py --rounds 20   # more samples
    .venv/bin/python bench/reports.py --stages      # also the mean time of each stage
    .venv/bin/python bench/reports.py --adversarial # worst cases: ~50,000-character inputs built to be slow

Prints figures; asserts nothing (the acceptance tests are tests/test_reports_dataset.py). The first explanation
in a process also reads the knowledge base; that cold start is printed on its own line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from _stats import percentile  # noqa: E402  (bench/ is on the path of a bench script)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default=str(REPO / "eval" / "datasets" / "reports.jsonl"))
    ap.add_argument("--kb-path", default=str(REPO / "knowledge_base"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--stages", action="store_true")
    ap.add_argument("--adversarial", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from assistant.reports.explain import Explainer

    import_s = time.perf_counter() - t0
    items = [json.loads(ln) for ln in Path(args.dataset).read_text(encoding="utf-8").splitlines() if ln.strip()]
    ex = Explainer(kb_path=args.kb_path)
    t1 = time.perf_counter()
    ex.warm_up()
    warm_s = time.perf_counter() - t1
    t1 = time.perf_counter()
    ex.explain(items[0]["report"])
    first_s = time.perf_counter() - t1
    for it in items:  # warm-up pass (regex compilation, textstat import)
        ex.explain(it["report"])

    times, stages, chars, failed = [], {}, [], 0
    for _ in range(args.rounds):
        for it in items:
            t = time.perf_counter()
            exp = ex.explain(it["report"])
            times.append((time.perf_counter() - t) * 1000)
            chars.append(len(it["report"]))
            failed += not exp.fidelity.passed
            for k, v in exp.timings.items():
                stages.setdefault(k, []).append(v * 1000)
    grades = [ex.explain(it["report"]).readability_grade for it in items]

    print(f"reports: {len(items)} x {args.rounds} rounds = {len(times)} explanations "
          f"(report length {min(chars)}-{max(chars)} characters)")
    print(f"cold start: import {import_s * 1000:.0f} ms; warm_up (knowledge base, syllable dictionary, name tagger) "
          f"{warm_s * 1000:.0f} ms; first explanation {first_s * 1000:.0f} ms")
    print(f"latency ms: p50 {percentile(times, 50):.1f}  p95 {percentile(times, 95):.1f}  max {max(times):.1f}  "
          f"mean {statistics.mean(times):.1f}  (target p50 < 200)")
    print(f"throughput: {1000 / statistics.mean(times):.1f} reports/s on one core")
    print(f"fidelity failures: {failed}; summary FKGL mean {statistics.mean(grades):.2f} "
          f"(min {min(grades):.2f}, max {max(grades):.2f}; target mean <= 8)")
    if args.stages:
        for k, v in stages.items():
            print(f"  stage {k:8s} mean {statistics.mean(v):6.2f} ms  p95 {percentile(v, 95):6.2f} ms")
    if args.adversarial:
        _adversarial(ex, items)


def _adversarial(ex, items) -> None:
    from assistant.errors import InputError

    tail = " melanoma, shave biopsy of the skin, margin"
    cases = {
        "long run of spaces": "DIAGNOSIS:" + tail + " " * 45000 + "x",
        "dotted digits": "DIAGNOSIS:" + tail + " " + "1.2." * 11000,
        "repeated labels": "Patient: " * 5000 + "DIAGNOSIS:" + tail,
        "capitalised words": "DIAGNOSIS:" + tail + " " + "Smith Jones Brown " * 2500,
        "one huge word": "DIAGNOSIS: Dr " + "A" * 45000 + tail,
        "800 specimens": "DIAGNOSIS:\n" + "\n".join(f"{chr(65 + i % 8)}. Skin, left arm, shave: psoriasis." for i in range(800)),
        "30 reports pasted": "\n".join(it["report"] for it in items[:30])[:49000],
    }
    print("adversarial inputs (about 50,000 characters each):")
    for name, text in cases.items():
        t = time.perf_counter()
        try:
            ex.explain(text[:50000])
            outcome = "explained"
        except InputError as e:
            outcome = f"refused: {e.message[:50]}"
        print(f"  {name:20s} {(time.perf_counter() - t) * 1000:8.0f} ms  {outcome}")


if __name__ == "__main__":
    main()
