"""Own code against well-kept libraries: BM25 (bm25s, rank_bm25), readability (textstat 0.7.8), fuzzy word
matching (rapidfuzz). Self-contained; imports the project from the working tree it sits in.

Run (offline), with the two BM25 libraries installed beside the project, not into it:
  .venv/bin/python -m pip install --no-deps --target /tmp/libcmp bm25s rank_bm25
  PYTHONPATH=/tmp/libcmp .venv/bin/python bench/library_compare.py [--report /tmp/library_compare_report.txt]
(textstat 0.7.8 and rapidfuzz are dependencies of dermassist already.) Measured 2026-12-06 on this 2-core
machine: own BM25 = bm25s in every top-10 (bm25s 0.05 ms a query faster), rank_bm25 16-26x slower and ranks
differently: own kept; readability is textstat with a Markdown clean-up: kept; fuzzy word matching: rapidfuzz gave
difflib's word for 998 of 1,000 lookups (2 ties) 20-24x faster: switched (assistant.vocabulary.closest).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _stats import percentile  # noqa: E402  (bench/ is on the path of a bench script)
from library_compare_fuzzy import fuzzy_section  # noqa: E402
from assistant.bm25 import BM25, tokenize  # noqa: E402
from assistant.chunking import chunk_document  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.knowledge import check_knowledge_base  # noqa: E402
from assistant.synonyms import expand_query  # noqa: E402

K1, B = 1.5, 0.75
OUT: list[str] = []


def say(line: str = "") -> None:
    print(line, flush=True)
    OUT.append(line)


def pearson(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


# ----------------------------------------------------------------------------------------------------- data
def load_corpus():
    settings = Settings(kb_path=ROOT / "knowledge_base")
    docs, problems = check_knowledge_base(settings.kb_path)
    if settings.require_approved:
        docs = [d for d in docs if d.approved]
    chunks = [c for d in docs for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)]
    return settings, docs, problems, chunks


def load_qa():
    return [json.loads(ln) for ln in (ROOT / "eval/datasets/patient_qa.jsonl").read_text().splitlines() if ln.strip()]


# ----------------------------------------------------------------------------------------------------- 1 BM25
def dedup(tokens: list[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def top10(scores: np.ndarray) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:10]
    return [int(i) for i in order if scores[i] > 0]


class OwnImpl:
    name = "own assistant/bm25.py"

    def build(self, texts):
        self.m = BM25(texts, k1=K1, b=B)

    def scores(self, query: str) -> np.ndarray:
        return self.m.scores(query)


class Bm25sImpl:
    def __init__(self, raw_tokens: bool = False):
        self.raw = raw_tokens
        self.name = "bm25s (lucene)" + (" raw query tokens" if raw_tokens else "")

    def build(self, texts):
        import bm25s

        self.m = bm25s.BM25(k1=K1, b=B, method="lucene")
        self.m.index([tokenize(t) for t in texts], show_progress=False)
        self.n = len(texts)

    def scores(self, query: str) -> np.ndarray:
        toks = tokenize(query)
        toks = [t for t in (toks if self.raw else dedup(toks)) if t in self.m.vocab_dict]
        if not toks:
            return np.zeros(self.n, dtype=np.float32)
        return self.m.get_scores(toks)


class RankBm25Impl:
    def __init__(self, raw_tokens: bool = False):
        self.raw = raw_tokens
        self.name = "rank_bm25 BM25Okapi" + (" raw query tokens" if raw_tokens else "")

    def build(self, texts):
        from rank_bm25 import BM25Okapi

        self.m = BM25Okapi([tokenize(t) for t in texts], k1=K1, b=B)

    def scores(self, query: str) -> np.ndarray:
        toks = tokenize(query)
        return self.m.get_scores(toks if self.raw else dedup(toks))


def bm25_section(chunks, qa):
    texts = [c.embed_text for c in chunks]  # what SearchIndex indexes
    chunk_doc = [c.doc_id for c in chunks]
    rows = [r for r in qa if r.get("doc_ids")]
    queries = [expand_query(r["question"]) for r in rows]  # what Retriever.retrieve scores
    gold = [set(r["doc_ids"]) for r in rows]
    n_dup = sum(len(tokenize(q)) != len(set(tokenize(q))) for q in queries)
    say("=" * 100)
    say("1. BM25  (same tokenizer assistant.bm25.tokenize, k1=1.5 b=0.75; index = chunk.embed_text as SearchIndex;")
    say("          query = synonyms.expand_query(question) as Retriever.retrieve; top-k = stable argsort, score > 0)")
    say(f"   corpus: {len(chunks)} chunks from {len(set(chunk_doc))} documents; queries: {len(rows)} questions with "
        f"non-empty doc_ids (of {len(qa)}); {n_dup} queries repeat a token")
    say("   own code scores each distinct query term once; library rows pass the de-duplicated token list unless"
        " marked 'raw'")
    impls = [OwnImpl(), Bm25sImpl(), RankBm25Impl(), Bm25sImpl(raw_tokens=True), RankBm25Impl(raw_tokens=True)]
    results = {}
    for impl in impls:
        builds = []
        for _ in range(3 if "rank_bm25" not in impl.name else 2):
            t0 = time.perf_counter()
            impl.build(texts)
            builds.append(time.perf_counter() - t0)
        all_scores = [np.asarray(impl.scores(q), dtype=np.float64) for q in queries]
        tops = [top10(s) for s in all_scores]
        # latency: every query, timed individually, over repetitions (text in -> top-10 ids out)
        reps = 3 if "rank_bm25" in impl.name else 20
        lat = []
        for _ in range(reps):
            for q in queries:
                t0 = time.perf_counter()
                s = impl.scores(q)
                np.argsort(-s, kind="stable")[:10]
                lat.append(time.perf_counter() - t0)
        results[impl.name] = dict(build=statistics.median(builds), scores=all_scores, tops=tops, lat=lat, reps=reps)

    own = results[OwnImpl.name]
    say()
    say(f"   {'implementation':<38}{'hit@5':>7}{'docR@5':>8}{'MRR@10':>8}{'Jacc10':>8}{'top1=':>7}"
        f"{'build ms':>10}{'p50 ms':>9}{'p95 ms':>9}")
    for name, r in results.items():
        hit5, rec5, mrr = [], [], []
        for t, g in zip(r["tops"], gold):
            docs5 = [chunk_doc[i] for i in t[:5]]
            hit5.append(any(d in g for d in docs5))
            rec5.append(len(set(docs5) & g) / len(g))
            rr = 0.0
            for rank, i in enumerate(t[:10], 1):
                if chunk_doc[i] in g:
                    rr = 1.0 / rank
                    break
            mrr.append(rr)
        jac = [len(set(a) & set(b)) / len(set(a) | set(b)) if (a or b) else 1.0 for a, b in zip(r["tops"], own["tops"])]
        top1 = [(a[:1] == b[:1]) for a, b in zip(r["tops"], own["tops"])]
        r.update(hit5=np.mean(hit5), rec5=np.mean(rec5), mrr=np.mean(mrr), jac=np.mean(jac), top1=np.mean(top1))
        say(f"   {name:<38}{r['hit5']:>7.3f}{r['rec5']:>8.3f}{r['mrr']:>8.3f}{r['jac']:>8.3f}{r['top1']:>7.3f}"
            f"{1000 * r['build']:>10.1f}{1000 * percentile(r['lat'], 50):>9.3f}{1000 * percentile(r['lat'], 95):>9.3f}")
    say("   hit@5: share of questions with a chunk of a gold document in the top 5; docR@5: mean share of the gold")
    say("   documents found in the top 5; MRR@10 by the first gold-document chunk; Jacc10: mean Jaccard of the top-10")
    say("   chunk sets with the own code; top1=: share of queries whose top-1 chunk equals the own code's;")
    tok = []
    for _ in range(3):
        t0 = time.perf_counter()
        [tokenize(t) for t in texts]
        tok.append(time.perf_counter() - t0)
    say(f"   build: median of 2-3 full builds incl. corpus tokenization (tokenization alone {1000 * min(tok):.1f} ms); latency: query text -> top-10, "
        f"{results[OwnImpl.name]['reps']}x{len(queries)} calls (rank_bm25: 3x)")
    # score comparability
    b = results["bm25s (lucene)"]
    rel = [float(np.max(np.abs(s1 * (K1 + 1) - s0)) / max(float(np.max(s0)), 1e-9))
           for s0, s1 in zip(own["scores"], b["scores"])]
    same_order = np.mean([a == c for a, c in zip(own["tops"], b["tops"])])
    say(f"   scores: bm25s 'lucene' leaves out the (k1+1) factor: bm25s x {K1 + 1} vs own, max |diff| / max score per"
        f" query: median {np.median(rel):.1e}, worst {max(rel):.1e} (float32); identical top-10 lists for"
        f" {same_order:.3f} of queries")
    rk = results["rank_bm25 BM25Okapi"]
    corr = [pearson(s0, s1) for s0, s1 in zip(own["scores"], rk["scores"]) if s0.std() > 0]
    say(f"   scores: rank_bm25 vs own (idf log((N-df+.5)/(df+.5)) with an epsilon floor, not lucene's log(1+...)):"
        f" per-query Pearson over all chunks median {np.median(corr):.4f}, min {min(corr):.4f}")
    return results


# ----------------------------------------------------------------------------------------------------- 2 readability
def clear_textstat_caches():
    for mod in list(sys.modules.values()):
        if mod is None or not getattr(mod, "__name__", "").startswith(("textstat", "pyphen")):
            continue
        for obj in list(vars(mod).values()):
            if hasattr(obj, "cache_clear"):
                obj.cache_clear()


def readability_section(chunks, qa):
    import textstat

    from assistant import readability as own

    say()
    say("=" * 100)
    from importlib.metadata import version

    say(f"2. READABILITY  (own assistant/readability.py fkgl/smog vs textstat {version('textstat')} "
        "flesch_kincaid_grade/smog_index on the raw text)")
    say("   NOTE: the own fkgl/smog are not a separate formula: they call textstat.flesch_kincaid_grade/smog_index on")
    say("   readability.plain_text(text) (Markdown headings/tables dropped, bullets and lines ended as sentences,")
    say("   **, __, `, [n] markers removed) and round to 2 decimals. The figures measure that pre-processing.")
    sets = {"(a) KB chunk texts": [c.text for c in chunks],
            "(b) reference answers": [r["reference_answer"] for r in qa if r.get("reference_answer")]}
    sets["(c) synthetic Markdown answers"] = [_as_markdown(t) for t in sets["(b) reference answers"]]
    changed = {k: float(np.mean([own.plain_text(t) != t for t in v])) for k, v in sets.items()}
    say(f"   {'set / measure':<34}{'n':>6}{'MAD':>7}{'Pearson':>9}{'<=8 agree':>11}{'mean own':>10}{'mean lib':>10}"
        f"{'own t/s':>9}{'lib t/s':>9}{'same':>7}{'max|d|':>8}")
    for set_name, texts in sets.items():
        for measure, own_fn, lib_fn in (("FKGL", own.fkgl, textstat.flesch_kincaid_grade),
                                        ("SMOG", own.smog, textstat.smog_index)):
            t_own = t_lib = float("inf")
            for _ in range(3):
                clear_textstat_caches()
                t0 = time.perf_counter()
                a = [own_fn(t) for t in texts]
                t_own = min(t_own, time.perf_counter() - t0)
                clear_textstat_caches()
                t0 = time.perf_counter()
                b = [float(lib_fn(t)) for t in texts]
                t_lib = min(t_lib, time.perf_counter() - t0)
            a_, b_ = np.asarray(a), np.asarray(b)
            mad = float(np.mean(np.abs(a_ - b_)))
            agree = float(np.mean((a_ <= 8) == (b_ <= 8)))
            same = float(np.mean(np.abs(a_ - b_) < 0.01))
            say(f"   {set_name + ' ' + measure:<34}{len(texts):>6}{mad:>7.2f}{pearson(a_, b_):>9.3f}{agree:>11.3f}"
                f"{a_.mean():>10.2f}{b_.mean():>10.2f}{len(texts) / t_own:>9.0f}{len(texts) / t_lib:>9.0f}{same:>7.3f}"
                f"{float(np.max(np.abs(a_ - b_))):>8.2f}")
            if measure == "SMOG":
                z_own, z_lib = float(np.mean(a_ == 0)), float(np.mean(b_ == 0))
                OUT_NOTES.append(f"   {set_name}: SMOG = 0.0 for {z_own:.3f} (own) / {z_lib:.3f} (lib) of texts")
    # sanity: own == textstat(plain_text(text)), rounded
    texts = sets["(a) KB chunk texts"]
    check = np.mean([abs(own.fkgl(t) - (round(float(textstat.flesch_kincaid_grade(own.plain_text(t))), 2)
                                         if own.plain_text(t).strip() else 0.0)) < 1e-9 for t in texts])
    say("   MAD: mean |own - lib|; <=8 agree: share of texts on the same side of grade 8; same: |diff| < 0.01;")
    say("   t/s: texts per second, best of 3 passes, textstat/pyphen caches cleared before each")
    say("   plain_text(t) != t for " + ", ".join(f"{k[:3]} {v:.3f}" for k, v in changed.items()) + " of texts; the KB"
        " ends its bullet lines with full stops, so stripping the markup rarely moves a grade")
    say("   (c) is NOT project data: each reference answer rewritten as answer-shaped Markdown ('## Answer' heading,"
        " one '- ' bullet per sentence without its full stop, '**' on the first word, a ' [1]' marker per bullet)")
    for n in OUT_NOTES:
        say(n)
    say(f"   check: own fkgl == round(textstat.flesch_kincaid_grade(plain_text(t)), 2) for {check:.3f} of chunk texts")


OUT_NOTES: list[str] = []


def _as_markdown(text: str) -> str:
    import re

    parts = [p.strip().rstrip(".") for p in re.split(r"(?<=[.!?])\s+", text) if p.strip()]
    bullets = [f"- **{p.split(' ', 1)[0]}** {p.split(' ', 1)[1] if ' ' in p else ''} [1]" for p in parts]
    return "## Answer\n\n" + "\n".join(bullets)


# ----------------------------------------------------------------------------------------------------- 3 fuzzy
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", default="/tmp/library_compare_report.txt")
    args = ap.parse_args()
    import bm25s
    import rapidfuzz
    import textstat  # noqa: F401
    from importlib.metadata import version

    settings, docs, problems, chunks = load_corpus()
    qa = load_qa()
    say(f"library comparison  (worktree {ROOT}; Python {sys.version.split()[0]}; numpy {np.__version__}; "
        f"bm25s {bm25s.__version__}; rank_bm25 {version('rank_bm25')}; textstat {version('textstat')}; "
        f"rapidfuzz {rapidfuzz.__version__})")
    say(f"knowledge base: {len(docs)} documents ({len(problems)} problems), chunk_size {settings.chunk_size}, "
        f"overlap {settings.chunk_overlap} -> {len(chunks)} chunks; patient_qa.jsonl: {len(qa)} rows")
    bm25_section(chunks, qa)
    readability_section(chunks, qa)
    fuzzy_section(chunks, docs, qa, say)
    Path(args.report).write_text("\n".join(OUT) + "\n")
    print(f"\nreport written to {args.report}")


if __name__ == "__main__":
    main()
