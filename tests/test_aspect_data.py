"""The aspect paraphrase set for issue 13 (knowledge_base/query/training/): well formed, every aspect covered."""

import json
import re
from collections import Counter
from pathlib import Path

KB = Path(__file__).resolve().parents[1] / "knowledge_base"
FOLDER = KB / "query" / "training"


def _aspects() -> list[str]:
    names = re.findall(r"^\| (\w+) \|", (FOLDER / "ASPECTS.md").read_text(encoding="utf-8"), re.M)
    return [n for n in names if n != "aspect"]


def test_every_line_is_a_question_with_known_aspects_from_several_writers():
    names = set(_aspects())
    assert len(names) == 21
    rows = []
    for f in sorted(FOLDER.glob("*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            d = json.loads(line)
            assert set(d) == {"text", "aspects", "topic", "writer"}, f"{f.name}:{n}"
            assert d["text"].strip() and d["aspects"] and set(d["aspects"]) <= names, f"{f.name}:{n}"
            rows.append(d)
    per_aspect = Counter(a for r in rows for a in r["aspects"])
    assert set(per_aspect) == names and min(per_aspect.values()) >= 100, per_aspect
    assert len({r["writer"] for r in rows}) >= 4
    texts = [r["text"].strip().lower() for r in rows]
    assert len(set(texts)) == len(texts), "duplicate questions"
    assert sum(r["topic"] == "" for r in rows) >= 50  # follow-ups with the topic left implied


def test_aspect_data_is_not_read_as_knowledge_base_documents():
    from assistant.knowledge import kb_files

    assert not [p for p in kb_files(KB) if "training" in p.parts]
