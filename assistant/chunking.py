"""Section-aware chunking of knowledge-base documents (heading path + doc id on every chunk)."""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel

from .knowledge import Document

_HEADING = re.compile(r"^(#{1,4})\s+(.*\S)\s*$")


class Chunk(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    heading_path: list[str]
    text: str
    doc_hash: str

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)

    @property
    def embed_text(self) -> str:
        """What gets embedded and BM25-indexed: title and heading give each chunk its context."""
        return f"{self.title} — {self.heading}\n{self.text}" if self.heading_path else f"{self.title}\n{self.text}"


def _sections(body: str) -> list[tuple[list[str], str]]:
    path: list[tuple[int, str]] = []
    out: list[tuple[list[str], str]] = []
    buf: list[str] = []

    def flush():
        text = "\n".join(buf).strip()
        if text:
            out.append(([h for _, h in path], text))
        buf.clear()

    for line in body.splitlines():
        m = _HEADING.match(line)
        if m:
            flush()
            level = len(m.group(1))
            if level == 1:  # the document title: not part of the path
                path = []
                continue
            path = [(lv, h) for lv, h in path if lv < level] + [(level, m.group(2))]
        else:
            buf.append(line)
    flush()
    return out


def _split(text: str, size: int, overlap: int) -> list[str]:
    if len(text) <= size:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap,
                                              separators=["\n\n", "\n", ". ", " ", ""])
    return [t.strip() for t in splitter.split_text(text) if t.strip()]


def chunk_document(doc: Document, size: int, overlap: int) -> list[Chunk]:
    h = doc.content_hash
    pieces: list[tuple[list[str], str]] = []
    if doc.meta.kind == "glossary":
        for t in doc.terms:
            also = f" Also called: {', '.join(t.synonyms)}." if t.synonyms else ""
            pieces.append(([t.term], f"{t.term}: {t.definition}{also}"))
    else:
        for heading_path, text in _sections(doc.body):
            pieces += [(heading_path, part) for part in _split(text, size, overlap)]
    chunks = []
    for i, (heading_path, text) in enumerate(pieces):
        digest = hashlib.sha1(f"{doc.id}|{i}|{text}".encode()).hexdigest()[:10]
        chunks.append(Chunk(chunk_id=f"{doc.id}#{i}-{digest}", doc_id=doc.id, title=doc.title, kind=doc.meta.kind,
                            heading_path=heading_path, text=text, doc_hash=h))
    return chunks
