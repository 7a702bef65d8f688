"""The word tables in the knowledge base's ``lexicon/`` folder (safety words, abstention words, lay synonyms, plain
body sites, the diagnoses a report can name, the triage's phrase families):
checked by ``dermassist kb check`` (through ``check_knowledge_base``) and listed with their content hashes by
``dermassist kb stats``, so a change to any of them is visible and reviewable like a document."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

LEXICON_DIR = "lexicon"
SAFETY_WORDS = "safety_words.yaml"
ABSTENTION_WORDS = "abstention_words.yaml"
REPORT_DIAGNOSES = "report_diagnoses.yaml"
SAFETY_PHRASES = "safety_phrases.yaml"
# {{medicine}} and {{skin_medicine}} are filled from safety_words.yaml, {{gap N}} is a run of filler words
PHRASE_BUILTINS = ("medicine", "skin_medicine", "gap")
# assistant/reports/lexicon.py Category; {nv} in a pattern stands for naevus / nevus / naevi / nevi
REPORT_CATEGORIES = ("malignant", "premalignant", "benign", "inflammatory", "infection", "uncertain")
NV_PATTERN = r"n(?:a)?ev(?:us|i)"
_DIAGNOSIS_KEYS = {"name", "category", "pattern", "plain", "guides", "condition_doc", "in_situ"}
ABSTENTION_LISTS = ("generic", "title_word_stop", "topic_stop")  # assistant/abstention.py word_sets()
# the lists the triage rules use (assistant/safety/lexicon.py EXPORTS)
SAFETY_LISTS = ("high_risk_new_drugs", "immunosuppressants", "medicine_words", "off_topic", "other_skin_medicines",
                "skin_topic")
# word-list files (``lists: {name: {words: [...]}}``) -> (the lists the code needs, entries are patterns)
WORD_LIST_FILES = {SAFETY_WORDS: (SAFETY_LISTS, True), ABSTENTION_WORDS: (ABSTENTION_LISTS, False)}
# word tables that are the rules' own lists (moved out of the code): not part of the knowledge base's vocabulary
RULE_WORD_TABLES = (*WORD_LIST_FILES, REPORT_DIAGNOSES, SAFETY_PHRASES)


def word_list_problems(data: object, required: tuple[str, ...], patterns: bool) -> list[tuple[str, str, str]]:
    """(field, message, fix) for everything wrong with a loaded word-list file (``lists: {name: {words: [...]}}``):
    every ``required`` list present and non-empty, entries lower case and unique, and (``patterns``) each a valid
    regular expression."""
    lists = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(lists, dict):
        return [("lists", "no 'lists' mapping", "restore the file from the repository")]
    out = []
    for name in required:
        if name not in lists:
            out.append((f"lists.{name}", "missing list", f"add the '{name}' list (the code uses it)"))
    for name, entry in lists.items():
        items = entry.get("words") if isinstance(entry, dict) else None
        if not isinstance(items, list) or not items:
            out.append((f"lists.{name}.words", "empty or not a list", "give at least one word"))
            continue
        seen = set()
        for i, w in enumerate(items):
            where = f"lists.{name}.words[{i}]"
            if not isinstance(w, str) or not w.strip():
                out.append((where, "not a word", "write a non-empty lower-case word or phrase"))
                continue
            if w != w.lower():
                out.append((where, f"'{w}' has capitals", "write it in lower case (messages are lower-cased)"))
            if w in seen:
                out.append((where, f"'{w}' is listed twice", "remove the duplicate"))
            seen.add(w)
            if patterns and (err := _pattern_error(w)):
                out.append((where, f"'{w}' is not a valid pattern ({err})", "fix the brackets or escape the symbol"))
    return out


def report_diagnosis_problems(data: object) -> list[tuple[str, str, str]]:
    """(field, message, fix) for everything wrong with a loaded report_diagnoses.yaml: each entry has a unique
    name, a known category and a pattern that compiles; guides are [document id, heading words] pairs;
    every ``generic`` name is a diagnosis of the table."""
    table = data.get("diagnoses") if isinstance(data, dict) else None
    if not isinstance(table, list) or not table:
        return [("diagnoses", "no 'diagnoses' list", "restore the file from the repository")]
    out, names = [], set()
    for i, e in enumerate(table):
        where = f"diagnoses[{i}]"
        if not isinstance(e, dict):
            out.append((where, "not a mapping", "write name:, category:, pattern: ..."))
            continue
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            out.append((f"{where}.name", f"{name!r} is not a name", "write the diagnosis as reports name it"))
        elif name in names:
            out.append((f"{where}.name", f"'{name}' is listed twice", "merge the two entries"))
        names.add(name)
        if unknown := set(e) - _DIAGNOSIS_KEYS:
            out.append((where, f"unknown field(s) {sorted(unknown)}", f"use only {sorted(_DIAGNOSIS_KEYS)}"))
        if e.get("category") not in REPORT_CATEGORIES:
            out.append((f"{where}.category", f"{e.get('category')!r} is not a category",
                        f"use one of {', '.join(REPORT_CATEGORIES)}"))
        pattern = e.get("pattern")
        err = _pattern_error(pattern.replace("{nv}", NV_PATTERN)) if isinstance(pattern, str) and pattern.strip() \
            else "empty"
        if err:
            out.append((f"{where}.pattern", f"not a valid pattern ({err})", "fix the brackets or escape the symbol"))
        guides = e.get("guides", [])
        if not isinstance(guides, list) or not all(
                isinstance(g, list) and len(g) == 2 and all(isinstance(x, str) and x for x in g) for g in guides):
            out.append((f"{where}.guides", "not a list of [document id, heading words] pairs",
                        "write each as [doc-id, words of a ## heading]"))
        for key in ("plain", "condition_doc"):
            if key in e and not isinstance(e[key], str):
                out.append((f"{where}.{key}", "not text", "write plain text"))
        if "in_situ" in e and not isinstance(e["in_situ"], bool):
            out.append((f"{where}.in_situ", "not true or false", "write true or false"))
    generic = data.get("generic", [])
    for i, g in enumerate(generic if isinstance(generic, list) else [generic]):
        if g not in names:
            out.append((f"generic[{i}]", f"{g!r} is not a diagnosis of the table", "add it or remove it here"))
    return out


def safety_phrase_problems(data: object) -> list[tuple[str, str, str]]:
    """(field, message, fix) for everything wrong with a loaded safety_phrases.yaml: ``parts`` and ``concepts``
    mappings; each concept a non-empty list of phrases; every {{placeholder}} a known part (or gap N); each part
    and each phrase (placeholders filled with a stand-in) a valid regular expression."""
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict) or not data["concepts"]:
        return [("concepts", "no 'concepts' mapping", "restore the file from the repository")]
    parts = data.get("parts") or {}
    if not isinstance(parts, dict):
        return [("parts", "not a mapping", "write parts as name: pattern")]
    out = []
    for name, pattern in parts.items():
        if not isinstance(pattern, str) or _pattern_error(pattern):
            out.append((f"parts.{name}", "not a valid pattern", "fix the brackets or escape the symbol"))
    known = set(parts) | set(PHRASE_BUILTINS)
    for name, phrases in data["concepts"].items():
        if not isinstance(phrases, list) or not phrases:
            out.append((f"concepts.{name}", "empty or not a list", "give at least one phrase"))
            continue
        for i, phrase in enumerate(phrases):
            where = f"concepts.{name}[{i}]"
            if not isinstance(phrase, str) or not phrase.strip():
                out.append((where, "not a phrase", "write a regular expression in lower case"))
                continue
            found = list(PHRASE_PLACEHOLDER.finditer(phrase))
            unknown = sorted({m.group(1) for m in found} - known)
            miscounted = sorted({m.group(0) for m in found if (m.group(1) == "gap") != bool(m.group(2))})
            if unknown:
                out.append((where, f"unknown part(s) {unknown}", f"use one of {sorted(known)}"))
            elif miscounted:
                out.append((where, f"{miscounted[0]} is malformed", "write {{gap N}} with a number, other parts without"))
            elif _pattern_error(PHRASE_PLACEHOLDER.sub("(?:x)", phrase)):
                out.append((where, f"'{phrase[:60]}' is not a valid pattern", "fix the brackets or escape the symbol"))
    return out


# {{part}} or {{gap N}} in a phrase of safety_phrases.yaml (assistant/safety/concepts.py fills them in)
PHRASE_PLACEHOLDER = re.compile(r"\{\{(\w+)(?: (\d+))?\}\}")


def _pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid regular expression (None when it is)."""
    try:
        re.compile(pattern)
    except re.error as e:
        return str(e)
    return None


