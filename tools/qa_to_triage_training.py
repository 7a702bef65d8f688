"""Write the team's answerable patient questions as 'ordinary' triage training messages.

    .venv/bin/python tools/qa_to_triage_training.py

Source: eval/datasets/_parts/qa_{conditions,treatments,pathology,glossary,safety_docs}*.jsonl (team-written,
answerable). The held-out and blind question parts (qa_heldout_*, qa_blind*_*) are left out on purpose: they stay
an independent check that ordinary questions are not refused (tests/test_safety_eval.py).
Questions that are also triage test messages (eval/datasets/safety*.jsonl) are skipped.
Output: knowledge_base/safety/training/team_patient_questions.jsonl (writer "patient_qa").
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARTS = REPO / "eval" / "datasets" / "_parts"
OUT = REPO / "knowledge_base" / "safety" / "training" / "team_patient_questions.jsonl"
SOURCES = ("qa_conditions_", "qa_treatments_", "qa_pathology", "qa_glossary", "qa_safety_docs")


def main() -> None:
    rows, seen = [], set()
    for f in (REPO / "eval" / "datasets").glob("safety*.jsonl"):  # never train on a triage test message
        seen |= {json.loads(line)["message"].strip().lower() for line in f.read_text(encoding="utf-8").splitlines()
                 if line.strip()}
    for f in sorted(PARTS.glob("*.jsonl")):
        if not f.name.startswith(SOURCES):
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            q = d["question"].strip()
            if d.get("answerable", True) and q.lower() not in seen:
                seen.add(q.lower())
                rows.append({"text": q, "label": "ordinary", "writer": "patient_qa"})
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} ordinary messages to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
