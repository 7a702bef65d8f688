"""Triage benchmark: latency per question and the confusion matrix on eval/datasets/safety.jsonl.

    .venv/bin/python bench/triage.py                # real MiniLM exemplar similarity + rules
    .venv/bin/python bench/triage.py --rules-only   # rules alone (no embedder)
    .venv/bin/python bench/triage.py --calibrate    # leave-one-out on the exemplar set (training side only)
    .venv/bin/python bench/triage.py --errors       # also list the misclassified cases
    .venv/bin/python bench/triage.py --typos 2      # robustness: 2 random typos per message (seeded)

Prints figures; asserts nothing (the acceptance test is tests/test_safety_eval.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _stats import percentile  # noqa: E402  (bench/ is on the path of a bench script)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def cpu_time_per_triage(triager, cases) -> list[float]:
    """CPU seconds (this thread) per triage with torch on one thread: robust to other processes on the machine,
    which stretch wall-clock figures but not the work done."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        out = []
        for c in cases:
            t0 = time.thread_time()
            triager.triage(c.message)
            out.append((time.thread_time() - t0) * 1000)
        return out
    finally:
        torch.set_num_threads(threads)


def calibrate(triager) -> None:
    """Leave-one-out on the exemplars (training side only): for each class and threshold pair, how many held-out
    exemplars of the class the similarity alone would catch, and how many ordinary / other exemplars it would
    wrongly flag. The thresholds in assistant/safety/__init__.py were read off this table."""
    from assistant.safety import EXEMPLAR_MIN_MARGIN, EXEMPLAR_MIN_SCORE

    from assistant.safety.exemplars import ExemplarIndex, find_exemplars_file, load_exemplars

    index = triager.exemplar_index() or ExemplarIndex(  # with the learned head the exemplars are training data
        load_exemplars(find_exemplars_file(triager.settings.kb_path)), triager.embedder)
    rows = [(label, index.nearest(index.vectors[i], exclude=i)) for i, label in enumerate(index.labels)]
    print("class            min_score: catches/n (false alarms on ordinary exemplars, on all other exemplars) "
          "for margin 0.00 | 0.05 | 0.10")
    for c in EXEMPLAR_MIN_SCORE:
        n = sum(label == c for label, _ in rows)
        for ms in (0.50, 0.55, 0.60, 0.65, 0.70):
            cells = []
            for mm in (0.0, 0.05, 0.10):
                def fires(nb):
                    return nb[c].score >= ms and nb[c].score - nb["ordinary"].score >= mm
                catch = sum(fires(nb) for label, nb in rows if label == c)
                fa_ord = sum(fires(nb) for label, nb in rows if label == "ordinary")
                fa_all = sum(fires(nb) for label, nb in rows if label != c)
                cells.append(f"{catch:2d}/{n} ({fa_ord},{fa_all})")
            mark = "  <- in use" if abs(ms - EXEMPLAR_MIN_SCORE[c]) < 1e-9 else ""
            print(f"{c:16} {ms:.2f}: " + " | ".join(cells) + mark)
        print(f"{'':16} in use: min_score {EXEMPLAR_MIN_SCORE[c]:.2f}, margin {EXEMPLAR_MIN_MARGIN[c]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules-only", action="store_true")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--dataset", default=str(REPO / "eval" / "datasets" / "safety.jsonl"))
    ap.add_argument("--repeat", type=int, default=3, help="timing passes over the dataset")
    ap.add_argument("--typos", type=int, default=0, help="add this many typos to each message (seed 0)")
    args = ap.parse_args()

    from assistant.config import load_settings
    from assistant.embeddings import get_embedder
    from assistant.safety import Triager
    from assistant.safety.evaluation import add_typos, evaluate, load_cases

    settings = load_settings(kb_path=REPO / "knowledge_base")
    t0 = time.perf_counter()
    embedder = None if args.rules_only else get_embedder("minilm")
    triager = Triager(settings, embedder)
    triager.warm_up()
    print(f"embedder: {embedder.name if embedder else 'none (rules only)'}; warm-up "
          f"(model load + exemplar embedding) {time.perf_counter() - t0:.2f} s")
    if args.calibrate:
        calibrate(triager)
        return
    cases = load_cases(Path(args.dataset))
    if args.typos:
        import random

        rng = random.Random(0)
        cases = [c.model_copy(update={"message": add_typos(c.message, args.typos, rng)}) for c in cases]
        print(f"robustness run: {args.typos} random typo(s) per message, e.g. {cases[0].message!r}")
    for c in cases[:5]:  # warm the first-call paths before timing
        triager.triage(c.message)
    times: list[float] = []
    report = None
    for _ in range(max(1, args.repeat)):
        report = evaluate(triager, cases)
        times += [r.seconds for r in report.results]
    ms = [t * 1000 for t in times]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other processes slow every figure)")
    print(f"triage latency over {len(ms)} calls ({len(cases)} questions x {args.repeat}): "
          f"p50 {statistics.median(ms):.2f} ms, p90 {percentile(ms, 90):.2f} ms, p99 {percentile(ms, 99):.2f} ms, "
          f"mean {statistics.fmean(ms):.2f} ms, max {max(ms):.2f} ms")
    if embedder is not None:  # the two parts: one MiniLM query vector, and everything else (rules, speller)
        emb = []
        for c in cases:
            t1 = time.perf_counter()
            embedder.embed([c.message], kind="query")
            emb.append((time.perf_counter() - t1) * 1000)
        print(f"  of which the MiniLM query embedding: p50 {statistics.median(emb):.2f} ms; rules, speller and "
              f"exemplar scoring: about {max(0.0, statistics.median(ms) - statistics.median(emb)):.2f} ms")
    if embedder is not None:
        cpu_ms = cpu_time_per_triage(triager, cases)
        print(f"CPU time per triage, one thread (what the work costs when the machine is busy): "
              f"p50 {statistics.median(cpu_ms):.2f} ms, p90 {percentile(cpu_ms, 90):.2f} ms")
    long_q = "I have eczema on my hands and " + "it itches a lot and " * 100 + "what can I do?"
    lt = [triager.triage(long_q).seconds * 1000 for _ in range(5)]
    print(f"a {len(long_q):,}-character message: median {statistics.median(lt):.2f} ms")
    print()
    print(report.render())
    if args.errors:
        print("\nmisclassified:")
        for r in report.errors():
            print(f"  {r.case.id} true={r.case.label} predicted={r.predicted} reasons={r.reasons[:3]} :: "
                  f"{r.case.message}")


if __name__ == "__main__":
    main()
