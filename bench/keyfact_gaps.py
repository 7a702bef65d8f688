"""Where do the key facts an answer missed live? Prints counts for one evaluation run's results.

For every answered, answerable question of a `dermassist eval` run, each key fact is placed in the first of:
in the answer / in a cited passage but not the answer / in a retrieved passage but not cited / in the expected
document but not retrieved / not in the expected document at all (matched with the evaluation's calibrated
key-fact matcher). The last two point at retrieval and the knowledge base, the middle ones at the generator.
Usage: python bench/keyfact_gaps.py RUN_DIR   (a folder with results.jsonl)
"""

from __future__ import annotations

import collections
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(run_dir: str) -> None:
    from assistant.config import Settings
    from assistant.embeddings import get_embedder
    from assistant.index import SearchIndex
    from eval.keyfacts import KeyFactMatcher

    settings = Settings()
    embedder = get_embedder(settings.embedder)
    index = SearchIndex.load(settings, embedder)
    chunks = {c.chunk_id: c for c in index.chunks}
    by_doc: dict[str, list[str]] = collections.defaultdict(list)
    for c in index.chunks:
        by_doc[c.doc_id].append(c.text)
    matcher = KeyFactMatcher(embedder)
    counts: collections.Counter = collections.Counter()
    for line in Path(run_dir, "results.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["kind"] != "qa" or not r["input"].get("answerable", True) or (r.get("output") or {}).get("status") != "answered":
            continue
        for fact in r.get("details", {}).get("key_facts", []):
            if fact["matched"]:
                counts["in the answer"] += 1
                continue
            cited = "\n".join(c["text"] for c in r["output"]["citations"])
            retrieved = "\n".join(chunks[h["chunk_id"]].text for h in r["output"]["retrieved"] if h["chunk_id"] in chunks)
            docs = "\n".join(t for d in r["input"].get("doc_ids", []) for t in by_doc.get(d, []))
            if cited and matcher.match(fact["fact"], cited).matched:
                counts["in a cited passage, not the answer"] += 1
            elif retrieved and matcher.match(fact["fact"], retrieved).matched:
                counts["retrieved, not cited"] += 1
            elif docs and matcher.match(fact["fact"], docs).matched:
                counts["in the expected document, not retrieved"] += 1
            else:
                counts["not in the expected document"] += 1
    total = sum(counts.values()) or 1
    for name, n in counts.most_common():
        print(f"{name:42s} {n:5d}  {n / total:6.1%}")
    print(f"{'key facts of answered questions':42s} {total:5d}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
