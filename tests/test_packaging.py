import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_ships_knowledge_base_and_finds_it(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(REPO),
                    "-w", str(tmp_path / "whl")], check=True, timeout=300, capture_output=True)
    wheel = next((tmp_path / "whl").glob("dermassist-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    kb_files = [n for n in names if n.startswith("assistant/kb_data/") and n.endswith(".md")]
    assert "assistant/kb_data/conditions/atopic-dermatitis.md" in kb_files
    docs = [p for p in (REPO / "knowledge_base").rglob("*.md") if "training" not in p.parts]  # training: not shipped
    assert len(kb_files) == len(docs)
    assert "assistant/name_head.npz" in names and "assistant/safety/triage_head.npz" in names and "assistant/kb_data/reviews/urgent-skin-symptoms.yaml" in names
    for folder in ("eval/templates", "ui/templates", "assistant/reports/templates"):  # the HTML page templates
        shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith(folder + "/") and n.endswith(".jinja"))
        assert shipped == sorted(p.name for p in (REPO / folder).glob("*.jinja")), folder
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, timeout=300, capture_output=True)
    code = ("from assistant.config import default_kb_path; from assistant.knowledge import check_knowledge_base;"
            "p = default_kb_path(); d, probs = check_knowledge_base(p); print(p); print(len(d), len(probs))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    path, counts = out.stdout.strip().splitlines()
    assert path.startswith(str(target)) and path.endswith("assistant/kb_data"), out.stderr
    n_docs, n_problems = map(int, counts.split())
    assert n_docs >= 5 and n_problems == 0
    code = ("from assistant.text.html_pages import environment, render\n"
            "print(sorted(t for p in ('eval', 'ui', 'assistant.reports') for t in environment(p).list_templates()))\n"
            "print(render('ui', 'eval_done.html.jinja', items=1, seconds=2, name='<r>'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    templates, page = out.stdout.strip().splitlines()
    assert "'report.html.jinja'" in templates and "'handout.html.jinja'" in templates, out.stderr
    assert page == '<p id="eval-done">Finished: 1 items in 2 s. Results are in <code>&lt;r&gt;</code>.</p>'
