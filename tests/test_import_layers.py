"""Layering: ``assistant`` never imports ``ui`` or ``eval`` (they register their commands through the
``dermassist.commands`` entry points), and ``assistant``'s module-level imports form no circle."""

import ast
import re
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


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


# Language identification counts each language's common words, and the de-identifier lists which words can
# never be a person's name ("Will" can, so it is not simply every stop word): those are not stop-word lists.
_NOT_STOP_WORD_LISTS = {"assistant/language.py", "assistant/reports/inputs.py", "assistant/phi_patterns.py"}


# a look-behind on a stop ("(?<=[.!?])", "(?<=[^\\d\\s][.;])") or a stop, spaces and a capital ("\\.\\s+(?=[A-Z]")
_SENTENCE_END_PATTERN = re.compile(r"\(\?<=[^()]*\[[^\]]*\.[^\]]*\]\)|\\\.\\s[+*]\(\?=\[A-Z")


def test_one_place_for_sentence_cuts_and_stop_words():
    """Sentence and clause splitting lives in assistant/text/sentences.py and the stop-word list in
    assistant/text/stopwords.py: no other module of assistant/, eval/ or ui/ writes a sentence-end pattern or a
    list of common English words of its own."""

    from assistant.text.stopwords import STOP_WORDS, WEAK_WORDS

    common = STOP_WORDS | WEAK_WORDS
    splitters, word_lists = [], []
    for top in ("assistant", "eval", "ui"):
        for path in (REPO / top).rglob("*.py"):
            rel = str(path.relative_to(REPO))
            if path.parent.name == "text" and path.parent.parent.name == "assistant":
                continue
            for line, value in _string_constants(path):
                if _SENTENCE_END_PATTERN.search(value):
                    splitters.append(f"{rel}:{line}")
                words = set(value.split())  # a word list written as "a an the ...".split()
                if (rel not in _NOT_STOP_WORD_LISTS and re.fullmatch(r"[a-z'\s]+", value) and len(words & common) >= 8
                        and len(words & common) >= len(words) / 2):
                    word_lists.append(f"{rel}:{line}")
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):  # set literals of single words: {"the", "of", "and", ...}
                if isinstance(node, ast.Set) and rel not in _NOT_STOP_WORD_LISTS:
                    words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                    if len(words & common) >= 8:
                        word_lists.append(f"{rel}:{node.lineno}")
    assert splitters == [] and word_lists == [], (splitters, word_lists)


def test_the_stop_words_and_the_cuts():
    from assistant.bm25 import tokenize
    from assistant.text import sentences as s
    from assistant.text.stopwords import STOP_WORDS, WEAK_WORDS

    assert not STOP_WORDS & WEAK_WORDS and {"the", "what", "is"} <= STOP_WORDS and {"after", "only"} <= WEAK_WORDS
    assert tokenize("What is the best cream after a flare?") == ["best", "cream", "after", "flare"]
    assert s.split_clauses("my rash is spreading; i feel awful - no fever tho") == [
        "my rash is spreading", "i feel awful", "no fever tho"]
    assert s.split_report_clauses("Clark level 4. pT2a. Margins clear - Excised") == [
        "Clark level 4. pT2a.", "Margins clear", "Excised"]
    assert s.split_report_cells("Margin | 2 mm\tClear") == ["Margin", "2 mm", "Clear"]
    assert s.split_prose("Stages run from I to V. Level I is the top.") == [
        "Stages run from I to V.", "Level I is the top."]
    assert s.split_fine_clauses("Mild, but itchy (at night)") == ["Mild", "itchy", "at night"]
    assert s.first_sentence("Tips:\n- one. Two.") == "Tips:\n- one."


# assistant/ bottom-up: each module imports (at module level or inside a function) only from its own layer or
# the layers below. question_types reads only a question's wording, so it sits with the text tools; abstention is
# the retriever's decision whether the knowledge base answers at all; answer.py (the Assistant) runs the whole
# pipeline, so it sits with the command line above the LLM backends and the guard.
LAYERS = [
    ("text", ["assistant", "assistant.text", "assistant.errors", "assistant.types", "assistant.jsonl", "assistant.blas",
              "assistant.config", "assistant.question_types"]),
    ("knowledge", ["assistant.knowledge", "assistant.kb_lexicons", "assistant.kb_approvals", "assistant.kb_reviews",
                   "assistant.kb_stats",
                   "assistant.kb_consistency", "assistant.synonyms", "assistant.chunking", "assistant.language",
                   "assistant.readability", "assistant.phi", "assistant.phi_fields", "assistant.phi_patterns", "assistant.phi_labels",
                   "assistant.phi_names", "assistant.phi_training", "assistant.embeddings",
                   "assistant.prompts"]),
    ("index/retrieval", ["assistant.index", "assistant.bm25", "assistant.retrieval", "assistant.abstention",
                         "assistant.vocabulary"]),
    ("query", ["assistant.query", "assistant.aspects", "assistant.planning"]),
    ("safety", ["assistant.safety"]),
    ("answer/reports", ["assistant.reports", "assistant.chatlog"]),
    ("llm/guard", ["assistant.llm", "assistant.guard"]),
    ("pipeline/cli", ["assistant.answer", "assistant.cli"]),
]


def _layer(module: str) -> int | None:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            inside = module == p or (p != "assistant" and module.startswith(p + "."))  # the package itself only
            if inside and (best is None or len(p) > best[1]):
                best = (rank, len(p))
    return best[0] if best else None


def test_assistant_reads_bottom_up_text_knowledge_retrieval_query_safety_reports_llm_guard_cli():
    modules = {_module(p): p for p in ASSISTANT.rglob("*.py")}
    unplaced = sorted(m for m in modules if _layer(m) is None)
    upward = sorted(f"{m} ({LAYERS[_layer(m)][0]}) imports {i} ({LAYERS[_layer(i)][0]})"
                    for m, p in modules.items() if _layer(m) is not None
                    for i in _imports(p, top_level_only=False)
                    if i in modules and i != m and _layer(i) is not None and _layer(i) > _layer(m))
    assert unplaced == [] and upward == [], (unplaced, upward)


def test_every_module_stays_small():
    """Modules of assistant/, eval/, ui/ and bench/ stay under 400 lines (split by what they do when they grow)."""
    long = {str(p.relative_to(REPO)): n for top in ("assistant", "eval", "ui", "bench")
            for p in (REPO / top).rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 400}
    assert long == {}
