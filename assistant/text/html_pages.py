"""HTML pages and fragments from Jinja2 templates with autoescape: the one way dermassist writes HTML markup.

Each package keeps its templates in its own ``templates/`` folder, shipped as package data:
``render("eval", "report.html.jinja", ...)`` reads ``eval/templates/report.html.jinja``. Every value put into a
template is escaped unless it is ``Markup``; only constant project-written markup (CSS, a script) and fragments
these templates rendered are ever wrapped in ``Markup`` (``safe``). A missing variable is an error, never "".
jinja2 is imported on first use, not when this module is.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def environment(package: str):
    """The Jinja2 environment for ``<package>/templates`` (autoescape on, StrictUndefined), built once."""
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader(package, "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(package: str, template: str, /, **values) -> str:
    """Render ``<package>/templates/<template>`` with ``values`` (each escaped unless it is Markup)."""
    return environment(package).get_template(template).render(**values)


def safe(markup: str):
    """Mark project-written markup (a constant, or a fragment one of these templates rendered) as safe HTML.
    Never for text from a user, a dataset, a report or a model."""
    from markupsafe import Markup

    return Markup(markup)
