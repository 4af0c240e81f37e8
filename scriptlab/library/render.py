"""Write a library version's files: faq.json, index.html, faq.md, faq.csv, faq.xlsx.

The page and the Markdown come from jinja2 templates with autoescaping on (scripts are free
text and may contain markup); a shop overrides a template by dropping a file with the same
name into `<workspace>/templates/`. The page's data is embedded as JSON in a
`<script type="application/json">` block with `<`, `>` and `&` written as `\\u003c` etc.,
so no text can close the block, and the page's script only ever sets `textContent`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from scriptlab.errors import ScriptlabError
from scriptlab.library import search
from scriptlab.library.export import write_csv, write_xlsx
from scriptlab.library.faq import FAQ_FILE, FaqLibrary, dumps
from scriptlab.templating import environment
from scriptlab.text.variables import VARIABLE, variables

HTML_TEMPLATE = "faq_page.html.j2"
MARKDOWN_TEMPLATE = "faq.md.j2"
HTML_FILE = "index.html"
MARKDOWN_FILE = "faq.md"

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                   "\u2029": "\\u2029"}


def script_json(data: Any) -> Markup:
    """JSON that is safe inside a `<script>` element (cannot close it or start a comment)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text))


def template_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """Workspace templates first, then the built-in ones; autoescape on."""
    return environment("scriptlab.library", templates_dir)


def search_config(library: FaqLibrary) -> dict[str, Any]:
    """What the page's JavaScript needs to rank exactly like `scriptlab lookup`."""
    texts = [t for e in library.entries for t in (e.question, *e.variants, e.script)]
    return {
        "min_confidence": library.min_confidence,
        **search.page_config(library.synonyms),
        "t2s": traditional_map(texts),
    }


def traditional_map(texts: Iterable[str]) -> dict[str, str]:
    """Traditional → simplified for every character the library uses, in either script.

    OpenCC is too big to ship in the page; a query's characters only matter if the library
    has them, so this small map gives the page the same conversion as Python for those.
    """
    chars = {ch for text in texts for ch in text if "\u3400" <= ch <= "\u9fff"}
    s2t, s2tw, s2hk = _converter("s2t"), _converter("s2tw"), _converter("s2hk")
    candidates = set(chars)
    for ch in chars:
        candidates.update(conv.convert(ch) for conv in (s2t, s2tw, s2hk))
    out = {}
    for ch in sorted(candidates):
        simplified = search.to_simplified(ch)
        if len(ch) == 1 and simplified != ch and len(simplified) == 1:
            out[ch] = simplified
    return out


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def script_parts(script: str) -> list[tuple[str, str]]:
    """The script as (text, variable name) pieces; the name is "" for plain text."""
    parts, start = [], 0
    for m in VARIABLE.finditer(script):
        if m.start() > start:
            parts.append((script[start:m.start()], ""))
        parts.append((m.group(0), m.group(1)))
        start = m.end()
    if start < len(script):
        parts.append((script[start:], ""))
    return parts


def page_data(library: FaqLibrary) -> dict[str, Any]:
    doc = library.to_json()
    return {"library": doc["library"], "search": search_config(library),
            "entries": doc["entries"]}


def render_template(name: str, library: FaqLibrary, templates_dir: Path | None) -> str:
    """Render `faq_page.html.j2` or `faq.md.j2` for a library version."""
    counts = Counter(e.category for e in library.entries)
    env = template_environment(templates_dir)
    context = {
        "library": library, "entries": list(library.entries),
        "categories": [(c, counts[c]) for c in library.categories],
        "published": library.published_at.replace("T", " ")[:16],
    }
    if name == HTML_TEMPLATE:
        context["data_json"] = script_json(page_data(library))
        context["script_parts"] = script_parts
        context["script_variables"] = variables
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        override = templates_dir is not None and (templates_dir / name).exists()
        hint = f" Fix or remove the override {templates_dir / name}." if override else ""
        raise ScriptlabError(f"Template {name}{where}: {exc}.{hint}") from None


def write_outputs(
    library: FaqLibrary, out_dir: Path, templates_dir: Path | None = None
) -> list[Path]:
    """Write every file of a version into `out_dir`; returns their paths.

    Parameters
    ----------
    library:
        The version to write.
    out_dir:
        An existing folder.
    templates_dir:
        The workspace's template overrides, if any.

    Returns
    -------
    list of Path
        faq.json, index.html, faq.md, faq.csv, faq.xlsx.
    """
    paths = [out_dir / FAQ_FILE, out_dir / HTML_FILE, out_dir / MARKDOWN_FILE]
    paths[0].write_text(dumps(library), encoding="utf-8")
    paths[1].write_text(render_template(HTML_TEMPLATE, library, templates_dir), encoding="utf-8")
    paths[2].write_text(render_template(MARKDOWN_TEMPLATE, library, templates_dir),
                        encoding="utf-8")
    paths.append(write_csv(library, out_dir / "faq.csv"))
    paths.append(write_xlsx(library, out_dir / "faq.xlsx"))
    return paths
