"""Knowledge-base documents: model, loader, validation and review state.

A document is Markdown with YAML front matter (see knowledge_base/README.md). The glossary is one YAML
file. ``check_knowledge_base`` collects every problem at once; ``load_knowledge_base`` raises on the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import KnowledgeBaseError

Kind = Literal["condition", "treatment", "pathology", "glossary", "safety", "general"]
ReviewStatus = Literal["draft", "sourced", "clinician-approved"]

CONDITION_SECTIONS = [
    "What it is", "Who gets it", "Symptoms", "How it looks on brown and black skin", "Causes and triggers",
    "Is it contagious?", "How it is diagnosed", "Treatment", "Self-care and living with it",
    "Outlook: what to expect", "Linked conditions and complications", "When to get urgent help",
    "Questions to ask your doctor",
]
TREATMENT_SECTIONS = [
    "What it is", "What it treats", "How it is used", "How long until it works", "Side effects", "Monitoring",
    "Pregnancy and breastfeeding", "Vaccines and infections", "Questions to ask your doctor",
]
REQUIRED_SECTIONS: dict[str, list[str]] = {"condition": CONDITION_SECTIONS, "treatment": TREATMENT_SECTIONS}
_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    year: int = Field(ge=1950, le=2100)
    url: str | None = None
    identifier: str | None = None

    @model_validator(mode="after")
    def _has_locator(self) -> "Source":
        if not (self.url or self.identifier):
            raise ValueError("each source needs a url or an identifier (DOI, PMID, ISBN)")
        return self


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: ReviewStatus = "draft"
    reviewer: str | None = None
    date: dt.date | None = None
    sha256: str | None = None


class DocumentMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str = Field(min_length=3)
    kind: Kind
    conditions: list[str] = Field(default_factory=list)
    audience: Literal["patient", "clinician", "both"] = "patient"
    sources: list[Source] = Field(min_length=2)
    review: Review = Field(default_factory=Review)
    updated: dt.date

    @field_validator("id")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError("id must be kebab-case: lower-case letters, digits and single hyphens")
        return v


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str = Field(min_length=2)
    synonyms: list[str] = Field(default_factory=list)
    definition: str = Field(min_length=10)
    see: str

    @field_validator("definition")
    @classmethod
    def _short(cls, v: str) -> str:
        if len(v.split()) > 35:
            raise ValueError(f"definition has {len(v.split())} words; keep it to 35 or fewer")
        return v


class Document(BaseModel):
    """A validated document. ``body`` is the Markdown after the front matter."""

    meta: DocumentMeta
    body: str
    path: Path
    terms: list[GlossaryTerm] = Field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def content_hash(self) -> str:
        meta = self.meta.model_dump(mode="json", exclude={"review"})
        terms = [t.model_dump(mode="json") for t in self.terms]
        payload = json.dumps({"meta": meta, "terms": terms}, sort_keys=True) + "\n" + self.body.strip()
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def approved(self) -> bool:
        """Clinician-approved, and not edited since the approval was recorded."""
        r = self.meta.review
        return r.status == "clinician-approved" and bool(r.reviewer) and r.sha256 == self.content_hash

    def headings(self, level: int = 2) -> list[str]:
        mark = "#" * level + " "
        return [ln[len(mark):].strip() for ln in self.body.splitlines() if ln.startswith(mark)]


def doc_sections(body: str) -> dict[str, str]:
    """A document body's ``##`` sections: heading -> text (stripped; deeper headings stay in the text)."""
    out: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
        elif current is not None and not line.startswith("# "):
            out[current] += line + "\n"
    return {h: t.strip() for h, t in out.items()}


class Problem(BaseModel):
    path: str
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message} (fix: {self.fix})"


def _split_front_matter(text: str) -> tuple[str, str] | None:
    m = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)(.*)$", text, flags=re.S)
    return (m.group(1), m.group(2)) if m else None


def _problems_from_validation(path: Path, err: ValidationError) -> list[Problem]:
    out = []
    for e in err.errors():
        field = ".".join(str(p) for p in e["loc"]) or "(document)"
        fix = "see knowledge_base/README.md for the expected format"
        if e["type"] == "missing":
            fix = f"add the `{field}` field to the front matter"
        elif e["type"] == "extra_forbidden":
            fix = f"remove `{field}` or check its spelling"
        out.append(Problem(path=str(path), field=field, message=e["msg"], fix=fix))
    return out


