"""Getting report text in: files (.txt, .pdf), pasted text, and the checks that turn bad input into a clear
message (empty, too long, binary, a PDF with no text layer, not English, not a pathology report).

Error messages never repeat the input: it may hold personal details that have not been removed yet.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import InputError
from .parse import HEADING_RE

MAX_REPORT_CHARS = 50_000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 50
TEXT_SUFFIXES = {".txt", ".text", ".md", ".rtf", ""}
_FIX_PASTE = "Paste the full text of one skin pathology report, or pass a .txt or .pdf file."
_WEB_PASTE = "Paste the full text of one skin pathology report, or upload it as a .txt or .pdf file."
_PDF_WEB = "Upload the .pdf file with the upload box instead of pasting what is inside it."

_TAG_BLOCK_RE = re.compile(r"<\s*(script|style|iframe|object|embed|svg)\b.*?(?:<\s*/\s*\1\s*>|$)", re.I | re.S)
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^<>]{0,500}>")
_PATHOLOGY_WORDS = re.compile(
    r"\b(biops(?:y|ies)|specimens?|diagnos[ie]s|dermis|epidermis|epidermal|dermal|margins?|carcinoma|melanoma|"
    r"n(?:a)?ev(?:us|i)|keratos[ie]s|dermatitis|histolog\w*|microscop\w*|gross|punch|shave|excision(?:al)?|"
    r"patholog\w*|lesion|infiltrate|lymphocyt\w*|spongio\w*|stains?|immunofluorescence|keratinocytes?|"
    r"melanocyt\w*|tumou?r|breslow|psoriasi\w*|lichen\w*|lupus|pemphig\w*|vasculitis|alopecia|granulom\w*|"
    r"follic\w*|acanth\w*|parakeratosis|hyperkeratosis|collagen|sebaceous|dermatopatholog\w*|atypi\w*|"
    r"in situ|invasive|neoplasm|cyst|rosacea|hidradenitis|morph(?:o)?ea|sclero\w*|dermatomyositis|"
    r"mitotic|ulceration|immunohistochemi\w*|accession|sections?|subcut\w*|papillary|reticular)\b", re.I)
_PATIENT_LINE = re.compile(r"(?im)^[ \t]*(?:patient(?:'s)?(?:\s+name)?|name|surname|pt)[ \t]*[:#]")
_EN_WORDS = {"the", "and", "of", "with", "is", "are", "to", "for", "from", "there", "this", "shows", "skin", "left",
             "right", "no", "seen", "which", "at", "by", "was", "were", "within", "into", "an", "a", "on", "in"}
_OTHER_WORDS = {
    # Spanish, French, German, Italian, Portuguese, Dutch function words and "skin"
    "el", "los", "las", "del", "piel", "y", "que", "por", "una", "sin", "le", "les", "des", "du", "avec", "peau",
    "et", "est", "pas", "dans", "sur", "der", "das", "und", "mit", "haut", "nicht", "ist", "ein", "eine", "im",
    "auf", "della", "pelle", "che", "com", "pele", "não", "em", "het", "een", "huid", "niet", "met", "en",
    "och", "är", "av", "på",
}


class CleanText(BaseModel):
    text: str
    warnings: list[str] = Field(default_factory=list)


def decode_text(data: bytes) -> str:
    """Bytes of a text file -> str (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252)."""
    if data.startswith(b"%PDF-"):
        raise InputError("This is PDF data, not plain text.", "Pass the .pdf file itself: dermassist explain FILE.pdf",
                         _PDF_WEB)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise InputError("The input looks like binary data, not the text of a report.", _FIX_PASTE, _WEB_PASTE)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("The file is not readable text (not UTF-8).", "Save the report as UTF-8 text and try again.")


def pdf_text(data: bytes, name: str = "the PDF") -> str:
    """Text layer of a PDF. A scan or photo without a text layer gives a clear error (no OCR here)."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is password-protected.", "Save an unprotected copy of the report and try again.")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise InputError(f"{name} has {len(pages)} pages; a skin pathology report has a few.",
                             f"Pass the report pages only (at most {MAX_PDF_PAGES}).",
                             f"Upload the report pages only (at most {MAX_PDF_PAGES}).")
        text = "\n".join((p.extract_text() or "") for p in pages)
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as e:
        raise InputError(f"{name} could not be read as a PDF ({type(e).__name__}).",
                         "Check that the file is a complete PDF, or copy and paste the report text.") from None
    if len(re.sub(r"\s", "", text)) < 20:
        raise InputError(f"{name} has no text layer: it is probably a scan or a photo of the report.",
                         "Ask the lab for the electronic report, or copy and paste the text. dermassist does not "
                         "read text from images (no OCR).")
    return text


