"""Workspace settings: `scriptlab.toml`, read into one typed, frozen object.

Each stage owns its section as a dataclass in `scriptlab/<stage>/settings.py`
(defaults live in code, next to the code that uses them). This module only
loads the file, checks names and types, and writes a documented default file.
"""

from __future__ import annotations

import dataclasses
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scriptlab.errors import ScriptlabError
from scriptlab.library.settings import LibrarySettings
from scriptlab.logs.settings import LogsSettings
from scriptlab.mine.settings import MineSettings
from scriptlab.quiz.settings import QuizSettings
from scriptlab.scoring.settings import ScoringSettings
from scriptlab.service.settings import ServiceSettings
from scriptlab.setting import help_of, setting
from scriptlab.web.settings import UiSettings, WebSettings

SETTINGS_FILE = "scriptlab.toml"


@dataclass(frozen=True)
class StoreSettings:
    """Where the workspace database lives."""

    url: str = setting(
        "",
        "SQLAlchemy URL; empty means the SQLite file `scriptlab.db` inside the workspace. A "
        "team's shared store: postgresql://user@host:5432/dbname (no password in the URL).",
    )
    password_env: str = setting(
        "SCRIPTLAB_DB_PASSWORD",
        "Environment variable holding the PostgreSQL password (libpq's PGPASSWORD and "
        "~/.pgpass work too); the password is never written to this file.",
    )
    busy_timeout: float = setting(
        30.0, "Seconds a command waits for another command's write to finish before giving up."
    )