def parse_document(path: Path) -> tuple[Document | None, list[Problem]]:
    """Parse one file; return the document (or None) and every problem found in it."""
    path = Path(path)
    p = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(path=p, field="(encoding)", message=f"not valid UTF-8 at byte {e.start}",
                              fix="save the file as UTF-8 text")]
    if path.suffix in (".yaml", ".yml"):
        raw_text, body = text, ""
    else:
        parts = _split_front_matter(text)
        if parts is None:
            return None, [Problem(path=p, field="(front matter)", message="no YAML front matter found",
                                  fix="start the file with a '---' line, the YAML fields, then another '---' line")]
        raw_text, body = parts
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as e:
        return None, [Problem(path=p, field="(front matter)", message=f"invalid YAML: {e}".splitlines()[0],
                              fix="fix the YAML syntax (quote values that contain ':' or '#')")]
    if not isinstance(raw, dict):
        return None, [Problem(path=p, field="(front matter)", message="front matter is not a mapping",
                              fix="write the fields as `key: value` lines")]
    raw = dict(raw)
    raw_terms = raw.pop("terms", None) if raw.get("kind") == "glossary" else None
    problems: list[Problem] = []
    try:
        meta = DocumentMeta.model_validate(raw)
    except ValidationError as e:
        return None, _problems_from_validation(path, e)
    terms: list[GlossaryTerm] = []
    if meta.kind == "glossary":
        for i, t in enumerate(raw_terms or []):
            try:
                terms.append(GlossaryTerm.model_validate(t))
            except ValidationError as e:
                for prob in _problems_from_validation(path, e):
                    prob.field = f"terms[{i}].{prob.field}"
                    problems.append(prob)
        if not raw_terms:
            problems.append(Problem(path=p, field="terms", message="glossary has no terms",
                                    fix="add a `terms:` list"))
    if meta.id != path.stem:
        problems.append(Problem(path=p, field="id", message=f"id '{meta.id}' differs from the file name",
                                fix=f"rename the file to {meta.id}{path.suffix} or set id: {path.stem}"))
    doc = Document(meta=meta, body=body, path=path, terms=terms)
    if meta.kind != "glossary" and len(body.split()) < 50:
        problems.append(Problem(path=p, field="(body)", message="document body is nearly empty",
                                fix="write the document text below the front matter"))
    required = REQUIRED_SECTIONS.get(meta.kind)
    if required:
        have = doc.headings(2)
        missing = [h for h in required if h not in have]
        if missing:
            problems.append(Problem(path=p, field="(sections)", message=f"missing sections: {missing}",
                                    fix="add these `##` headings exactly as written in knowledge_base/README.md"))
    if meta.review.status == "clinician-approved" and not doc.approved:
        problems.append(Problem(path=p, field="review", message="approval is stale or incomplete (content changed)",
                                fix=f"re-review with `dermassist kb review {meta.id} --reviewer ...`"))
    return doc, problems


NOT_DOCUMENTS = ("reviews", "training", "lexicon")  # review logs, training data and word tables, not documents


def kb_files(kb_path: Path) -> list[Path]:
    kb_path = Path(kb_path)

    def is_doc(f: Path) -> bool:
        return not any(part in NOT_DOCUMENTS for part in f.relative_to(kb_path).parts[:-1])

    files = [f for f in sorted(kb_path.rglob("*.md")) if f.name != "README.md" and is_doc(f)]
    files += [f for f in sorted(kb_path.rglob("*.yaml")) if f.name != "exemplars.yaml" and is_doc(f)]
    return files


_CACHE: dict[str, tuple[str, list[Document], list[Problem]]] = {}
_CACHE_LOCK = threading.Lock()


def _fingerprint(kb_path: Path) -> str:
    """A hash of every file's name and bytes under the folder (a few ms for the shipped one; parsing is ~0.5 s)."""
    digest = hashlib.sha256()
    for f in sorted(kb_path.rglob("*")):
        try:
            if f.is_file():
                digest.update(str(f.relative_to(kb_path)).encode() + b"\0" + f.read_bytes() + b"\0")
        except OSError:
            continue
    return digest.hexdigest()


