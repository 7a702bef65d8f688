"""Per-question review: the HTML view in report.html, review.csv for a reviewer, and reading labels back.

review.csv has one row per reference claim (``kind`` claim: the metric's verdict stated / missed /
contradicted) and per answer sentence (``kind`` sentence: supported / unsupported by the cited passages).
A reviewer fills the ``label`` column with the right value (empty rows are skipped);
``dermassist eval --labels FILE`` then reports how often the metric agrees with the reviewer.
"""

from __future__ import annotations

import csv
import hashlib
import html
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
def _e(x) -> str:
    return html.escape(str(x), quote=True)


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


def _item(r: ItemResult) -> str:
    claims = r.details.get("claims", [])
    recall = r.scores.get("claim_recall")
    contra = int(any(c["verdict"] == "contradicted" for c in claims))
    off = int(bool(r.scores.get("off_topic")))
    declined = int((r.output or {}).get("status") != "answered")
    unsupported = {s["sentence"] for s in r.details.get("faithfulness", [])}
    cov = r.details.get("coverage") or {}
    faith = r.scores.get("faithfulness")
    unfaithful = -1 if faith is None else round(1 - faith, 4)  # "least faithful first" sorts this descending
    sentences = r.details.get("faithfulness_all") or []
    answer = "".join(f"<span class='{'uns' if s['sentence'] in unsupported else 'sup'}'>{_e(s['sentence'])}</span> "
                     for s in sentences) or _e((r.output or {}).get("text", ""))
    claim_rows = "".join(
        f"<li class='{_e(c['verdict'])}'><b>{_e(c['verdict'])}</b> {_e(c['claim'])}"
        + (f"<br><small>best answer unit: {_e(c.get('unit', '')[:300])}{' (' + _e(c['why']) + ')' if c.get('why') else ''}"
           f"</small>" if c.get("unit") else "") + "</li>" for c in claims)
    cites = "".join(f"<li>[{_e(c.get('n', i + 1))}] <b>{_e(c.get('doc_id', ''))} &gt; {_e(c.get('heading', ''))}</b>"
                    f"<div class='cite'>{_e(c.get('text', ''))}</div></li>"
                    for i, c in enumerate((r.output or {}).get("citations", [])))
    tags = " ".join(t for t, on in (("contradiction", contra), ("off topic", off), ("declined", declined),
                                    ("out of coverage", cov.get("covered") is False)) if on)
    return (f"<details class='q' data-id='{_e(r.id)}' data-recall='{recall if recall is not None else 2}' "
            f"data-contra='{contra}' data-off='{off}' data-declined='{declined}' "
            f"data-uncovered='{int(cov.get('covered') is False)}' data-faith='{unfaithful}'>"
            f"<summary><code>{_e(r.dataset)}/{_e(r.id)}</code> claim recall "
            f"{'n/a' if recall is None else f'{recall:.2f}'} {_e(tags)} - {_e(r.input.get('question', '')[:160])}</summary>"
            f"<p><b>Question</b> {_e(r.input.get('question', ''))}</p>"
            f"<p><b>Answer</b> ({_e((r.output or {}).get('status', ''))}) {answer}</p>"
            f"<p><b>Reference</b> {_e(r.input.get('reference_answer') or '')}</p>"
            f"<p><b>Topics</b> {_e(', '.join(cov.get('topics') or []) or 'none recognised')}</p>"
            f"<ul class='claims'>{claim_rows}</ul><p><b>Cited passages</b></p><ol class='cites'>{cites}</ol></details>")


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
    qa = [r for r in results if r.kind == "qa" and r.ok and _flags(r).get(show, True)]
    qa.sort(key=_sort_key(sort))
    more = f"<p>{len(qa) - limit} more not shown; the report.html of the run has them all.</p>" if len(qa) > limit else ""
    return f"<p>{len(qa)} shown</p><div class='q-list'>{''.join(_item(r) for r in qa[:limit])}</div>{more}"


def items_view(results: list[ItemResult]) -> str:
    qa = [r for r in results if r.kind == "qa" and r.ok]
    if not qa:
        return ""
    qa.sort(key=_sort_key("recall"))
    return ("<h2 id='questions'>Per-question review</h2><p>Each question with its answer (sentences the cited "
            "passages do not state are <span class='uns'>marked</span>), the reference's claims (stated, missed, "
            "contradicted) and the cited passages. <code>review.csv</code> in the run folder has the same rows for "
            "a reviewer to label; <code>dermassist eval --labels FILE</code> measures agreement.</p>"
            "<div class='controls'><label>Find <input id='q-filter' type='search'></label> "
            "<label>Show <select id='q-show'><option value='all'>all</option><option value='contra'>"
            "contradictions</option><option value='off'>off topic</option><option value='declined'>declined"
            "</option><option value='uncovered'>out of coverage</option></select></label> "
            "<label>Sort <select id='q-sort'><option value='recall'>worst claim recall first</option>"
            "<option value='faith'>least faithful first</option><option value='contra'>contradictions first"
            "</option><option value='id'>id</option></select></label> <span id='q-count'></span></div>"
            f"<div id='q-items'>{''.join(_item(r) for r in qa)}</div><script>{SCRIPT}</script>")


CSS = (".q{border:1px solid #ccc;margin:4px 0;padding:4px 8px}.q summary{cursor:pointer}"
       ".claims .stated{color:#0a5c0a}.claims .missed{color:#555}.claims .contradicted{color:#a00000}"
       ".uns{background:#ffe3b3}.cite{white-space:pre-wrap;font-size:12px;background:#f7f7f7;padding:4px}"
       ".controls{position:sticky;top:0;background:#fff;padding:6px 0}")


def uncovered_section(summary: dict) -> str:
    cov = summary.get("coverage") or {}
    if not cov:
        return ""
    rows = "".join(f"<tr><td>{_e(t)}</td><td>{n}</td></tr>" for t, n in (cov.get("uncovered_topics") or {}).items())
    head = (f"<h2>Coverage</h2><p>{len(cov.get('topics') or {})} topics asked about; questions naming no known "
            f"topic: {_e(cov.get('no_known_topic', 0))}. ")
    if not rows:
        return head + "Every topic named is covered by the knowledge base.</p>"
    return (head + "Topics the knowledge base does not cover (declining them is right):</p>"
            f"<table><thead><tr><th>topic</th><th>questions</th></tr></thead><tbody>{rows}</tbody></table>")


def dumps(x) -> str:
    return json.dumps(x)
