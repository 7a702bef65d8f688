"""Quick reading-grade check for knowledge-base Markdown files (authoring aid).

Usage: python3 tools/kb_grade.py knowledge_base/conditions/*.md
Prints words and Flesch-Kincaid grade of each file body (front matter and headings excluded).
"""
import re
import sys

import textstat


def body_text(path: str) -> str:
    text = open(path, encoding="utf-8").read()
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    out = []
    for ln in lines:
        ln = re.sub(r"^\s*([-*]|\d+\.)\s+", "", ln).strip()
        out.append(ln if ln[-1] in ".?!:" else ln + ".")
    return "\n".join(out)


for p in sys.argv[1:]:
    t = body_text(p)
    print(f"{textstat.flesch_kincaid_grade(t):5.1f}  {len(t.split()):5d} words  {p}")