def check_knowledge_base(kb_path: Path) -> tuple[list[Document], list[Problem]]:
    """Validate every file; return the valid documents and all problems (nothing stops at the first).

    Parsed once per process: later calls for the same folder return the same documents until a file in it
    is added, removed or changed (checked by a hash of the files). Treat the documents as read-only."""
    kb_path = Path(kb_path)
    if not kb_path.is_dir():
        return _parse_knowledge_base(kb_path)
    key, fingerprint = str(kb_path.resolve()), _fingerprint(kb_path)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] == fingerprint:
        return list(hit[1]), list(hit[2])
    docs, problems = _parse_knowledge_base(kb_path)
    with _CACHE_LOCK:
        _CACHE[key] = (fingerprint, docs, problems)
    return list(docs), list(problems)


def _parse_knowledge_base(kb_path: Path) -> tuple[list[Document], list[Problem]]:
    if not kb_path.is_dir():
        return [], [Problem(path=str(kb_path), field="(folder)", message="knowledge-base folder not found",
                            fix="set DERMASSIST_KB_PATH to the knowledge_base folder")]
    docs, problems, seen = [], [], {}
    for f in kb_files(kb_path):
        doc, probs = parse_document(f)
        problems += probs
        if doc is None:
            continue
        if doc.id in seen:
            problems.append(Problem(path=str(f), field="id", message=f"duplicate id, also in {seen[doc.id]}",
                                    fix="give each document a unique id"))
            continue
        seen[doc.id] = f
        docs.append(doc)
    problems += _check_glossary_links(docs)
    from .kb_consistency import pregnancy_disagreements
    from .kb_lexicons import lexicon_problems
    from .kb_reviews import review_log_problems

    problems += pregnancy_disagreements(docs)
    problems += review_log_problems(kb_path, {d.id for d in docs})
    problems += lexicon_problems(kb_path)
    return docs, problems


def _check_glossary_links(docs: list[Document]) -> list[Problem]:
    ids = {d.id for d in docs}
    problems, names = [], {}
    for d in docs:
        for i, t in enumerate(d.terms):
            if t.see not in ids:
                problems.append(Problem(path=str(d.path), field=f"terms[{i}].see",
                                        message=f"'{t.see}' is not a document id",
                                        fix="point `see` at an existing document id"))
            for name in [t.term, *t.synonyms]:
                key = name.strip().lower()
                if key in names and names[key] != t.term:
                    problems.append(Problem(path=str(d.path), field=f"terms[{i}]",
                                            message=f"'{name}' already used by term '{names[key]}'",
                                            fix="remove the duplicate term or synonym"))
                names.setdefault(key, t.term)
    return problems


def load_knowledge_base(kb_path: Path, *, require_approved: bool = False) -> list[Document]:
    """Load all documents, raising KnowledgeBaseError that lists every problem if any file is invalid."""
    docs, problems = check_knowledge_base(kb_path)
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise KnowledgeBaseError(f"The knowledge base has {len(problems)} problem(s):\n{listing}{more}",
                                 "Fix the files listed, then run `dermassist kb check`.")
    if require_approved:
        docs = [d for d in docs if d.approved]
        if not docs:
            raise KnowledgeBaseError("require_approved is on but no document is clinician-approved.",
                                     "Approve documents with `dermassist kb review DOC_ID --reviewer ...`.")
    return docs


def record_review(doc: Document, reviewer: str, today: dt.date | None = None) -> Document:
    """Write clinician approval (reviewer, date, content hash) into the document's front matter."""
    if not reviewer.strip():
        raise KnowledgeBaseError("The reviewer name is empty.", 'Pass --reviewer "Name, credentials".')
    text = doc.path.read_text(encoding="utf-8")
    review = {"status": "clinician-approved", "reviewer": reviewer.strip(),
              "date": (today or dt.date.today()).isoformat(), "sha256": doc.content_hash}
    if doc.path.suffix in (".yaml", ".yml"):
        data = yaml.safe_load(text)
        data["review"] = review
        doc.path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    else:
        front, body = _split_front_matter(text)
        data = yaml.safe_load(front)
        data["review"] = review
        new_front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        doc.path.write_text(f"---\n{new_front}---\n{body}", encoding="utf-8")
    new_doc, problems = parse_document(doc.path)
    if new_doc is None or not new_doc.approved:
        raise KnowledgeBaseError(f"Recording the review of {doc.id} failed: {problems}", "Check the file by hand.")
    return new_doc
