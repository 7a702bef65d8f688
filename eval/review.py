"""Per-question review: the HTML view in report.html (templates/review.html.jinja), review.csv for a reviewer,
and reading labels back.

review.csv has one row per reference claim (``kind`` claim: the metric's verdict stated / missed /
contradicted) and per answer sentence (``kind`` sentence: supported / unsupported by the cited passages).
A reviewer fills the ``label`` column with the right value (empty rows are skipped);
``dermassist eval --labels FILE`` then reports how often the metric agrees with the reviewer.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from assistant.errors import InputError

from .results import ItemResult

COLUMNS = ("dataset", "id", "kind", "text", "metric", "label", "question", "answer")
LABELS = {"claim": ("stated", "missed", "contradicted"), "sentence": ("supported", "unsupported")}


def review_rows(results: list[ItemResult]) -> list[dict]:
    rows = []
    for r in results:
        if r.kind != "qa" or not r.ok:
            continue
        base = {"dataset": r.dataset, "id": r.id, "question": r.input.get("question", ""),
                "answer": (r.output or {}).get("text", "")}
        for c in r.details.get("claims", []):
            rows.append({**base, "kind": "claim", "text": c["claim"], "metric": c["verdict"], "label": ""})
        supported = {s["sentence"]: s for s in r.details.get("faithfulness_all", [])}
        for s, row in supported.items():
            rows.append({**base, "kind": "sentence", "text": s,
                         "metric": "supported" if row["supported"] else "unsupported", "label": ""})
    return rows


def write_review_csv(path: Path, results: list[ItemResult]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(review_rows(results))


def read_labels(path: Path) -> list[dict]:
    """The labelled rows of a review CSV; a bad file or label fails with the line number and what to write."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ("id", "kind", "text", "label") if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"--labels: {path} has no column {', '.join(missing)}.",
                                 "Label the review.csv a run wrote (fill its 'label' column) and pass that file.")
            rows = []
            for n, row in enumerate(reader, start=2):
                label = (row.get("label") or "").strip().lower()
                if not label:
                    continue
                allowed = LABELS.get((row.get("kind") or "").strip())
                if allowed is None or label not in allowed:
                    raise InputError(f"--labels: {path} line {n}: '{row.get('label')}' is not a label for a "
                                     f"'{row.get('kind')}' row.",
                                     "Claims take stated, missed or contradicted; sentences supported or unsupported.")
                rows.append({"id": row["id"], "kind": row["kind"].strip(), "text": row["text"], "label": label})
    except FileNotFoundError:
        raise InputError(f"--labels: {path} does not exist.", "Give the labelled review.csv.") from None
    except UnicodeDecodeError:
        raise InputError(f"--labels: {path} is not UTF-8 text.", "Save the CSV as UTF-8.") from None
    if not rows:
        raise InputError(f"--labels: {path} has no filled 'label' cells.", "Fill the label column, then run again.")
    return rows


def agreement(labels: list[dict], results: list[ItemResult], path: str) -> dict:
    """How often this run's metric verdicts agree with the reviewer's labels (rows matched by id, kind, text)."""
    metric = {(r["id"], r["kind"], r["text"]): r["metric"] for r in review_rows(results)}
    matched = [(lab, metric[(lab["id"], lab["kind"], lab["text"])]) for lab in labels
               if (lab["id"], lab["kind"], lab["text"]) in metric]
    agree = sum(lab["label"] == m for lab, m in matched)
    by_kind = {}
    for kind in LABELS:
        rows = [(lab, m) for lab, m in matched if lab["kind"] == kind]
        if rows:
            by_kind[kind] = {"n": len(rows), "agree": sum(lab["label"] == m for lab, m in rows)}
    return {"path": path, "n": len(matched), "agree": agree, "accuracy": agree / len(matched) if matched else 0.0,
            "unmatched": len(labels) - len(matched), "by_kind": by_kind,
            "disagreements": [{"id": lab["id"], "kind": lab["kind"], "text": lab["text"][:200], "label": lab["label"],
                               "metric": m} for lab, m in matched if lab["label"] != m][:200]}


# ---------------------------------------------------------------------------------------------- HTML view
SCRIPT = """
(function(){
  var box=document.getElementById('q-filter'), sel=document.getElementById('q-show'), ord=document.getElementById('q-sort');
  var list=document.getElementById('q-items'), count=document.getElementById('q-count');
  function apply(){
    var items=Array.prototype.slice.call(list.children), q=box.value.toLowerCase(), show=sel.value, n=0;
    items.sort(function(a,b){var k=ord.value; var x=parseFloat(a.dataset[k]), y=parseFloat(b.dataset[k]);
      if(k==='recall'){return x-y;} if(k==='id'){return a.dataset.id<b.dataset.id?-1:1;} return y-x;});
    items.forEach(function(el){list.appendChild(el);
      var ok=(!q||el.textContent.toLowerCase().indexOf(q)>=0)&&(show==='all'||el.dataset[show]==='1');
      el.hidden=!ok; if(ok){n++;}});
    count.textContent=n+' shown';
  }
  box.addEventListener('input',apply); sel.addEventListener('change',apply); ord.addEventListener('change',apply); apply();
})();
"""