def load_safety_phrases() -> dict:
    """safety_phrases.yaml of the shipped knowledge base, checked as ``kb check`` checks it."""
    return _load_checked(SAFETY_PHRASES, safety_phrase_problems)


def load_report_diagnoses() -> dict:
    """report_diagnoses.yaml of the shipped knowledge base, checked as ``kb check`` checks it."""
    return _load_checked(REPORT_DIAGNOSES, report_diagnosis_problems)


def load_word_lists(file_name: str) -> dict[str, list[str]]:
    """A word-list file of the shipped knowledge base (the product's own lists, whatever ``kb_path`` a deployment
    sets), checked as ``kb check`` checks it: list name -> words. Raises KnowledgeBaseError saying what is wrong."""
    data = _load_checked(file_name, lambda d: word_list_problems(d, *WORD_LIST_FILES[file_name]))
    return {name: entry["words"] for name, entry in data["lists"].items()}


def _load_checked(file_name: str, problems_of) -> dict:
    import yaml

    from .config import default_kb_path
    from .errors import KnowledgeBaseError

    path = default_kb_path() / LEXICON_DIR / file_name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise KnowledgeBaseError(f"The word table {path} cannot be read: {e.__class__.__name__}.",
                                 f"Restore knowledge_base/{LEXICON_DIR}/{file_name} from the repository.") from None
    problems = problems_of(data)
    if problems:
        raise KnowledgeBaseError(f"The word table {path} has problems: "
                                 + "; ".join(f"{f}: {m}" for f, m, _ in problems[:10]),
                                 "Fix them, then run `dermassist kb check`.")
    return data