def read_report_file(path: str | Path) -> str:
    """Text of a report file: .txt (or other plain text) and .pdf."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"There is no file at {p}.", "Check the path, or use '-' to read the report from standard input.",
                         "Choose the file again, or paste the report text.")
    if not p.is_file():
        raise InputError(f"{p} is not a file.", "Pass a .txt or .pdf file.")
    suffix = p.suffix.lower()
    if suffix not in TEXT_SUFFIXES | {".pdf"}:
        raise InputError(f"dermassist cannot read '{suffix}' files.",
                         "Save the report as a .txt or .pdf file, or paste its text.")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{p.name} is {p.stat().st_size / 1e6:.1f} MB, too large for one report.",
                         "Pass one report at a time (at most 20 MB).", "Upload one report at a time (at most 20 MB).")
    data = p.read_bytes()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return pdf_text(data, p.name)
    return decode_text(data)


def _script_share(letters: str) -> float:
    non_latin = sum(1 for c in letters if ord(c) > 0x024F and not 0x1E00 <= ord(c) <= 0x1EFF)
    return non_latin / max(1, len(letters))


def clean_report_text(raw: str | bytes | None, max_chars: int = MAX_REPORT_CHARS) -> CleanText:
    """Check and tidy pasted report text, or raise InputError with a message that says how to fix it."""
    if isinstance(raw, bytes):
        raw = decode_text(raw)
    if raw is None or not str(raw).strip():
        raise InputError("The report is empty.", _FIX_PASTE, _WEB_PASTE)
    text = str(raw)
    if len(text) > max_chars:
        raise InputError(f"The text is {len(text):,} characters long; one report is at most {max_chars:,}.",
                         "Paste one report at a time, without other documents attached.")
    if text.lstrip().startswith("%PDF-"):
        raise InputError("This is PDF data, not plain text.", "Pass the .pdf file itself: dermassist explain FILE.pdf",
                         _PDF_WEB)
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    if "\x00" in text or bad > max(3, len(text) // 100):
        raise InputError("The input looks like binary data, not the text of a report.", _FIX_PASTE, _WEB_PASTE)
    warnings = []
    if _TAG_RE.search(text):
        text = _TAG_BLOCK_RE.sub(" ", text)
        text = _TAG_RE.sub(" ", text)
        text = html.unescape(text)
        warnings.append("The report contained web page code (HTML). The code was removed and nothing in it was run.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")
    text = re.sub(r"[\u200b-\u200f\u2028\u2029\ufeff]", "", text)
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"[ \t]{40,}", " " * 40, text)  # no layout needs more; long runs only slow the parsers down
    letters = "".join(c for c in text if c.isalpha())
    if len(letters) < 15:
        raise InputError("This does not look like a skin pathology report (there are almost no words).", _FIX_PASTE,
                         _WEB_PASTE)
    words = re.findall(r"[^\W\d_]+", text.lower())
    other, en = sum(w in _OTHER_WORDS for w in words), sum(w in _EN_WORDS for w in words)
    if _script_share(letters) > 0.3 or (other >= 5 and other > 2 * en):
        raise InputError("The report does not seem to be in English. dermassist explains English-language reports only.",
                         "Ask the lab or your doctor for an English version of the report.")
    if len(text) < 400 and text.rstrip().endswith("?") and not HEADING_RE.search(text):
        raise InputError("This looks like a question, not a pathology report.",
                         "Ask it with `dermassist ask \"...\"` or in the chat instead.",
                         "Ask it in the patient chat instead.")
    diagnoses = sum(1 for m in HEADING_RE.finditer(text) if m.group("diagnosis"))
    if diagnoses >= 2 and len(_PATIENT_LINE.findall(text)) >= 2:
        raise InputError("This text seems to hold several reports (more than one patient and diagnosis).",
                         "Paste one report at a time, so that findings from different reports are not mixed.")
    distinct = {m.group(0).lower() for m in _PATHOLOGY_WORDS.finditer(text)}
    if len(distinct) < 3:
        raise InputError("This does not look like a skin pathology report.", _FIX_PASTE, _WEB_PASTE)
    return CleanText(text=text, warnings=warnings)
