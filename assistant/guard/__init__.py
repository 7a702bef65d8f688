"""Guards on what an LLM writes for a patient: ``answer`` checks each sentence of an answer against the passages
it was given (support, numbers, medicines, diagnoses, citations); ``support`` scores how well a passage supports a
sentence. The report explainer's fidelity checks live beside it in ``assistant.reports.fidelity``, and the one
prompt-injection detector in ``assistant.safety.injection``."""
