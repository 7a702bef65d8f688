"""Quality targets (``eval/data/targets.yaml``): the run's figures grouped as a QA team reads them, each with
its target and a pass or fail. Metrics without a target are shown without a verdict; metrics the file does not
list go to an "Other" group, so nothing measured is hidden.
"""

from __future__ import annotations

import functools
from pathlib import Path

from assistant.errors import ConfigError

TARGETS_FILE = Path(__file__).parent / "data" / "targets.yaml"


@functools.lru_cache(maxsize=4)
def load_targets(path: Path = TARGETS_FILE) -> list[dict]:
    """The groups, checked: every metric is known, and a target points the metric's way (at_least for a
    metric where higher is better, at_most where lower is better)."""
    import yaml

    from .metrics import direction

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path} cannot be read: {e}", "Restore eval/data/targets.yaml from the repository.") from None
    groups = data.get("groups") or []
    seen = set()
    for g in groups:
        for m in g.get("metrics") or []:
            name = m.get("metric")
            way = direction(name or "")
            if way is None:
                raise ConfigError(f"{path.name}: unknown metric {name!r}.", "Use a metric listed by eval/metrics.")
            if name in seen:
                raise ConfigError(f"{path.name}: {name} is listed twice.", "List each metric in one group only.")
            seen.add(name)
            bad = ("at_most" if way == "higher" else "at_least")
            if bad in m:
                raise ConfigError(f"{path.name}: {name} is better when {way}, so its target cannot be {bad}.",
                                  f"Use {'at_least' if way == 'higher' else 'at_most'} for {name}.")
    return groups


def verdict(value: float | None, target: dict) -> str:
    """"pass", "fail", or "" (no target, or nothing measured)."""
    if value is None or ("at_least" not in target and "at_most" not in target):
        return ""
    from .gates import meets
    from .metrics import HIGHER, LOWER

    way, threshold = (HIGHER, target["at_least"]) if "at_least" in target else (LOWER, target["at_most"])
    return "pass" if meets(value, float(threshold), way) else "fail"


def target_words(target: dict) -> str:
    if "at_least" in target:
        return f"\u2265 {target['at_least']:g}"
    if "at_most" in target:
        return f"\u2264 {target['at_most']:g}"
    return ""


def grouped(summary: dict, path: Path = TARGETS_FILE) -> list[tuple[str, list[dict]]]:
    """[(group name, [{metric, stat, target, verdict, source}])] for the metrics this run measured."""
    metrics = summary.get("metrics") or {}
    out, listed = [], set()
    for g in load_targets(path):
        rows = []
        for t in g.get("metrics") or []:
            listed.add(t["metric"])
            stat = metrics.get(t["metric"])
            if not stat or stat.get("value") is None:
                continue
            rows.append({"metric": t["metric"], "stat": stat, "target": target_words(t),
                         "verdict": verdict(stat["value"], t), "source": t.get("source", "")})
        out.append((g["name"], rows, tuple(g.get("prefixes") or ())))
    other = []
    for n, s in sorted(metrics.items()):
        if n in listed or not isinstance(s, dict) or s.get("value") is None:
            continue
        row = {"metric": n, "stat": s, "target": "", "verdict": "", "source": ""}
        home = next((rows for _, rows, prefixes in out if n.startswith(prefixes or ("\0",))), other)
        home.append(row)
    out = [(name, rows) for name, rows, _ in out if rows]
    if other:
        out.append(("Other", other))
    return out
