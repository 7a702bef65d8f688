"""Knowledge-base statistics: documents per kind, words, reading grade, sources, review state."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .kb_reviews import load_review_logs
from .knowledge import check_knowledge_base
from .readability import fkgl, word_count


def collect_stats(kb_path: Path) -> dict:
    import textstat

    docs, problems = check_knowledge_base(kb_path)
    logs, _ = load_review_logs(kb_path)
    rows = []
    for d in docs:
        if d.meta.kind == "glossary":
            defs = [t.definition for t in d.terms]
            grades = [float(textstat.flesch_kincaid_grade(x)) for x in defs]
            rows.append({"id": d.id, "kind": "glossary", "words": sum(len(x.split()) for x in defs),
                         "grade": round(sum(grades) / len(grades), 2) if grades else 0.0,
                         "max_term_grade": round(max(grades), 2) if grades else 0.0, "terms": len(d.terms),
                         "sources": len(d.meta.sources), "review": _review_state(d)})
        else:
            rows.append({"id": d.id, "kind": d.meta.kind, "words": word_count(d.body), "grade": fkgl(d.body),
                         "sources": len(d.meta.sources), "review": _review_state(d)})
    for r in rows:
        log = logs.get(r["id"])
        r["claims_checked"] = len(log.all_claims) if log else 0
        r["corrections"] = log.corrections if log else 0
    prose = [r for r in rows if r["kind"] != "glossary"]
    source_use = Counter(s.publisher for d in docs for s in d.meta.sources)
    from .kb_lexicons import lexicon_stats

    return {
        "lexicons": lexicon_stats(kb_path),
        "documents": len(docs), "problems": len(problems),
        "per_kind": dict(Counter(r["kind"] for r in rows)),
        "total_words": sum(r["words"] for r in rows),
        "mean_grade": round(sum(r["grade"] for r in prose) / len(prose), 2) if prose else 0.0,
        "max_grade": max((r["grade"] for r in prose), default=0.0),
        "review_states": dict(Counter(r["review"] for r in rows)),
        "fact_checked_documents": sum(r["claims_checked"] > 0 for r in rows),
        "claims_checked": sum(r["claims_checked"] for r in rows),
        "corrections": sum(r["corrections"] for r in rows),
        "top_publishers": source_use.most_common(10),
        "rows": rows,
    }


def _review_state(doc) -> str:
    status = doc.meta.review.status
    if status == "clinician-approved" and not doc.approved:
        return "approval-stale"
    return status


def render_stats(stats: dict) -> str:
    lines = [f"{'id':42} {'kind':10} {'words':>6} {'grade':>6} {'src':>4} {'checked':>7} {'fixed':>5}  review"]
    for r in sorted(stats["rows"], key=lambda r: (r["kind"], r["id"])):
        extra = f" ({r['terms']} terms)" if "terms" in r else ""
        lines.append(f"{r['id']:42} {r['kind']:10} {r['words']:6d} {r['grade']:6.1f} {r['sources']:4d} "
                     f"{r['claims_checked']:7d} {r['corrections']:5d}  {r['review']}{extra}")
    lines.append("")
    lines.append(f"documents: {stats['documents']}  per kind: {stats['per_kind']}  problems: {stats['problems']}")
    lines.append(f"total words: {stats['total_words']}  mean grade (prose): {stats['mean_grade']}  "
                 f"max grade: {stats['max_grade']}")
    lines.append(f"review states: {stats['review_states']}")
    lines.append(f"fact-checked by someone other than the writer: {stats['fact_checked_documents']} documents, "
                 f"{stats['claims_checked']} claims, {stats['corrections']} corrected or removed "
                 "(knowledge_base/reviews/; a fact check is not clinician approval)")
    lines.append("most used publishers: " + ", ".join(f"{p} ({n})" for p, n in stats["top_publishers"]))
    if stats.get("lexicons"):
        lines.append("word tables (lexicon/): " + ", ".join(
            f"{r['file']} ({r['entries']} entries, sha256 {r['sha256']}, {r['review']})" for r in stats["lexicons"]))
    return "\n".join(lines)
