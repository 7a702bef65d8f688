"""LLM pipeline benchmark: the raw client call vs our full pipeline, side by side, against one running server.

For each question (default 30 patient questions), in one run against the same OpenAI-compatible server:
  - raw: one `openai` SDK chat.completions call with exactly the messages our pipeline sends;
  - pipeline: retrieval + prompt + the same call (streamed, through our backend) + the faithfulness guard
    (the grounded answer, the required content and fallback, is built in a worker thread during the call).
Greedy decoding, so both produce the same tokens. Prints latency (mean, p50, p95), the pipeline's overhead
over the raw call beyond retrieval (target <= 15%), tokens/s, guard time per answer and the fallback count.

    .venv/bin/python bench/llm.py                                  # starts `transformers serve` with SmolLM2
    .venv/bin/python bench/llm.py --base-url http://127.0.0.1:8011/v1 --questions 30 --max-tokens 48

Needs the index (`make index`) and, without --base-url, the test model (`make models`). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
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


def questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (REPO / "eval" / "datasets" / "patient_qa.jsonl").read_text().splitlines()
            if line.strip()]
    rows = [r for r in rows if r.get("answerable", True)]
    step = max(1, len(rows) // n)
    return [r["question"] for r in rows[::step][:n]]


def row(name: str, xs: list[float], unit: str = "ms", scale: float = 1000.0) -> str:
    return (f"  {name:<34} mean {statistics.fmean(xs) * scale:8.1f} {unit}   p50 {percentile(xs, 50) * scale:8.1f} {unit}"
            f"   p95 {percentile(xs, 95) * scale:8.1f} {unit}")


def run(base_url: str, args) -> None:
    from openai import OpenAI

    from assistant.config import load_settings
    from assistant.embeddings import get_embedder
    from assistant.llm import GenerationRequest, get_generator
    from assistant.prompts import build_messages
    from assistant.retrieval import Retriever

    settings = load_settings(home=args.home, backend="openai", base_url=base_url, llm_max_tokens=args.max_tokens,
                             request_timeout=args.timeout, model=args.model, top_k=args.top_k)
    embedder = get_embedder(settings.embedder)
    retriever = Retriever(settings, embedder)
    pipeline = get_generator("openai", settings, embedder=embedder)  # guarded
    pipeline.warm_up()
    retriever.warm_up()
    model = pipeline.llm.model_name(time.monotonic() + args.timeout)
    client = OpenAI(base_url=pipeline.llm.base_url, api_key=os.environ.get("DERMASSIST_LLM_API_KEY", "none"),
                    timeout=args.timeout, max_retries=0)

    def raw_call(messages):
        t = time.perf_counter()
        r = client.chat.completions.create(model=model, messages=messages, max_tokens=args.max_tokens,
                                           temperature=0.0)
        return time.perf_counter() - t, r.usage.completion_tokens if r.usage else None

    def full_pipeline(question):
        t = time.perf_counter()
        result = retriever.search(question)
        gen = pipeline.generate(GenerationRequest(question=question, passages=result.hits,
                                                  max_words=settings.answer_max_words))
        return time.perf_counter() - t, result, gen

    qs = questions(args.questions)
    # warm-up (not timed): first call of each path loads models and caches
    _, res, _ = full_pipeline(qs[0])
    raw_call(build_messages(GenerationRequest(question=qs[0], passages=res.hits)))
    raw_s, pipe_s, retr_s, guard_s, grounded_s, llm_s, tokens_raw, tokens_pipe, fallbacks, reasons = (
        [] for _ in range(10))
    for i, q in enumerate(qs, 1):
        pipe_t, result, gen = full_pipeline(q)
        messages = build_messages(GenerationRequest(question=q, passages=result.hits,
                                                    max_words=settings.answer_max_words))
        raw_t, n_raw = raw_call(messages)
        raw_s.append(raw_t)
        pipe_s.append(pipe_t)
        retr_s.append(result.seconds)
        guard_s.append(gen.timings.get("guard", 0.0))
        grounded_s.append(gen.timings.get("grounded", 0.0))
        llm_s.append(gen.timings.get("llm", 0.0))
        tokens_raw.append(n_raw or 0)
        tokens_pipe.append(gen.completion_tokens or 0)
        if gen.fallback_reason:
            fallbacks.append(q)
            reasons.append(gen.fallback_reason.split(":")[0] + ": " + gen.fallback_reason.split(": ", 1)[-1][:40])
        print(f"[{i:2}/{len(qs)}] raw {raw_t:6.2f} s  pipeline {pipe_t:6.2f} s  tokens {n_raw}/{gen.completion_tokens}"
              f"  {'FALLBACK ' + gen.fallback_reason[:60] if gen.fallback_reason else 'llm answer kept'}", flush=True)

    overhead = [p - r - raw for p, r, raw in zip(pipe_s, retr_s, raw_s)]
    print(f"\nLLM benchmark: {len(qs)} questions, server {base_url} (model {model}), max_tokens {args.max_tokens}, "
          f"top_k {args.top_k}, greedy")
    print(row("raw client call (openai SDK)", raw_s))
    print(row("full pipeline", pipe_s))
    print(row("  retrieval", retr_s))
    print(row("  LLM call inside the pipeline", llm_s))
    print(row("  guard per answer (critical path)", guard_s))
    print(row("  grounded + evidence (during call)", grounded_s))
    print(row("overhead beyond retrieval", overhead))
    share = statistics.fmean(overhead) / statistics.fmean(raw_s)
    print(f"  overhead over the raw call: {share:+.1%} of raw latency (target <= 15% plus retrieval time)")
    print(f"  tokens/s: raw {sum(tokens_raw) / sum(raw_s):.1f}, pipeline LLM call {sum(tokens_pipe) / sum(llm_s):.1f} "
          f"(same greedy tokens: {sum(a == b for a, b in zip(tokens_raw, tokens_pipe))}/{len(qs)} replies)")
    print(f"  fallbacks to the grounded answer: {len(fallbacks)}/{len(qs)}")
    for reason, count in sorted(((r, reasons.count(r)) for r in set(reasons)), key=lambda x: -x[1]):
        print(f"    {count:3d} x {reason}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", help="a running OpenAI-compatible server (default: start transformers serve)")
    ap.add_argument("--model", help="model name on the server (default: the first it lists)")
    ap.add_argument("--questions", type=int, default=30)
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--home", default=str(REPO / ".dermassist"), help="folder with the index")
    args = ap.parse_args()
    if args.base_url:
        run(args.base_url, args)
        return
    from tests.llm_servers import TransformersServe, require_test_model  # noqa: F401  (dev tooling)

    t = time.perf_counter()
    with TransformersServe() as server:
        print(f"transformers serve healthy on {server.url} after {time.perf_counter() - t:.1f} s")
        run(server.url, args)


if __name__ == "__main__":
    main()
