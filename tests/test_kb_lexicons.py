"""The safety word lists are data (knowledge_base/lexicon/safety_words.yaml): loaded once, validated by
`dermassist kb check`, listed with their hash by `kb stats`."""

import shutil

import pytest
import yaml

from assistant.kb_lexicons import lexicon_problems, lexicon_stats
from assistant.knowledge import check_knowledge_base
from tests.conftest import REPO

WORDS = REPO / "knowledge_base" / "lexicon" / "safety_words.yaml"


def test_the_triage_lists_come_from_the_data_file():
    from assistant.safety import lexicon

    data = yaml.safe_load(WORDS.read_text(encoding="utf-8"))["lists"]
    assert lexicon.IMMUNOSUPPRESSANTS == data["immunosuppressants"]["words"]
    assert lexicon.SKIN_MEDICINES == data["immunosuppressants"]["words"] + data["other_skin_medicines"]["words"]
    assert "methotrexate" in lexicon.IMMUNOSUPPRESSANTS and len(lexicon.SKIN_TOPIC) > 200
    with pytest.raises(AttributeError):
        lexicon.NO_SUCH_LIST  # noqa: B018


def test_the_shipped_tables_have_no_problems_and_are_listed_with_hashes():
    assert lexicon_problems(REPO / "knowledge_base") == []
    rows = {r["file"]: r for r in lexicon_stats(REPO / "knowledge_base")}
    assert rows["lexicon/safety_words.yaml"]["entries"] > 600 and len(rows["lexicon/safety_words.yaml"]["sha256"]) == 12
    assert {"lexicon/sites.yaml", "lexicon/synonyms.yaml", "lexicon/report_diagnoses.yaml"} <= set(rows)


