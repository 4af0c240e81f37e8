"""One way to render documents: jinja2 with autoescape, workspace overrides first.

Every stage renders its documents through `environment(package, templates_dir)`, so a shop
can override any built-in template by dropping a file with the same name into
`<workspace>/templates/`, and every document escapes user text the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def markdown_inline(value: object) -> Markup:
    """Backslash-escape Markdown punctuation, then HTML-escape (entities stay intact)."""
    text = " ".join(str(value).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))


def markdown_quote(value: object) -> Markup:
    """A multi-line text as a Markdown block quote, each line escaped."""
    lines = str(value).splitlines() or [""]
    return Markup("\n".join(f"> {markdown_inline(line)}".rstrip() for line in lines))


def environment(package: str, templates_dir: Path | None = None) -> jinja2.Environment:
    """Templates of `package` (its `templates/` folder), overridable from `templates_dir`.

    Autoescape is on for every template; undefined names are errors, so a broken
    override fails loudly instead of printing blanks.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.PackageLoader(package, "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = markdown_inline
    env.filters["md_quote"] = markdown_quote
    return env
