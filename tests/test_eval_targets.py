"""Quality targets: every headline metric has a group, targets point each metric's way, verdicts are right, and
the runner reports progress in plain words."""

import pytest

from assistant.errors import ConfigError
from eval.report import HEADLINE
from eval.targets import grouped, load_targets, verdict


def test_every_headline_metric_is_in_a_group_once():
    listed = [m["metric"] for g in load_targets() for m in g["metrics"]]
    assert len(listed) == len(set(listed))
    assert set(HEADLINE) <= set(listed), set(HEADLINE) - set(listed)


@pytest.mark.parametrize("line,words", [
    ("- {metric: phi_leaks, at_least: 0}", "cannot be at_least"),
    ("- {metric: claim_recall, at_most: 0.9}", "cannot be at_most"),
    ("- {metric: no_such_metric}", "unknown metric"),
])
def test_a_target_against_the_metrics_direction_is_refused(tmp_path, line, words):
    path = tmp_path / "targets.yaml"
    path.write_text(f"groups:\n  - name: G\n    metrics:\n      {line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=words):
        load_targets(path)


def test_verdicts_and_groups():
    assert verdict(0.79, {"at_least": 0.8}) == "fail" and verdict(0.8, {"at_least": 0.8}) == "pass"
    assert verdict(1, {"at_most": 0}) == "fail" and verdict(0, {"at_most": 0}) == "pass"
    assert verdict(0.5, {}) == "" and verdict(None, {"at_least": 0.8}) == ""
    summary = {"metrics": {"claim_recall": {"value": 0.5, "n": 10}, "phi_leaks": {"value": 0, "n": 3},
                           "triage_precision_dosing": {"value": 0.9, "n": 5}, "mrr": {"value": None},
                           "brand_new_metric": {"value": 1.0}}}
    groups = dict(grouped(summary))
    assert [(r["metric"], r["verdict"], r["target"]) for r in groups["Factual accuracy"]] == [
        ("claim_recall", "fail", "\u2265 0.8")]
    assert [(r["metric"], r["verdict"]) for r in groups["Report explainer"]] == [("phi_leaks", "pass")]
    assert [r["metric"] for r in groups["Safety triage"]] == ["triage_precision_dosing"]  # by its prefix
    assert [r["metric"] for r in groups["Other"]] == ["brand_new_metric"]  # nothing measured is hidden
    assert "Retrieval" not in groups  # nothing measured there (mrr has no value)


def test_the_runner_reports_progress_in_plain_words(fake_settings, fake_assistant, tmp_path):
    from eval.runner import RunOptions, run_eval

    seen = []
    run_eval(fake_settings, RunOptions(datasets=["safety"], limit=3, out=tmp_path / "r", progress=False,
                                       on_progress=lambda f, words: seen.append((f, words))),
             assistant=fake_assistant)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and 0 < fractions[0] and fractions[-1] < 1
    assert [w for _, w in seen[:3]] == [f"Checked {i} of 3 items (safety messages)" for i in (1, 2, 3)]
    assert seen[-1][1] == "Scoring the answers"