def test_kb_check_reports_each_broken_entry(tmp_path):
    kb = tmp_path / "kb"
    (kb / "lexicon").mkdir(parents=True)
    data = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    words = data["lists"]["immunosuppressants"]["words"]
    words += ["Methotrexate", "(unclosed", "methotrexate"]
    del data["lists"]["off_topic"]
    (kb / "lexicon" / "safety_words.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (kb / "lexicon" / "broken.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    _, problems = check_knowledge_base(kb)
    text = "\n".join(str(p) for p in problems)
    assert "'Methotrexate' has capitals" in text and "'(unclosed' is not a valid pattern" in text
    assert "'methotrexate' is listed twice" in text and "lists.off_topic: missing list" in text
    assert "broken.yaml: (file): cannot be read" in text
    shutil.rmtree(kb)


def test_the_abstention_word_lists_come_from_the_data_file_and_are_checked(tmp_path):
    from assistant.vocabulary import word_sets

    data = yaml.safe_load((REPO / "knowledge_base" / "lexicon" / "abstention_words.yaml").read_text())["lists"]
    w = word_sets()
    assert w.generic == frozenset(data["generic"]["words"]) and "because" in w.generic
    assert "hair" in w.topic_stop and w.title_stop and not (w.generic & {"psoriasis", "eczema", "melanoma"})
    kb = tmp_path / "kb"
    (kb / "lexicon").mkdir(parents=True)
    data["generic"]["words"] += ["Because", "because"]
    del data["topic_stop"]
    (kb / "lexicon" / "abstention_words.yaml").write_text(yaml.safe_dump({"lists": data}), encoding="utf-8")
    text = "\n".join(str(p) for p in lexicon_problems(kb))
    assert "'Because' has capitals" in text and "'because' is listed twice" in text
    assert "lists.topic_stop: missing list" in text


def test_the_speller_does_not_learn_the_rules_word_tables(tmp_path):
    """The rules' own word lists moved out of the code are not knowledge-base text: adding them must not change
    which words the triage spell-corrector knows (it would change what the triage head reads)."""
    from assistant.safety.spelling import _kb_words

    kb = tmp_path / "kb"
    (kb / "lexicon").mkdir(parents=True)
    (kb / "doc.md").write_text("pemphigus foliaceus", encoding="utf-8")
    shutil.copy(REPO / "knowledge_base" / "lexicon" / "abstention_words.yaml", kb / "lexicon")
    shutil.copy(WORDS, kb / "lexicon")
    shutil.copy(REPO / "knowledge_base" / "lexicon" / "report_diagnoses.yaml", kb / "lexicon")
    shutil.copy(REPO / "knowledge_base" / "lexicon" / "safety_phrases.yaml", kb / "lexicon")
    assert _kb_words(str(kb)) == {"pemphigus", "foliaceus"}


def test_the_report_diagnoses_come_from_the_data_file_and_are_checked(tmp_path):
    import typing

    from assistant.kb_lexicons import REPORT_CATEGORIES
    from assistant.reports import lexicon

    path = REPO / "knowledge_base" / "lexicon" / "report_diagnoses.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = lexicon.diagnoses()
    assert [d.name for d in table] == [e["name"] for e in data["diagnoses"]] and len(table) >= 60
    assert set(typing.get_args(lexicon.Category)) == set(REPORT_CATEGORIES)
    assert {d.name for d in table if d.generic} == set(data["generic"])
    assert lexicon.by_name("melanoma in situ").in_situ and lexicon.by_name("dysplastic naevus").category == "benign"
    assert [m.dx for m in lexicon.find_mentions("Compound nevus with mild atypia. BCC, nodular type.")] == [
        "dysplastic naevus", "basal cell carcinoma"]  # {nv} expanded; abbreviations in capitals
    kb = tmp_path / "kb"
    (kb / "lexicon").mkdir(parents=True)
    data["diagnoses"][0]["pattern"] = "melanoma(("
    data["diagnoses"][1]["category"] = "scary"
    data["diagnoses"][2]["guides"] = [["basal-cell-carcinoma"]]
    data["diagnoses"].append(dict(data["diagnoses"][3]))
    data["generic"].append("not in the table")
    (kb / "lexicon" / "report_diagnoses.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    text = "\n".join(str(p) for p in lexicon_problems(kb))
    assert "diagnoses[0].pattern: not a valid pattern" in text and "'scary' is not a category" in text
    assert "diagnoses[2].guides" in text and "is listed twice" in text and "'not in the table' is not a diagnosis" in text


def _concept_names_the_rules_use() -> set[str]:
    import ast

    names = set()
    for path in (REPO / "assistant" / "safety").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("has", "mentions", "matches", "first", "count"):
                names |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return names


def test_the_triage_phrase_families_come_from_the_data_file_and_are_checked(tmp_path):
    from assistant.safety.concepts import GAP, compiled, concepts

    data = yaml.safe_load((REPO / "knowledge_base" / "lexicon" / "safety_phrases.yaml").read_text(encoding="utf-8"))
    table = concepts()
    used = _concept_names_the_rules_use()
    assert len(used) > 50 and used <= set(table), sorted(used - set(table))
    assert set(data["concepts"]) <= set(table) and {"skin_topic", "off_topic", "sjs_drug"} <= set(table)
    assert (GAP % 2) in table["breathing_trouble"] and data["parts"]["difficulty"] in table["breathing_trouble"]
    assert compiled("fever").search("running a temp of 39") and not compiled("fever").search("hay fever jab")
    kb = tmp_path / "kb"
    (kb / "lexicon").mkdir(parents=True)
    data["concepts"]["fever"].append("{{fevre_words}} spik(ing")
    data["concepts"]["hives"] = []
    data["concepts"]["rash"].append("red {{gap}} spots")
    data["parts"]["swell"] = "(?:swell"
    (kb / "lexicon" / "safety_phrases.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    text = "\n".join(str(p) for p in lexicon_problems(kb))
    assert "unknown part(s) ['fevre_words']" in text and "concepts.hives: empty or not a list" in text
    assert "parts.swell: not a valid pattern" in text and "{{gap}} is malformed" in text


def test_a_word_table_is_approved_by_hash_and_editing_it_voids_the_approval(tmp_path):
    from click.testing import CliRunner

    from assistant.cli import cli

    kb = tmp_path / "kb"
    (kb / "lexicon").mkdir(parents=True)
    shutil.copy(REPO / "knowledge_base" / "lexicon" / "sites.yaml", kb / "lexicon")
    assert [r["review"] for r in lexicon_stats(kb)] == ["draft"]
    result = CliRunner().invoke(cli, ["--kb-path", str(kb), "kb", "review", "lexicon/sites.yaml",
                                      "--reviewer", "Jane Doe, MD"])
    assert result.exit_code == 0 and "Approved lexicon/sites.yaml by Jane Doe, MD" in result.output
    assert [r["review"] for r in lexicon_stats(kb)] == ["clinician-approved"] and lexicon_problems(kb) == []
    with open(kb / "lexicon" / "sites.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - {site: knuckle, plain: knuckle}\n")
    assert [r["review"] for r in lexicon_stats(kb)] == ["approval-stale"]
    assert "sites.yaml: the table changed after it was approved" in "\n".join(str(p) for p in lexicon_problems(kb))
    missing = CliRunner().invoke(cli, ["--kb-path", str(kb), "kb", "review", "lexicon/nope.yaml", "--reviewer", "X"])
    assert missing.exit_code != 0 and "No word table lexicon/nope.yaml" in str(missing.exception)
    (kb / "lexicon" / "approvals.json").write_text("{not json", encoding="utf-8")
    assert "approvals.json: (file): cannot be read" in "\n".join(str(p) for p in lexicon_problems(kb))


def test_the_shipped_word_tables_are_not_yet_clinician_approved():
    """No clinician has reviewed the tables yet: kb stats must say so rather than imply approval."""
    states = {r["file"]: r["review"] for r in lexicon_stats(REPO / "knowledge_base")}
    assert set(states.values()) == {"draft"} and len(states) == 6
