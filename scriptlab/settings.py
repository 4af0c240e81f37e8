"""Workspace settings: `scriptlab.toml`, read into one typed, frozen object.

Each stage owns its section as a dataclass in `scriptlab/<stage>/settings.py`
(defaults live in code, next to the code that uses them). This module only
loads the file, checks names and types, and writes a documented default file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scriptlab.errors import ScriptlabError
from scriptlab.library.settings import LibrarySettings
from scriptlab.mine.settings import MineSettings
from scriptlab.quiz.settings import QuizSettings
from scriptlab.scoring.settings import ScoringSettings
from scriptlab.service.settings import ServiceSettings
from scriptlab.web.settings import UiSettings, WebSettings

SETTINGS_FILE = "scriptlab.toml"


@dataclass(frozen=True)
class StoreSettings:
    """Where the workspace database lives."""

    # SQLAlchemy URL; empty means the SQLite file `scriptlab.db` inside the workspace.
    url: str = ""
    # Seconds a command waits for another command's write to finish before giving up.
    busy_timeout: float = 30.0


@dataclass(frozen=True)
class Settings:
    """Everything configurable, one section per stage."""

    store: StoreSettings = field(default_factory=StoreSettings)
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


def default_settings_toml() -> str:
    """The documented `scriptlab.toml` that `scriptlab init` writes: every default, commented."""
    lines = [
        "# scriptlab workspace settings. Every line below is a default; uncomment to change it.",
        "# Docs: README.md, section 'Settings'.",
        "",
    ]
    defaults = Settings()
    for section in dataclasses.fields(Settings):
        lines.append(f"[{section.name}]")
        value = getattr(defaults, section.name)
        for f in dataclasses.fields(value):
            lines.append(f"# {f.name} = {_toml_value(getattr(value, f.name))}")
        lines.append("")
    return "\n".join(lines)


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