def script_hash() -> str:
    import base64

    return "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


def item_data(r: ItemResult) -> dict:
    """One question's review block as plain data for the ``item`` macro of templates/review.html.jinja."""
    claims = r.details.get("claims", [])
    recall = r.scores.get("claim_recall")
    flags = _flags(r)
    faith = r.scores.get("faithfulness")
    unsupported = {s["sentence"] for s in r.details.get("faithfulness", [])}
    cov = r.details.get("coverage") or {}
    question = r.input.get("question", "")
    tags = (("contradiction", "contra"), ("off topic", "off"), ("declined", "declined"),
            ("out of coverage", "uncovered"))
    return {
        "id": r.id, "dataset": r.dataset, "recall": recall if recall is not None else 2,
        "recall_text": "n/a" if recall is None else f"{recall:.2f}",
        **{k: int(flags[k]) for k in ("contra", "off", "declined", "uncovered")},
        "faith": -1 if faith is None else round(1 - faith, 4),  # "least faithful first" sorts this descending
        "tags": " ".join(t for t, k in tags if flags[k]),
        "question": question, "question_short": question[:160], "status": (r.output or {}).get("status", ""),
        "sentences": [{"text": s["sentence"], "css": "uns" if s["sentence"] in unsupported else "sup"}
                      for s in r.details.get("faithfulness_all") or []],
        "text": (r.output or {}).get("text", ""),
        "reference": r.input.get("reference_answer") or "",
        "topics": ", ".join(cov.get("topics") or []) or "none recognised",
        "claims": [{"verdict": c["verdict"], "claim": c["claim"], "unit": (c.get("unit") or "")[:300],
                    "why": c.get("why") or ""} for c in claims],
        "cites": [{"n": c.get("n", i + 1), "doc_id": c.get("doc_id", ""), "heading": c.get("heading", ""),
                   "text": c.get("text", "")} for i, c in enumerate((r.output or {}).get("citations", []))],
    }


SHOW = {"all": "all questions", "contra": "contradictions", "off": "off topic", "declined": "declined",
        "uncovered": "out of coverage"}
SORT = {"recall": "worst claim recall first", "faith": "least faithful first", "contra": "contradictions first",
        "id": "id"}


def _flags(r: ItemResult) -> dict[str, bool]:
    return {"all": True, "contra": any(c["verdict"] == "contradicted" for c in r.details.get("claims", [])),
            "off": bool(r.scores.get("off_topic")), "declined": (r.output or {}).get("status") != "answered",
            "uncovered": (r.details.get("coverage") or {}).get("covered") is False}


def _sort_key(sort: str):
    if sort == "faith":
        return lambda r: r.scores.get("faithfulness") if r.scores.get("faithfulness") is not None else 2
    if sort == "contra":
        return lambda r: -sum(c["verdict"] == "contradicted" for c in r.details.get("claims", []))
    if sort == "id":
        return lambda r: r.id
    return lambda r: r.scores.get("claim_recall") if r.scores.get("claim_recall") is not None else 2


def items_html(results: list[ItemResult], show: str = "all", sort: str = "recall", limit: int = 200) -> str:
    """The items as expandable blocks (no script needed), filtered and sorted on the server (the Quality tab)."""
    from assistant.text.html_pages import render

    qa = [r for r in results if r.kind == "qa" and r.ok and _flags(r).get(show, True)]
    qa.sort(key=_sort_key(sort))
    return render("eval", "review_items.html.jinja", items=[item_data(r) for r in qa[:limit]], total=len(qa),
                  more=max(0, len(qa) - limit))


def report_items(results: list[ItemResult]) -> list[dict]:
    """The answered questions of a run, worst claim recall first, for the review view in report.html (which adds
    the filter controls and SCRIPT)."""
    qa = [r for r in results if r.kind == "qa" and r.ok]
    qa.sort(key=_sort_key("recall"))
    return [item_data(r) for r in qa]


def coverage(summary: dict) -> dict | None:
    """The coverage section of report.html as data: topics asked about and the ones the knowledge base lacks."""
    cov = summary.get("coverage") or {}
    if not cov:
        return None
    return {"asked": len(cov.get("topics") or {}), "no_known_topic": cov.get("no_known_topic", 0),
            "uncovered": [[t, n] for t, n in (cov.get("uncovered_topics") or {}).items()]}


def dumps(x) -> str:
    return json.dumps(x)
