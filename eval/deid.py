"""De-identification scored on a labelled PHI set: recall per identifier type, precision per detected kind.

A set is JSONL: ``{"id", "text", "phi": [{"text": "exact substring", "type": "name|date|age|address|phone|email|
record_number|accession|national_id|other"}]}`` (eval/datasets/phi_blind1.jsonl). Every identifier must be
labelled, so anything else a redactor removes counts against its precision.

- An identifier is **caught** when every letter and digit of every place it occurs is inside a redacted span;
  for an age only its digits count ("91/F" is caught by "[AGE]/F": the sex is not an identifier).
- A name labelled with its courtesy title or credentials ("Dr. Priya Raman", "Lauren B. Whitfield, MD, FAAD": one
  writer of phi_blind10 labelled them so, the others did not) is caught when the person's name is: titles and
  credentials identify no one, and the redactor keeps them visible on purpose ("Dr [NAME]"). The lists below are
  the scorer's own, not the redactor's.
- A redacted span is **correct** when at least half of its letters and digits lie inside labelled identifiers
  (any type: a date taken for a record number still protects the patient).

    python -m eval.deid eval/datasets/phi_blind1.jsonl [--json] [--rules-only]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

Spans = list[tuple[int, int, str]]


def load(path: str | Path) -> list[dict]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            for p in item.get("phi") or []:
                if p["text"] not in item["text"]:
                    raise ValueError(f"{path} line {n}: '{p['text'][:30]}' is not in the item's text")
            items.append(item)
    return items


_TITLE_PART = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sr|Sister|Nurse)\.?\s+)+", re.I)
_CREDENTIAL_PART = re.compile(r"(?:\s*,?\s*(?:MD|M\.D\.|DO|PhD|MBBS|MBChB|FAAD|FACMS|FACP|FCAP|FRCPC|FRCP|FRCPath|FRCPA|"
                              r"FRACP|MRCP|RN|NP|PA-C|PA|RHIT|CRC|MA|HT\(ASCP\)|Esq)\.?)+\s*$")


def _name_core(label: str) -> tuple[int, int]:
    """(start, end) of the person's name inside a name label, without a leading title or trailing credentials."""
    start = _TITLE_PART.match(label).end() if _TITLE_PART.match(label) else 0
    m = _CREDENTIAL_PART.search(label, start)
    end = m.start() if m and m.start() > start else len(label)
    return start, end


def _alnum(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


def own_spans(text: str, learned: bool = True) -> Spans:
    from assistant.phi import find_phi

    return [(s.start, s.end, s.kind) for s in find_phi(text, learned=learned)]


def rule_spans(text: str) -> Spans:
    """The rules alone, without the learned name tagger (for comparison)."""
    return own_spans(text, learned=False)


def score(items: Iterable[dict], spans_of: Callable[[str], Spans] = own_spans) -> dict:
    by_type = defaultdict(lambda: [0, 0])  # type -> [caught, total]
    by_kind = defaultdict(lambda: [0, 0])  # detected kind -> [correct, total]
    missed: list[tuple[str, str, str]] = []
    wrong: list[tuple[str, str, str]] = []
    for item in items:
        text = item["text"]
        spans = spans_of(text)
        covered = set().union(*(_alnum(text, s, e) for s, e, _ in spans)) if spans else set()
        labelled: set[int] = set()
        for p in item.get("phi") or []:
            occ = [m.start() for m in re.finditer(re.escape(p["text"]), text)]
            lo, hi = _name_core(p["text"]) if p["type"] == "name" else (0, len(p["text"]))
            chars = set().union(*(_alnum(text, o + lo, o + hi) for o in occ))
            if p["type"] == "age":
                chars = {i for i in chars if text[i].isdigit()}
            labelled |= chars
            ok = chars <= covered
            by_type[p["type"]][0] += ok
            by_type[p["type"]][1] += 1
            if not ok:
                missed.append((item["id"], p["type"], p["text"]))
        for s, e, kind in spans:
            chars = _alnum(text, s, e)
            ok = not chars or len(chars & labelled) * 2 >= len(chars)
            by_kind[kind][0] += ok
            by_kind[kind][1] += 1
            if not ok:
                wrong.append((item["id"], kind, text[s:e]))
    caught = sum(v[0] for v in by_type.values())
    total = sum(v[1] for v in by_type.values())
    right = sum(v[0] for v in by_kind.values())
    found = sum(v[1] for v in by_kind.values())
    return {
        "recall": round(caught / total, 4) if total else None, "identifiers": total,
        "precision": round(right / found, 4) if found else None, "spans": found,
        "recall_by_type": {t: {"recall": round(c / n, 4), "n": n} for t, (c, n) in sorted(by_type.items())},
        "precision_by_kind": {k: {"precision": round(c / n, 4), "n": n} for k, (c, n) in sorted(by_kind.items())},
        "missed": missed, "wrong": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.deid", description=__doc__.split("\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ap.add_argument("--rules-only", action="store_true", help="score the rules without the learned name tagger")
    args = ap.parse_args(argv)
    try:
        result = score(load(args.dataset), rule_spans if args.rules_only else own_spans)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as e:
        print(f"error: {e}. Give a JSONL file of {{id, text, phi: [{{text, type}}]}} items.", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0
    print(f"identifiers {result['identifiers']}  recall {result['recall']}  |  redacted spans {result['spans']}  "
          f"precision {result['precision']}")
    for t, v in result["recall_by_type"].items():
        print(f"  recall    {t:14s} {v['recall']:.3f}  (n={v['n']})")
    for k, v in result["precision_by_kind"].items():
        print(f"  precision {k:14s} {v['precision']:.3f}  (n={v['n']})")
    print(f"missed {len(result['missed'])}, wrongly removed {len(result['wrong'])} (values not printed; use --json "
          "on synthetic data only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
