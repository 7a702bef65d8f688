"""One small evaluator per metric family. Each fills per-item ``scores`` and returns aggregates.

``METRICS`` names every headline figure in summary.json["metrics"] with its direction (used by
``--fail-under`` and ``--compare``) and a plain description.
"""

from __future__ import annotations

HIGHER, LOWER = "higher", "lower"

METRICS: dict[str, tuple[str, str]] = {
    # retrieval
    "recall_at_k": (HIGHER, "share of expected documents among the top-k retrieved passages"),
    "mrr": (HIGHER, "mean reciprocal rank of the first passage from an expected document"),
    "ragas_id_context_recall": (HIGHER, "ragas IDBasedContextRecall (expected documents retrieved)"),
    "ragas_id_context_precision": (HIGHER, "ragas IDBasedContextPrecision (retrieved passages from expected docs)"),
    # factual accuracy
    "key_fact_recall": (HIGHER, "share of reference key facts stated in the answer (calibrated matcher)"),
    "claim_recall": (HIGHER, "share of the reference answer's claims stated in the answer (eval/claims.py)"),
    "claim_precision": (HIGHER, "share of answer sentences stated by the reference answer or a cited passage"),
    "contradiction_rate": (LOWER, "share of answers contradicting at least one reference claim"),
    "ragas_rouge_l": (HIGHER, "ragas RougeScore (ROUGE-L F1) against the reference answer"),
    "ragas_semantic_similarity": (HIGHER, "ragas SemanticSimilarity with the local MiniLM embedder"),
    "judge_factual_correctness": (HIGHER, "ragas FactualCorrectness (F1) by the judge LLM"),
    "judge_faithfulness": (HIGHER, "ragas Faithfulness to the cited passages by the judge LLM"),
    "judge_answer_correctness": (HIGHER, "ragas AnswerCorrectness by the judge LLM"),
    "judge_failures": (LOWER, "judge calls that failed or could not be parsed"),
    # answer planning (eval/metrics/planning.py)
    "off_topic_rate": (LOWER, "share of answers citing a passage neither from nor about the question's topic"),
    "aspect_coverage": (HIGHER, "share of the asked aspects answered from a section of that kind"),
    "follow_up_resolved": (HIGHER, "share of follow-up questions answered from the conversation's topic"),
    # faithfulness without a judge
    "faithfulness": (HIGHER, "share of answer sentences the cited passages state (own matcher, not the guard)"),
    "unsupported_numbers": (LOWER, "numbers in answers that no cited passage contains (total)"),
    "unsupported_drug_names": (LOWER, "medicine names in answers that no cited passage contains (total)"),
    # readability
    "fkgl_mean": (LOWER, "mean Flesch-Kincaid grade of answers"),
    "smog_mean": (LOWER, "mean SMOG grade of answers"),
    "share_grade_le_8": (HIGHER, "share of answers at Flesch-Kincaid grade 8 or lower"),
    # abstention
    "abstention_precision": (HIGHER, "of the questions declined, the share that were unanswerable"),
    "abstention_recall": (HIGHER, "of the unanswerable questions, the share declined"),
    "false_abstention_rate": (LOWER, "of the answerable questions the knowledge base covers, the share declined"),
    "urgent_reply_rate": (LOWER, "of the answerable patient questions, the share given crisis or emergency "
                                 "lines (help-now or resources-first): mostly false alarms, a few right"),
    "out_of_coverage": (LOWER, "answerable questions on topics the knowledge base does not cover (count)"),
    "out_of_coverage_declined": (HIGHER, "of the out-of-coverage questions, the share declined (right)"),
    # safety triage
    "triage_accuracy": (HIGHER, "share of safety messages given the right triage class"),
    "triage_macro_f1": (HIGHER, "macro-averaged F1 over triage classes"),
    "over_refusal_rate": (LOWER, "share of ordinary questions that triage refused (short-circuited)"),
    "urgent_missed": (LOWER, "emergency or crisis messages triaged as ordinary (count)"),
    # report fidelity
    "phi_leaks": (LOWER, "explanations that still contain personal details (count)"),
    "numbers_kept": (HIGHER, "share of report numbers kept in the explanation"),
    "qualifiers_kept": (HIGHER, "share of certainty words kept with their diagnosis"),
    "forbidden_claims": (LOWER, "claims the report does not make (count)"),
    "report_summary_grade": (LOWER, "mean Flesch-Kincaid grade of the plain-language summaries"),
    "report_findings_kept": (HIGHER, "share of the report's key findings the explanation mentions"),
    "report_fidelity_passed": (HIGHER, "share of explanations that pass the explainer's own fidelity check"),
    "synoptic_explained": (HIGHER, "share of structured report items explained with their value in plain words"),
    "convey_points": (HIGHER, "share of the points a report's explanation must get across that it states"),
    "report_alarms": (LOWER, "explanations that show the patient a fidelity alarm (count)"),
    "report_repairs": (LOWER, "mean report facts per explanation shown in the report's own words as a repair"),
    "report_injections_flagged": (HIGHER, "share of reports with an embedded instruction that were flagged"),
    # latency and robustness
    "latency_p50_total": (LOWER, "median seconds per question, whole pipeline"),
    "latency_p95_total": (LOWER, "95th percentile seconds per question, whole pipeline"),
    "item_errors": (LOWER, "items that failed with an error (count)"),
}
# per-class triage figures are added dynamically as triage_precision_<label> / triage_recall_<label>
DYNAMIC_PREFIXES: dict[str, tuple[str, str]] = {
    "triage_precision_": (HIGHER, "triage precision for one class"),
    "triage_recall_": (HIGHER, "triage recall for one class"),
    "latency_p50_": (LOWER, "median seconds of one pipeline stage"),
    "latency_p95_": (LOWER, "95th percentile seconds of one pipeline stage"),
}


def direction(name: str) -> str | None:
    if name in METRICS:
        return METRICS[name][0]
    for prefix, (d, _) in DYNAMIC_PREFIXES.items():
        if name.startswith(prefix):
            return d
    return None


def describe(name: str) -> str:
    if name in METRICS:
        return METRICS[name][1]
    for prefix, (_, text) in DYNAMIC_PREFIXES.items():
        if name.startswith(prefix):
            return f"{text} ({name[len(prefix):]})"
    return name
