"""Dermatopathology report explainer: de-identify, parse, extract findings, explain in plain language.

    from assistant.reports import Explainer
    explanation = Explainer(settings).explain(report_text)   # a ReportExplanation
    print(explanation.to_markdown())

Nothing heavy is imported here; the knowledge base is read on the first ``explain`` call and kept on the
``Explainer`` object.
"""

from __future__ import annotations

__all__ = ["Explainer", "ReportExplanation", "explain_report", "read_report_file"]


def __getattr__(name: str):
    if name in ("Explainer", "ReportExplanation", "explain_report"):
        from . import explain

        return getattr(explain, name)
    if name == "read_report_file":
        from .inputs import read_report_file

        return read_report_file
    raise AttributeError(name)