@dataclass(frozen=True)
class Settings:
    """Everything configurable, one section per stage."""

    store: StoreSettings = field(default_factory=StoreSettings)
    logs: LogsSettings = field(default_factory=LogsSettings)
    mine: MineSettings = field(default_factory=MineSettings)
    quiz: QuizSettings = field(default_factory=QuizSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    library: LibrarySettings = field(default_factory=LibrarySettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    web: WebSettings = field(default_factory=WebSettings)


def load_settings(path: Path) -> Settings:
    """Read `scriptlab.toml`; a missing file means all defaults."""
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScriptlabError(f"{path}: not valid TOML ({exc}). Fix the file or delete it "
                             "to go back to the defaults.") from exc
    return settings_from_dict(raw, source=str(path))


def settings_from_dict(raw: dict[str, Any], source: str = SETTINGS_FILE) -> Settings:
    """Build `Settings` from parsed TOML, rejecting unknown names and wrong types."""
    sections = {f.name: f for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    for name, table in raw.items():
        if name not in sections:
            raise ScriptlabError(
                f"{source}: unknown section [{name}]; known sections: {', '.join(sections)}."
            )
        if not isinstance(table, dict):
            raise ScriptlabError(f"{source}: [{name}] must be a table of settings.")
        values[name] = _build_section(sections[name].default_factory(), table, name, source)
    return Settings(**values)


def _build_section(default: Any, table: dict[str, Any], name: str, source: str) -> Any:
    known = {f.name: getattr(default, f.name) for f in dataclasses.fields(default)}
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ScriptlabError(
                f"{source}: unknown setting '{key}' in [{name}]; known: {', '.join(known)}."
            )
        changes[key] = _coerce(value, known[key], f"[{name}] {key}", source)
    return dataclasses.replace(default, **changes)


def _coerce(value: Any, default: Any, where: str, source: str) -> Any:
    expected: type | tuple[type, ...] = type(default)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, tuple):
        ok = isinstance(value, list)
        value = tuple(tuple(v) if isinstance(v, list) else v for v in value) if ok else value
        expected = list
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise ScriptlabError(
            f"{source}: {where} should be {_type_word(expected)}, got {value!r}."
        )
    return value


def _type_word(kind: type | tuple[type, ...]) -> str:
    words = {bool: "true or false", int: "a whole number", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    return words.get(kind, str(kind)) if isinstance(kind, type) else "a value"


def default_settings_toml(chosen: dict[str, dict[str, Any]] | None = None) -> str:
    """The documented `scriptlab.toml` that `scriptlab init` writes: every default, commented,
    under its help (the settings' own field help).

    `chosen` holds values given at init (e.g. `{"store": {"url": …}}`), written uncommented.
    """
    chosen = chosen or {}
    lines = [
        "# scriptlab workspace settings. Every commented setting line below is a default",
        "# value; uncomment it to change it. Lines starting with '##' say what it does.",
        "# Docs: README.md, section 'Settings'.",
        "",
    ]
    defaults = Settings()
    for section in dataclasses.fields(Settings):
        lines.append(f"[{section.name}]")
        value = getattr(defaults, section.name)
        picked = chosen.get(section.name, {})
        for f in dataclasses.fields(value):
            lines.extend(f"## {line}" for line in textwrap.wrap(help_of(f), 90))
            if f.name in picked:
                lines.append(f"{f.name} = {_toml_value(picked[f.name])}")
            else:
                lines.append(f"# {f.name} = {_toml_value(getattr(value, f.name))}")
        lines.append("")
    return "\n".join(lines)


def write_store_url(path: Path, url: str) -> None:
    """Point `[store] url` in an existing settings file at `url`, keeping every other line.

    An empty `url` comments the line out again (the workspace's own SQLite file).
    """
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    new = f"url = {_toml_value(url)}" if url else f"# url = {_toml_value('')}"
    section, start, done = "", None, False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped.strip("[]").strip()
            if section == "store":
                start = i
            continue
        key = stripped.lstrip("#").split("=", 1)[0].strip()
        if section == "store" and key == "url" and "=" in stripped:
            if not done:
                lines[i] = new
                done = True
            elif not stripped.startswith("#"):
                lines[i] = "# " + line
    if not done:
        if start is None:
            lines += ["", "[store]", new]
        else:
            lines.insert(start + 1, new)
    text = "\n".join(lines) + "\n"
    if settings_from_dict(tomllib.loads(text), source=str(path)).store.url != url:
        raise ScriptlabError(f"{path}: could not set [store] url; set it by hand to {url!r}.")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# The README's settings table sits between these lines; `python -m scriptlab.settings
# README.md` rewrites it from the settings' help (a test fails when it is stale).
TABLE_START = "<!-- settings table: generated by `python -m scriptlab.settings README.md` -->"
TABLE_END = "<!-- end of settings table -->"


def settings_table() -> str:
    """Every setting as a Markdown table row: section, name, default, meaning."""
    rows = ["| section | setting | default | meaning |", "|---|---|---|---|"]
    defaults = Settings()
    for section in dataclasses.fields(Settings):
        value = getattr(defaults, section.name)
        for number, f in enumerate(dataclasses.fields(value)):
            where = f"`[{section.name}]`" if number == 0 else ""
            meaning = help_of(f).replace("|", "\\|")
            rows.append(f"| {where} | `{f.name}` | {_table_value(getattr(value, f.name))} "
                        f"| {meaning} |")
    return "\n".join(rows)


def _table_value(value: Any) -> str:
    """A default as the table shows it: short values written out, long lists counted."""
    text = _toml_value(value)
    if len(text) <= 40:
        return "`" + text.replace("|", "\\|") + "`"
    count = len(value)
    return f"{count} {'entries' if isinstance(value, dict) else 'words'} (see `scriptlab init`)"


def with_settings_table(readme: str) -> str:
    """`readme` with the text between `TABLE_START` and `TABLE_END` replaced by a fresh table."""
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        raise ScriptlabError(f"README has no settings table markers ({TABLE_START} … {TABLE_END}).")
    return readme[: start + len(TABLE_START)] + "\n" + settings_table() + "\n" + readme[end:]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ["README.md"]:
        readme = Path(name)
        readme.write_text(with_settings_table(readme.read_text(encoding="utf-8")),
                          encoding="utf-8")
        print(f"{readme}: settings table regenerated")
