"""Layering: ``assistant`` never imports ``ui`` or ``eval`` (they register their commands through the
``dermassist.commands`` entry points), and ``assistant``'s module-level imports form no circle."""

import ast
from pathlib import Path

from tests.conftest import REPO

ASSISTANT = REPO / "assistant"


def _module(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mod = _module(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            found |= {f"{name}.{a.name}" for a in node.names}
    return found


def test_assistant_never_imports_ui_or_eval():
    bad = {str(p.relative_to(REPO)): sorted(i for i in _imports(p, top_level_only=False)
                                            if i.split(".")[0] in ("ui", "eval"))
           for p in ASSISTANT.rglob("*.py")}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_cli_finds_serve_and_eval_through_entry_points():
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="dermassist.commands")}
    assert names == {"serve": "ui.cli:serve", "eval": "eval.cli:eval_cmd"}
    from click.testing import CliRunner

    from assistant.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--auth" in result.output


def test_no_import_circle_at_module_level_in_assistant():
    modules = {_module(p): p for p in ASSISTANT.rglob("*.py")}
    graph = {m: {i for i in _imports(p, top_level_only=True) if i in modules and i != m} for m, p in modules.items()}
    # a module imports its package's __init__ implicitly; that edge is how Python works, not a circle we wrote
    state, cycles = {}, []

    def visit(m, stack):
        state[m] = "open"
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n, stack + [n])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == [], cycles


def test_one_citation_grammar():
    """The marker grammar ("[1]", "[1, 2]") is written once, in assistant/text/citations.py."""
    import re

    grammar = re.compile(r"\\\[\(?\\d|&#91;\(\\d")  # a regular expression that starts a marker: \[\d, \[(\d, &#91;(\d
    copies = [str(p.relative_to(REPO)) for top in ("assistant", "eval", "ui") for p in (REPO / top).rglob("*.py")
              if grammar.search(p.read_text(encoding="utf-8")) and p.parent.name != "text"]
    assert copies == []


def test_citation_tools():
    from assistant.text import citations as c

    text = "Psoriasis is not contagious [1]. It is common [2, 3]. Again. [1]"
    assert c.cited_numbers(text) == [1, 2, 3, 1] and c.cited_set(text) == [1, 2, 3] and c.has_marker(text)
    assert c.strip_markers(text) == "Psoriasis is not contagious. It is common. Again."
    assert c.renumber(text, {1: 2, 3: 1}) == "Psoriasis is not contagious [2]. It is common [1]. Again. [2]"
    assert c.markers_inside("Not contagious. [1] Next") == "Not contagious [1]. Next"
    assert c.markers_outside("contagious [1, 2]. Next") == "contagious. [1, 2] Next"
    assert c.split_on_markers("a [1] b [2, 3] c") == ["a", "b", "c"]


def test_the_sentence_splitter_keeps_abbreviations_and_splits_before_a_stage_code():
    from assistant.llm.base import split_sentences
    from assistant.text.sentences import split_sentences as shared

    assert split_sentences is shared  # the answer backends use the shared one
    text = "Seen by Dr. Smith, e.g. for review. Breslow 0.6 mm. pT1a.\n- Margins clear"
    assert shared(text) == ["Seen by Dr. Smith, e.g. for review.", "Breslow 0.6 mm.", "pT1a.", "Margins clear"]


def test_one_negation_scope_for_the_safety_rules_and_the_claim_checks():
    """The clause-aware negation (cue words, pseudo-negations, clause ends) is written once, in
    assistant/text/negation.py; the triage rules and the report metric's forbidden-claim check both use it."""
    import inspect

    from assistant.safety import text as safety_text
    from assistant.text import negation
    from eval.metrics import reports

    assert safety_text.is_negated is negation.is_negated and safety_text.normalise is negation.normalise
    assert "is_negated" in inspect.getsource(reports._asserts)
    for path in (REPO / "assistant" / "safety").glob("*.py"):
        assert "_NEGATION_CUE = re.compile" not in path.read_text(encoding="utf-8"), path
    text = negation.normalise("There is no scarring alopecia, but the biopsy shows lichen planopilaris.")
    assert negation.is_negated(text, text.index("scarring"))
    assert not negation.is_negated(text, text.index("lichen"))  # "but" ends the negation's clause
