"""Cold start of the web app, the way `make run` starts it on a machine that already has the venv:
`dermassist index --quiet && dermassist serve`, timed from launch until the page and API answer.

Prints seconds until the app serves (GET /config answers 200) and until it has answered a first question, for
  - restart: a fresh process, the index already built (the usual `make run`);
  - first run: an empty home folder, so the index is built first (informational).
Restarts are measured --runs times (default 3); the median and worst are printed. The target is < 20 s.
Usage: python bench/startup.py [--runs 3] [--skip-first-run]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import BENCH_HOME, free_port, start, stop, wait_ready  # noqa: E402

TARGET_S = 20.0


def first_answer(base: str) -> None:
    import httpx

    r = httpx.post(f"{base}gradio_api/call/ask", json={"data": ["Is eczema contagious?"]}, timeout=60)
    event_id = r.json()["event_id"]
    with httpx.stream("GET", f"{base}gradio_api/call/ask/{event_id}", timeout=60) as s:
        for line in s.iter_lines():
            if line.startswith("event:") and line.split(":", 1)[1].strip() in ("complete", "error"):
                assert "complete" in line, "the first question failed"
                return


def one(home: Path) -> tuple[float, float]:
    """(seconds until the app serves, seconds until it has answered its first question)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    proc = start(home, port)
    try:
        wait_ready(proc, base)
        served = time.perf_counter() - t0
        first_answer(base)
        return served, time.perf_counter() - t0
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-first-run", action="store_true", help="only time restarts with a built index")
    args = ap.parse_args()
    first = None
    if not args.skip_first_run:
        with tempfile.TemporaryDirectory(prefix="dermassist-startup-") as tmp:
            first = one(Path(tmp) / "home")
    one(BENCH_HOME)  # brings the shared bench index up to date; not reported
    restarts = [one(BENCH_HOME) for _ in range(args.runs)]
    print("dermassist cold start (index --quiet + serve, as `make run`); served = GET /config answers 200")
    if first is not None:
        print(f"  first run, index built from scratch : served {first[0]:6.1f} s, first answer {first[1]:6.1f} s")
    served = [r[0] for r in restarts]
    answered = [r[1] for r in restarts]
    print(f"  restart, index up to date (make run): served median {statistics.median(served):5.1f} s "
          f"(worst {max(served):.1f}), first answer median {statistics.median(answered):5.1f} s "
          f"(worst {max(answered):.1f}) over {len(restarts)} run(s)  [target: served < {TARGET_S:.0f} s]")

if __name__ == "__main__":
    main()
