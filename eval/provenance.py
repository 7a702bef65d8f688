"""What a run was: knowledge-base version and hash, index, settings, backend, package versions, date."""

from __future__ import annotations

import hashlib
import json
import platform
import re
import sys
import time
from importlib import metadata

from assistant.config import Settings

PACKAGES = ("dermassist", "ragas", "numpy", "torch", "transformers", "sentence-transformers", "faiss-cpu",
            "langchain-core", "langchain-openai", "textstat", "pydantic", "matplotlib")
_SECRET = re.compile(r"key|token|secret|password|authorization", re.I)


def package_versions() -> dict[str, str | None]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _redact(value):
    if isinstance(value, dict):
        return {k: ("***" if _SECRET.search(str(k)) else _redact(v)) for k, v in value.items()}
    return value


def settings_snapshot(settings: Settings) -> dict:
    return _redact(json.loads(settings.model_dump_json()))


def kb_info(settings: Settings) -> dict:
    """Documents, review states and one hash over every document's content hash (the KB version)."""
    from assistant.knowledge import check_knowledge_base

    docs, problems = check_knowledge_base(settings.kb_path)
    hashes = sorted(f"{d.id}:{d.content_hash}" for d in docs)
    states: dict[str, int] = {}
    for d in docs:
        states[d.meta.review.status] = states.get(d.meta.review.status, 0) + 1
    info = {"path": str(settings.kb_path), "documents": len(docs), "problems": len(problems),
            "sha256": hashlib.sha256("\n".join(hashes).encode()).hexdigest(), "review_states": states,
            "latest_update": max((str(d.meta.updated) for d in docs), default=None)}
    info["version"] = f"{info['latest_update']}+{info['sha256'][:12]}"
    try:
        manifest = json.loads((settings.index_dir / "manifest.json").read_text())
        info["index_built"] = manifest.get("built")
        info["index_chunks"] = manifest.get("chunks")
        info["index_params"] = manifest.get("params")
    except (OSError, ValueError):
        info["index_built"] = None
    return info


def environment() -> dict:
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "python": sys.version.split()[0],
            "platform": platform.platform(), "packages": package_versions()}
