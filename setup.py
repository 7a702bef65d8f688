"""Ships knowledge_base/ inside the wheel as the package data folder ``assistant/kb_data``.

Everything else is declared in pyproject.toml; a checkout uses knowledge_base/ directly.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["assistant*", "eval*", "ui*"]) + ["assistant.kb_data"],
    package_dir={"assistant.kb_data": "knowledge_base"},
    package_data={
        "assistant.kb_data": ["*.md", "*.yaml", "*/*.md", "*/*.yaml"],
        "assistant": ["prompts/*.txt", "prompts/*.jinja", "prompts/*.j2", "reports/templates/*.jinja",
                      "safety/triage_head.npz", "aspect_head.npz", "name_head.npz"],
        "eval": ["datasets/*.jsonl", "datasets/*.json", "datasets/*/*.txt", "templates/*.jinja"],
        "ui": ["templates/*.jinja"],
    },
    include_package_data=False,
)
