"""Write the committed evaluation baseline from a run's summary.json (only what --baseline compares).

    python tools/write_baseline.py RUN_DIR/summary.json eval/baselines/gate40.json
"""

import json
import sys
from pathlib import Path


def main(src: str, dest: str) -> None:
    summary = json.loads(Path(src).read_text(encoding="utf-8"))
    kb = summary["run"].get("knowledge_base", {})
    slim = {"schema": 1, "run": {"limit": summary["run"].get("limit"), "backend": summary["run"].get("backend"),
                                  "embedder": summary["run"].get("embedder"), "knowledge_base": kb.get("version")},
            "datasets": [{"name": d["name"], "run": d["run"]} for d in summary["datasets"]],
            "metrics": {k: v for k, v in summary["metrics"].items() if not k.startswith("latency_")}}
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    Path(dest).write_text(json.dumps(slim, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {dest}: {len(slim['metrics'])} metrics from {src}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
