"""Quick-reply import files (快捷短语) for the tools agents answer in: 千牛, 抖店飞鸽, 京麦.

Each file is one sheet, one row per entry: the group (the entry's category), its stable
quick-reply code and the script, in the platform's column order. None of the three
platforms' import templates could be confirmed from their published help (README,
"Quick-reply exports", says what was found); the layouts below are the closest documented
ones, and every part of them is a setting (`[library] quick_replies`), so a shop can match
the template its back office hands out without code changes.

A script longer than the platform's limit is left out of that file and reported, never cut;
fill-in slots (``{订单号}``) are rewritten in the platform's placeholder syntax if it has one
(set ``placeholder``), else kept as written for the agent to fill in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scriptlab.cells import safe_cell
from scriptlab.errors import ScriptlabError
from scriptlab.library.faq import FaqLibrary
from scriptlab.text.variables import convert, variables

ROLES = ("group", "code", "text")


@dataclass(frozen=True)
class Layout:
    """One platform's import file: where each value goes and what it may hold."""

    key: str
    title: str
    file: str
    sheet: str
    columns: dict[str, str]  # role (group, code, text) -> column header, in file order
    max_length: int  # characters of script text the platform accepts
    placeholder: str = ""  # e.g. "#{name}#" → #订单号#; "" keeps {订单号} for the agent
    enabled: bool = True


LAYOUTS: dict[str, Layout] = {
    "qianniu": Layout(
        key="qianniu", title="千牛 快捷短语", file="quickreply-qianniu.xlsx", sheet="快捷短语",
        columns={"group": "分组名称", "code": "快捷编码", "text": "短语内容"}, max_length=500,
    ),
    "feige": Layout(
        key="feige", title="抖店飞鸽 快捷短语", file="quickreply-feige.xlsx", sheet="快捷短语",
        columns={"group": "分组", "code": "快捷编码", "text": "快捷短语"}, max_length=500,
    ),
    "jingmai": Layout(
        key="jingmai", title="京麦 快捷回复", file="quickreply-jingmai.xlsx", sheet="快捷回复",
        columns={"group": "分组名称", "code": "快捷码", "text": "回复内容"}, max_length=500,
    ),
}


@dataclass(frozen=True)
class QuickReplyFile:
    """What was written for one platform, and what could not be."""

    layout: Layout
    path: Path
    written: int
    too_long: tuple[tuple[int, str, int], ...] = ()  # (entry id, code, length) left out
    with_variables: tuple[int, ...] = field(default=())  # entries the agent must fill in


def layouts(overrides: Mapping[str, Any] | None = None) -> list[Layout]:
    """The built-in layouts with the workspace's `[library] quick_replies` applied."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(LAYOUTS))
    if unknown:
        raise ScriptlabError(f"scriptlab.toml: [library] quick_replies has unknown platform "
                             f"{unknown[0]!r}; known: {', '.join(LAYOUTS)}.")
    return [_apply(layout, overrides.get(key) or {}) for key, layout in LAYOUTS.items()]


def _apply(layout: Layout, raw: Any) -> Layout:
    where = f"[library] quick_replies.{layout.key}"
    if not isinstance(raw, Mapping):
        raise ScriptlabError(f"scriptlab.toml: {where} should be a table, e.g. "
                             "{ max_length = 300 }.")
    known = {"columns", "max_length", "placeholder", "enabled", "file", "sheet"}
    for name in raw:
        if name not in known:
            raise ScriptlabError(f"scriptlab.toml: unknown setting {name!r} in {where}; "
                                 f"known: {', '.join(sorted(known))}.")
    changes: dict[str, Any] = {}
    if "columns" in raw:
        changes["columns"] = _columns(layout, raw["columns"], where)
    if "max_length" in raw:
        value = raw["max_length"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ScriptlabError(f"scriptlab.toml: {where} max_length should be a whole number "
                                 f"of characters ≥ 1, got {value!r}.")
        changes["max_length"] = value
    for name in ("placeholder", "file", "sheet"):
        if name in raw:
            if not isinstance(raw[name], str):
                raise ScriptlabError(f"scriptlab.toml: {where} {name} should be a string, "
                                     f"got {raw[name]!r}.")
            changes[name] = raw[name]
    if changes.get("placeholder") and "{name}" not in changes["placeholder"]:
        raise ScriptlabError(f"scriptlab.toml: {where} placeholder should contain {{name}} "
                             f"where the variable's name goes, e.g. \"#{{name}}#\".")
    if "file" in changes and (not changes["file"] or Path(changes["file"]).name
                              != changes["file"] or not changes["file"].endswith(".xlsx")):
        raise ScriptlabError(f"scriptlab.toml: {where} file should be a plain file name "
                             "ending in .xlsx, e.g. \"qianniu.xlsx\".")
    if "enabled" in raw:
        if not isinstance(raw["enabled"], bool):
            raise ScriptlabError(f"scriptlab.toml: {where} enabled should be true or false.")
        changes["enabled"] = raw["enabled"]
    return replace(layout, **changes)


def _columns(layout: Layout, raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) and v.strip()
                                               for v in raw.values()):
        raise ScriptlabError(f"scriptlab.toml: {where} columns should be a table of role = "
                             "\"header\", e.g. { group = \"分组\", code = \"编码\", "
                             "text = \"内容\" }.")
    bad = sorted(set(raw) - set(ROLES))
    if bad:
        raise ScriptlabError(f"scriptlab.toml: {where} columns has unknown role {bad[0]!r}; "
                             f"roles: {', '.join(ROLES)}.")
    merged = {**layout.columns, **{k: v.strip() for k, v in raw.items()}}
    if len(set(merged.values())) < len(merged):
        raise ScriptlabError(f"scriptlab.toml: {where} columns gives two roles the same header.")
    return merged


def rows(library: FaqLibrary, layout: Layout) -> tuple[list[list[str]], QuickReplyFile]:
    """The sheet's rows (header first) and the report, without writing anything."""
    header = list(layout.columns.values())
    out: list[list[str]] = [header]
    too_long: list[tuple[int, str, int]] = []
    filled: list[int] = []
    for entry in library.entries:
        text = convert(entry.script, layout.placeholder)
        if len(text) > layout.max_length:
            too_long.append((entry.id, entry.code, len(text)))
            continue
        if variables(entry.script):
            filled.append(entry.id)
        values = {"group": entry.category, "code": entry.code, "text": text}
        out.append([safe_cell(values[role]) for role in layout.columns])
    report = QuickReplyFile(layout, Path(layout.file), len(out) - 1, tuple(too_long),
                            tuple(filled))
    return out, report


def write_quick_replies(
    library: FaqLibrary, out_dir: Path, overrides: Mapping[str, Any] | None = None
) -> list[QuickReplyFile]:
    """Write each enabled platform's file into `out_dir`; returns what each holds."""
    written = []
    for layout in layouts(overrides):
        if layout.enabled:
            table, report = rows(library, layout)
            path = out_dir / layout.file
            _write_xlsx(table, path, layout, library.version)
            written.append(replace(report, path=path))
    return written


def _write_xlsx(table: Sequence[Sequence[str]], path: Path, layout: Layout, version: int) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = layout.sheet
    for row in table:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_column = list(layout.columns).index("text")
    for n, role in enumerate(layout.columns):
        letter = sheet.cell(row=1, column=n + 1).column_letter
        sheet.column_dimensions[letter].width = {"group": 12, "code": 12}.get(role, 80)
    for row in sheet.iter_rows(min_row=2):
        row[text_column].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    book.properties.title = f"{layout.title} v{version}"
    book.save(path)
