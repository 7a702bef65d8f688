"""Load test of the web app over loopback: simulated users send a mix of patient chat questions and report
explanations through gradio's HTTP API (POST /gradio_api/call/<api>, then read the event stream), each
user waiting for its answer before sending the next. Grounded backend, real MiniLM, real knowledge base.

Phases, each --seconds long (bounded: a phase stops at its deadline and every request has a timeout):
  1. baseline: 1 user sending requests back to back (the unloaded latency);
  2. --users users who pause --think seconds (uniform range) between requests, as people reading answers do;
  3. --users users sending back to back with no pause (saturation: the queue is always full).
Prints requests/s, p50/p95/max latency and errors, overall and per request kind, and the ratios to the
baseline. Targets: zero errors, p95 < 2 s for the 32 users of phase 2.
Usage: python bench/load.py [--users 32] [--seconds 60] [--think 5-15] [--report-share 0.25] [--url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import BENCH_HOME, REPO, free_port, start, stop, wait_ready  # noqa: E402

from _stats import percentile  # noqa: E402  (bench/ is on the path of a bench script)

REQUEST_TIMEOUT_S = 30.0
FALLBACK_REPORT = ("SPECIMEN: Skin, left forearm, shave biopsy.\nDIAGNOSIS: Basal cell carcinoma, nodular type. "
                   "Tumor extends to the deep margin.\nComment: re-excision is suggested.")


def _jsonl(name: str, key: str, limit: int) -> list[str]:
    path = REPO / "eval" / "datasets" / name
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            value = json.loads(line).get(key)
            if isinstance(value, str) and value.strip():
                out.append(value)
        if len(out) >= limit:
            break
    return out


def workload() -> tuple[list[str], list[str]]:
    questions = _jsonl("patient_qa.jsonl", "question", 1000) + _jsonl("safety.jsonl", "message", 1000)
    reports = _jsonl("reports.jsonl", "report", 1000) or [FALLBACK_REPORT]
    return questions or ["Is eczema contagious?"], reports


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"chat": [], "report": []})
    errors: dict[str, int] = field(default_factory=lambda: {"chat": 0, "report": 0})
    examples: list[str] = field(default_factory=list)


async def call(client, base: str, api: str, data: list) -> list:
    """One request through the queue: returns the 'complete' outputs or raises."""
    r = await client.post(f"{base}/gradio_api/call/{api}", json={"data": data})
    r.raise_for_status()
    event_id = r.json()["event_id"]
    event = None
    async with client.stream("GET", f"{base}/gradio_api/call/{api}/{event_id}") as s:
        s.raise_for_status()
        async for line in s.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                payload = line.split(":", 1)[1].strip()
                if event == "error":
                    raise RuntimeError(f"server error event: {payload[:200]}")
                return json.loads(payload)
    raise RuntimeError("event stream ended without a result")


def check(kind: str, out: list) -> None:
    if kind == "chat":
        history = out[1]
        if len(history) < 2 or history[-1]["role"] != "assistant":
            raise RuntimeError("chat returned no answer")
    elif "error-box" in out[0] or "<h3>Summary</h3>" not in out[2]:
        raise RuntimeError(f"report not explained: {out[0][:200]}")


async def user(uid: int, base: str, deadline: float, report_share: float, stats: Stats,
               questions: list[str], reports: list[str], think: tuple[float, float]) -> None:
    import httpx

    rng = random.Random(uid)
    limits = httpx.Limits(max_connections=4)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        if think[1] > 0:  # users arrive spread over the first pause, not all in the same millisecond
            await asyncio.sleep(rng.uniform(0, think[1]))
        while time.perf_counter() < deadline:
            kind = "report" if rng.random() < report_share else "chat"
            data = [rng.choice(reports)] if kind == "report" else [rng.choice(questions), []]
            t0 = time.perf_counter()
            try:
                out = await asyncio.wait_for(call(client, base, "explain" if kind == "report" else "chat", data),
                                             REQUEST_TIMEOUT_S)
                check(kind, out)
                stats.latencies[kind].append(time.perf_counter() - t0)
            except Exception as e:  # counted, never fatal
                stats.errors[kind] += 1
                if len(stats.examples) < 5:
                    stats.examples.append(f"{kind}: {type(e).__name__}: {str(e)[:160]}")
            pause = rng.uniform(*think)
            if pause and time.perf_counter() + pause < deadline:
                await asyncio.sleep(pause)
            elif pause:
                break


async def phase(base: str, users: int, seconds: float, report_share: float,
                think: tuple[float, float] = (0.0, 0.0)) -> tuple[Stats, float]:
    questions, reports = workload()
    stats = Stats()
    t0 = time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(*(user(i, base, deadline, report_share, stats, questions, reports, think)
                           for i in range(users)))
    return stats, time.perf_counter() - t0


def think_range(text: str) -> tuple[float, float]:
    lo, _, hi = text.partition("-")
    lo_f, hi_f = float(lo), float(hi or lo)
    if not 0 <= lo_f <= hi_f:
        raise argparse.ArgumentTypeError("use a range such as 5-15 (seconds), or 0")
    return lo_f, hi_f


def summarise(name: str, stats: Stats, elapsed: float) -> dict:
    rows = {}
    for kind in ("all", "chat", "report"):
        lat = (stats.latencies["chat"] + stats.latencies["report"]) if kind == "all" else stats.latencies[kind]
        errors = sum(stats.errors.values()) if kind == "all" else stats.errors[kind]
        rows[kind] = {"n": len(lat), "rps": len(lat) / elapsed, "p50": percentile(lat, 50), "p95": percentile(lat, 95),
                      "max": max(lat) if lat else float("nan"), "errors": errors}
    print(f"\n{name}: {elapsed:.1f} s")
    print(f"  {'kind':7} {'requests':>8} {'req/s':>7} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'errors':>6}")
    for kind, r in rows.items():
        print(f"  {kind:7} {r['n']:8d} {r['rps']:7.2f} {r['p50']:7.3f} {r['p95']:7.3f} {r['max']:7.3f} "
              f"{r['errors']:6d}")
    for ex in stats.examples:
        print(f"  error example: {ex}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--baseline-seconds", type=float, default=None, help="default: same as --seconds")
    ap.add_argument("--report-share", type=float, default=0.25, help="share of requests that explain a report")
    ap.add_argument("--think", type=think_range, default=(5.0, 15.0),
                    help="seconds a user pauses between requests in phase 2 (range, default 5-15)")
    ap.add_argument("--no-saturation", action="store_true", help="skip phase 3 (no pauses)")
    ap.add_argument("--url", help="an app already running (default: start one on a free loopback port)")
    args = ap.parse_args()
    proc = None
    try:
        base = (args.url or "").rstrip("/")
        if not base:
            port = free_port()
            proc = start(BENCH_HOME, port)
            ready = wait_ready(proc, f"http://127.0.0.1:{port}/")
            base = f"http://127.0.0.1:{port}"
            print(f"server ready in {ready:.1f} s (home {BENCH_HOME}; the index is built there once)")
        asyncio.run(phase(base, 2, 5, args.report_share))  # warm-up, not reported
        print(f"load test against {base}: grounded backend, {args.report_share:.0%} report requests")
        single = summarise("phase 1: 1 user, no pauses (baseline)", *asyncio.run(
            phase(base, 1, args.baseline_seconds or args.seconds, args.report_share)))
        lo, hi = args.think
        many = summarise(f"phase 2: {args.users} concurrent users, {lo:g}-{hi:g} s pause between requests",
                         *asyncio.run(phase(base, args.users, args.seconds, args.report_share, args.think)))
        s_, m = single["all"], many["all"]
        print(f"  vs baseline: p50 x{m['p50'] / s_['p50']:.1f}, p95 x{m['p95'] / s_['p95']:.1f}")
        if not args.no_saturation:
            sat = summarise(f"phase 3: {args.users} concurrent users, no pauses (saturation)", *asyncio.run(
                phase(base, args.users, args.seconds, args.report_share)))["all"]
            print(f"  vs baseline: throughput x{sat['rps'] / s_['rps']:.2f}, p50 x{sat['p50'] / s_['p50']:.1f}, "
                  f"p95 x{sat['p95'] / s_['p95']:.1f}")
        verdict = "PASS" if m["errors"] == 0 and m["p95"] < 2.0 else "MISS"
        print(f"\ntargets (0 errors, p95 < 2 s with {args.users} users, phase 2): {verdict} "
              f"({m['errors']} errors, p95 {m['p95']:.2f} s)")
    finally:
        if proc is not None:
            stop(proc)


if __name__ == "__main__":
    main()
