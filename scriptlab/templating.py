"""One way to render documents: jinja2 with autoescape, workspace overrides first.

Every stage renders its documents through `environment(package, templates_dir)`, so a shop
can override any built-in template by dropping a file with the same name into
`<workspace>/templates/`, and every document escapes user text the same way.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from scriptlab.errors import ScriptlabError

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def markdown_inline(value: object) -> Markup:
    """Backslash-escape Markdown punctuation, then HTML-escape (entities stay intact)."""
    text = " ".join(str(value).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))


def markdown_quote(value: object) -> Markup:
    """A multi-line text as a Markdown block quote, each line escaped."""
    lines = str(value).splitlines() or [""]
    return Markup("\n".join(f"> {markdown_inline(line)}".rstrip() for line in lines))


class TemplateRefused(ScriptlabError):
    """A workspace template reached outside the workspace or outside the sandbox."""


class _WorkspaceLoader(jinja2.FileSystemLoader):
    """Workspace overrides, refusing any file (a symlink) that resolves outside the workspace."""

    def __init__(self, templates_dir: Path) -> None:
        super().__init__(str(templates_dir))
        self.templates_dir = templates_dir
        self.root = templates_dir.parent.resolve()

    def get_source(self, environment: jinja2.Environment, template: str):  # noqa: ANN201
        source, filename, uptodate = super().get_source(environment, template)
        target = Path(filename).resolve()
        if not target.is_relative_to(self.root):
            raise TemplateRefused(
                f"Template {self.templates_dir / template} leads outside the workspace (to "
                f"{target}); templates must be files inside {self.root}. Copy the file there "
                "instead of linking to it."
            )
        return source, filename, uptodate


class _Sandboxed(SandboxedEnvironment):
    """jinja2's sandbox: a template cannot reach Python internals (``__globals__``, os …)."""

    def handle_exception(self, source: str | None = None):  # noqa: ANN201
        exc = sys.exc_info()[1]
        if isinstance(exc, SecurityError):
            raise TemplateRefused(
                f"A template tried something templates may not do ({exc}); templates render "
                "in a sandbox. Remove that from the workspace template."
            ) from None
        return super().handle_exception(source)


def environment(package: str, templates_dir: Path | None = None) -> jinja2.Environment:
    """Templates of `package` (its `templates/` folder), overridable from `templates_dir`.

    Autoescape is on for every template; undefined names are errors, so a broken
    override fails loudly instead of printing blanks. Everything renders in jinja2's
    sandbox, and override files must lie inside the workspace (no symlink out of it):
    templates are trusted input, but a shared workspace should not become a way to read
    the machine's files or run code.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(_WorkspaceLoader(templates_dir))
    loaders.append(jinja2.PackageLoader(package, "templates"))
    env = _Sandboxed(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = markdown_inline
    env.filters["md_quote"] = markdown_quote
    return env
