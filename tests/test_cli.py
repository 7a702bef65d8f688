import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from assistant.cli import cli, main
from tests.helpers import doc_text


def run(args, **kw):
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kw)


@pytest.fixture
def base_args(tiny_kb, tmp_path):
    return ["--kb-path", str(tiny_kb), "--home", str(tmp_path / "home"), "--embedder", "fake"]


def test_help_is_fast_and_imports_nothing_heavy():
    code = ("import sys; from assistant.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('torch', 'gradio', 'transformers', 'faiss', 'ragas', 'sentence_transformers') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    assert "ask" in out.stdout and "index" in out.stdout and "serve" in out.stdout


def test_index_then_ask_json(base_args):
    r = run([*base_args, "index", "--quiet"])
    assert r.exit_code == 0 and "4 added" in r.output
    r = run([*base_args, "ask", "--json", "Is rosacea contagious?"])
    data = json.loads(r.output)
    assert data["status"] == "answered" and data["citations"][0]["doc_id"] == "rosacea"
    r = run([*base_args, "ask", "Is rosacea contagious?"])
    assert "not contagious" in r.output and "[1] Rosacea — Is it contagious?" in r.output
    assert "not a diagnosis" in r.output
    r = run([*base_args, "index", "--quiet"])
    assert "0 added, 0 updated, 0 removed, 4 unchanged" in r.output


def test_ask_reads_stdin_and_handles_empty(base_args):
    run([*base_args, "index", "--quiet"])
    r = run([*base_args, "ask", "-"], input="Is psoriasis contagious?\n")
    assert "not contagious" in r.output
    r = run([*base_args, "ask", "   "])
    assert "Please type a question" in r.output


def test_ask_without_index_tells_how_to_fix(base_args, capsys):
    with pytest.raises(SystemExit) as e:
        main([*base_args, "ask", "Is eczema contagious?"])
    err = capsys.readouterr().err
    assert e.value.code == 2
    assert "missing" in err and "How to fix: Run `dermassist index`" in err


def test_kb_check_lists_all_problems(base_args, tiny_kb):
    assert run([*base_args, "kb", "check"]).exit_code == 0
    (tiny_kb / "conditions" / "broken.md").write_text(doc_text("broken", "Broken").replace("year: 2024", "year: soon"))
    (tiny_kb / "conditions" / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    r = CliRunner().invoke(cli, [*base_args, "kb", "check"])
    assert r.exit_code == 1
    assert "broken.md: sources.0.year" in r.output and "binary.md: (encoding)" in r.output
    assert "2 problem(s)" in r.output


def test_kb_stats_and_review(base_args, tiny_kb):
    r = run([*base_args, "kb", "stats", "--json"])
    stats = json.loads(r.output)
    assert stats["documents"] == 4 and stats["per_kind"] == {"condition": 3, "treatment": 1}
    assert stats["review_states"] == {"sourced": 4}
    r = run([*base_args, "kb", "review", "rosacea", "--reviewer", "Dr A Test, MD"])
    assert "Approved rosacea by Dr A Test, MD" in r.output
    stats = json.loads(run([*base_args, "kb", "stats", "--json"]).output)
    assert stats["review_states"] == {"sourced": 3, "clinician-approved": 1}
    table = run([*base_args, "kb", "stats"]).output
    assert "mean grade" in table and "rosacea" in table


def test_unknown_backend_message(base_args, capsys):
    with pytest.raises(SystemExit):
        main([*base_args, "ask", "--backend", "nope", "hi"])
    assert "Unknown backend 'nope'" in capsys.readouterr().err


def test_fake_backend_by_name(base_args):
    run([*base_args, "index", "--quiet"])
    r = run([*base_args, "ask", "--json", "--backend", "fake", "Is rosacea contagious?"])
    data = json.loads(r.output)
    assert data["backend"] == "fake" and data["text"].startswith("This is a scripted answer")


def test_chat_keeps_the_conversation_so_a_follow_up_stays_on_topic(base_args):
    run([*base_args, "index", "--quiet"])
    r = run([*base_args, "chat"], input="Is rosacea contagious?\ncan others catch it from me?\nquit\nnever asked\n")
    assert r.exit_code == 0
    assert r.output.count("[1] Rosacea — Is it contagious?") == 2  # the follow-up names no topic of its own
    assert "never asked" not in r.output
    alone = run([*base_args, "ask", "can others catch it from me?"])
    assert "[1] Rosacea" not in alone.output  # without the conversation it has nothing to be about
