"""dermassist evaluation harness: datasets, evaluators, runner, report, compare and quality gates.

``eval`` imports ``assistant``; ``assistant`` never imports ``eval`` (the CLI's ``eval`` command imports it
inside the function). Importing this package is cheap: ragas, matplotlib and the models load on use.
"""
