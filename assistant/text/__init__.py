"""Shared text tools. ``citations``: the one grammar of citation markers ("[1]" or "[1, 2]") that the answer, its
guard, readability, the evaluation and the web app all use."""