def lexicon_problems(kb_path: Path) -> list:
    """Problems (knowledge.Problem) in the folder's word tables: each must be readable YAML; the safety words are
    checked entry by entry."""
    import yaml

    from .knowledge import Problem

    folder = Path(kb_path) / LEXICON_DIR
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            out.append(Problem(path=str(path), field="(file)", message=f"cannot be read: {e.__class__.__name__}",
                               fix="fix the YAML syntax (indentation, quotes)"))
            continue
        found = word_list_problems(data, *WORD_LIST_FILES[path.name]) if path.name in WORD_LIST_FILES else \
            report_diagnosis_problems(data) if path.name == REPORT_DIAGNOSES else \
            safety_phrase_problems(data) if path.name == SAFETY_PHRASES else []
        out += [Problem(path=str(path), field=f, message=m, fix=x) for f, m, x in found]
    from .kb_approvals import approval_problems

    out += [Problem(path=p, field=f, message=m, fix=x) for p, f, m, x in approval_problems(kb_path)]
    return out


def lexicon_stats(kb_path: Path) -> list[dict]:
    """Each word table: file name, number of entries (list items), the first 12 hex digits of its sha256 and its
    review state (clinician-approved, approval-stale or draft)."""
    import yaml

    from .kb_approvals import load_approvals, review_state

    folder = Path(kb_path) / LEXICON_DIR
    try:
        approvals = load_approvals(kb_path)
    except (ValueError, UnicodeDecodeError):
        approvals = {}  # kb check reports the unreadable record
    rows = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        raw = path.read_bytes()
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError:
            data = None
        sha256 = hashlib.sha256(raw).hexdigest()
        rows.append({"file": f"{LEXICON_DIR}/{path.name}", "entries": _count(data), "sha256": sha256[:12],
                     "review": review_state(kb_path, path.name, approvals, sha256)})
    return rows


def _count(data) -> int:
    """Entries of a word table: list items (a row of a table is one entry) and mapping keys whose values are
    plain words ("5-fu: fluorouracil cream"); front matter such as ``sources`` and ``about`` is not counted."""
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        return sum(_count(v) if isinstance(v, (dict, list)) else 1 for k, v in data.items()
                   if k not in ("sources", "about"))
    return 0
