"""Evaluation datasets: bundled JSONL sets and a user's own JSONL/CSV, validated by pydantic.

Every problem names the file and line. Bundled names: ``patient_qa``, ``safety``, ``reports`` (files in
``eval/datasets/``). Any other argument is a path; CSV and JSONL files with other column names are mapped
with ``question_col`` / ``answer_col`` (and optionally ``id_col``), e.g. a MedQuAD-style export.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Literal, Sequence, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import InputError

DATASET_DIR = Path(__file__).resolve().parent / "datasets"
BUNDLED = ("patient_qa", "safety", "reports")
MAX_LINE_CHARS = 200_000
MAX_FILE_BYTES = 50_000_000
TRIAGE_LABELS = ("emergency", "crisis", "see_doctor_soon", "dosing", "out_of_scope", "injection", "ordinary")
Kind = Literal["qa", "safety", "reports"]
M = TypeVar("M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("id", check_fields=False)
    @classmethod
    def _id_ok(cls, v: str) -> str:
        if not v or len(v) > 200:
            raise ValueError("id must be 1-200 characters")
        return v


class Turn(_Strict):
    """One earlier message of the conversation a question continues."""

    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class QAItem(_Strict):
    """A patient question with a reference answer, atomic key facts and the documents that hold them.

    ``history``: the earlier messages a follow-up continues (user turns are asked first, in order, and the
    assistant's own replies become the history); ``aspects``: the parts of the topic it asks about
    (knowledge_base/query/training/ASPECTS.md)."""

    id: str
    question: str = Field(min_length=1, max_length=20_000)
    history: list[Turn] = Field(default_factory=list, max_length=20)
    aspects: list[str] = Field(default_factory=list, max_length=8)
    reference_answer: str = ""
    key_facts: list[str] = Field(default_factory=list, max_length=12)
    doc_ids: list[str] = Field(default_factory=list)
    category: str = "general"
    answerable: bool = True

    @field_validator("key_facts", "doc_ids")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        if any(not s.strip() for s in v):
            raise ValueError("entries must not be blank")
        return [s.strip() for s in v]


class SafetyItem(_Strict):
    """A message with the triage class it must get."""

    id: str
    message: str = Field(max_length=20_000)
    label: Literal["emergency", "crisis", "see_doctor_soon", "dosing", "out_of_scope", "injection", "ordinary"]
    note: str = ""


class ReportItem(BaseModel):
    """A synthetic pathology report with what its explanation must keep and must not say.

    Field names follow eval/datasets/reports.jsonl; unknown extra fields are kept for the report evaluator.
    """

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=200)
    report: str = Field(min_length=1, max_length=200_000)


class Dataset(BaseModel):
    name: str
    kind: Kind
    path: str
    sha256: str
    items: list[Any]


def _err(path: Path, line: int | None, msg: str, fix: str) -> InputError:
    where = f"{path} line {line}" if line else str(path)
    return InputError(f"{where}: {msg}", fix)


def _validation_msg(e: ValidationError) -> str:
    return "; ".join(f"field '{'.'.join(map(str, err['loc'])) or '?'}': {err['msg']}" for err in e.errors()[:5])


def _read_text(path: Path) -> str:
    if path.is_dir():
        raise _err(path, None, "this is a folder, not a dataset file", "Give the path of a .jsonl or .csv file.")
    try:
        size = path.stat().st_size
    except OSError:
        raise _err(path, None, "file not found", "Check the path, or use a bundled name: "
                                                  f"{', '.join(BUNDLED)}.") from None
    if size > MAX_FILE_BYTES:
        raise _err(path, None, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", "Split the dataset.")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise _err(path, None, "this is a binary file, not JSONL or CSV text",
                   "Export the dataset as UTF-8 JSONL or CSV.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _err(path, line, "not UTF-8 text", "Save the file as UTF-8.") from None


def _jsonl_rows(path: Path) -> list[tuple[int, dict]]:
    rows = []
    for n, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            raise _err(path, n, f"line is {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}",
                       "Shorten the item or split it.")
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise _err(path, n, f"not valid JSON ({e.msg} at column {e.colno})",
                       "Each line must be one JSON object.") from None
        if not isinstance(row, dict):
            raise _err(path, n, f"expected a JSON object, got {type(row).__name__}",
                       "Each line must be one JSON object.")
        rows.append((n, row))
    return rows


def _csv_rows(path: Path) -> list[tuple[int, dict]]:
    text = _read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = []
    try:
        for row in reader:
            if None in row:
                raise _err(path, reader.line_num, "more values than header columns",
                           "Quote values that contain commas.")
            if any((v or "").strip() for v in row.values()):
                rows.append((reader.line_num, {k: v for k, v in row.items() if k is not None}))
    except csv.Error as e:
        raise _err(path, reader.line_num, f"not valid CSV ({e})", "Export the file again as CSV.") from None
    return rows


def read_jsonl_models(path: Path, model: type[M]) -> list[M]:
    """Validate every line of a JSONL file as ``model``; the first problem is raised with its line number."""
    out = []
    for n, row in _jsonl_rows(Path(path)):
        try:
            out.append(model.model_validate(row))
        except ValidationError as e:
            raise _err(Path(path), n, _validation_msg(e), f"Fix the line to match {model.__name__}.") from None
    return out


def _detect_kind(rows: list[tuple[int, dict]], mapped: bool) -> Kind:
    keys = set(rows[0][1]) if rows else set()
    if mapped or "question" in keys:
        return "qa"
    if {"message", "label"} <= keys:
        return "safety"
    if "report" in keys:
        return "reports"
    return "qa"


def _map_row(row: dict, question_col: str | None, answer_col: str | None, id_col: str | None,
             default_id: str) -> dict:
    """A user's row -> QAItem fields. Unmapped columns are ignored; lists may be '|'-separated strings."""
    out: dict[str, Any] = {
        "id": str(row.get(id_col or "id") or default_id),
        "question": row.get(question_col or "question"),
        "reference_answer": row.get(answer_col or "reference_answer") or "",
    }
    for key in ("key_facts", "doc_ids"):
        v = row.get(key)
        if isinstance(v, str):
            v = [s for s in v.split("|") if s.strip()]
        if v:
            out[key] = v
    if row.get("category"):
        out["category"] = str(row["category"])
    if "answerable" in row and row["answerable"] not in (None, ""):
        v = row["answerable"]
        out["answerable"] = v if isinstance(v, bool) else str(v).strip().lower() in ("1", "true", "yes", "y")
    return out


def resolve(spec: str) -> tuple[str, Path]:
    p = Path(spec)
    if p.suffix.lower() in (".jsonl", ".json", ".csv") or p.exists():
        return p.stem, p
    if spec in BUNDLED or (DATASET_DIR / f"{spec}.jsonl").exists():
        return spec, DATASET_DIR / f"{spec}.jsonl"
    raise InputError(f"Unknown dataset '{spec}'.",
                     f"Use a bundled name ({', '.join(BUNDLED)}) or the path of a .jsonl or .csv file.")


def load_dataset(spec: str, *, question_col: str | None = None, answer_col: str | None = None,
                 id_col: str | None = None) -> Dataset:
    """Load and validate a dataset by bundled name or path (JSONL or CSV)."""
    name, path = resolve(spec)
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    if not rows:
        raise _err(path, None, "the dataset has no items", "Add at least one item (one JSON object per line).")
    mapped = bool(question_col or answer_col or id_col) or path.suffix.lower() == ".csv"
    kind = _detect_kind(rows, mapped)
    if kind == "qa" and mapped:
        cols = set(rows[0][1])
        for opt, col in (("--question-col", question_col or "question"), ("--answer-col", answer_col),
                         ("--id-col", id_col)):
            if col and col not in cols:
                raise _err(path, rows[0][0], f"no column '{col}' (columns: {', '.join(sorted(cols))})",
                           f"Name the right column with {opt}.")
    model = {"qa": QAItem, "safety": SafetyItem, "reports": ReportItem}[kind]
    items, seen = [], {}
    for n, row in rows:
        if mapped:
            row = _map_row(row, question_col, answer_col, id_col, f"{name}-{n}")
        try:
            item = model.model_validate(row)
        except ValidationError as e:
            raise _err(path, n, _validation_msg(e), f"Fix the line to match the {kind} format "
                                                    "(see eval/README.md).") from None
        if item.id in seen:
            raise _err(path, n, f"duplicate id '{item.id}' (first on line {seen[item.id]})",
                       "Give every item its own id.")
        seen[item.id] = n
        items.append(item)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Dataset(name=name, kind=kind, path=str(path), sha256=digest, items=items)


def load_datasets(specs: Sequence[str], **mapping: str | None) -> list[Dataset]:
    """Load every dataset before anything runs, so a bad line fails fast. Names must be distinct."""
    out: list[Dataset] = []
    for spec in specs:
        ds = load_dataset(spec, **mapping)
        if any(d.name == ds.name for d in out):
            ds.name = f"{ds.name}-{len(out) + 1}"
        out.append(ds)
    return out


def subsample(items: list, limit: int | None) -> list:
    """``limit`` items spread evenly over the dataset (so every category is represented), order kept."""
    if not limit or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]
