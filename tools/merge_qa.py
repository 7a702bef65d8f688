"""Merge the team-written question parts (eval/datasets/_parts/qa_*.jsonl) into eval/datasets/patient_qa.jsonl.

    python tools/merge_qa.py          # rewrite patient_qa.jsonl
    python tools/merge_qa.py --check  # exit 1 if patient_qa.jsonl is out of date (run by the tests)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DATASETS = Path(__file__).resolve().parent.parent / "eval" / "datasets"


def merged() -> str:
    rows, seen = [], set()
    for part in sorted((DATASETS / "_parts").glob("qa_*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in seen:
                row["id"] += "-b"
            seen.add(row["id"])
            rows.append(row)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    target = DATASETS / "patient_qa.jsonl"
    text = merged()
    if "--check" in argv:
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run python tools/merge_qa.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} questions to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
