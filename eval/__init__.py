"""dermassist evaluation harness: datasets, evaluators, runner, report, compare and quality gates.

``eval`` imports ``assistant``; ``assistant`` never imports ``eval`` (``eval.cli`` adds the ``eval`` command to
``dermassist`` through the ``dermassist.commands`` entry points). Importing this package is cheap: ragas, matplotlib and the models load on use.
"""
