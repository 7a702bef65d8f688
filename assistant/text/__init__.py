"""Shared text tools. ``citations``: the one grammar of citation markers ("[1]" or "[1, 2]") that the answer, its
guard, readability, the evaluation and the web app all use. ``sentences``: the one abbreviation-aware sentence
splitter. ``negation``: the one clause-aware negation scope (the safety rules and the evaluation's claim checks)."""
