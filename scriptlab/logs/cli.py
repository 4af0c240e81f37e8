"""`scriptlab logs ...`: check and import chat-log exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption

logs_app = App(help="Check and import chat-log exports (CSV, TSV, JSONL, XLSX, 千牛 TXT).")

MapOption = Annotated[
    str | None,
    typer.Option("--map", help="Name columns yourself: text=内容,role=发送方,session_id=会话"),
]
RolesOption = Annotated[
    str | None,
    typer.Option("--roles", help="Extra role values or patterns: 访客=customer,"
                 "暖居京东_*=agent,*=customer (ignore drops a sender)"),
]
PresetOption = Annotated[
    str | None,
    typer.Option("--preset", help="The platform the export comes from, when it is not "
                 "recognised: qianniu, jd, doudian, intercom, zendesk, freshdesk"),
]
FilesArg = Annotated[list[Path], typer.Argument(metavar="FILE", help="Chat-log files.",
                                                show_default=False)]


def cleanup_note(stats, max_chars: int) -> str:  # noqa: ANN001 - logs.readers.ReadStats
    """What reading changed in a file's cells, in one line."""
    parts = []
    if stats.cut:
        parts.append(f"{stats.cut} messages longer than {max_chars:,} characters cut "
                     "([logs] max_message_chars)")
    if stats.stripped:
        parts.append(f"{stats.stripped} NUL characters / stray byte-order marks removed")
    return f"{stats.source}: " + "; ".join(parts) + "."


def parse_read_options(map_spec: str | None, roles_spec: str | None,
                       preset: str | None = None) -> dict:
    """Shared by every command that reads chat logs (`logs ...`, `mine`)."""
    from scriptlab.logs.columns import COLUMN_ALIASES, parse_mapping
    from scriptlab.logs.platforms import check_preset

    return {
        "columns": parse_mapping(map_spec, COLUMN_ALIASES, "--map"),
        "roles": parse_mapping(roles_spec, (), "--roles"),
        "preset": check_preset(preset),
    }


@logs_app.command("check")
def check(files: FilesArg, map_spec: MapOption = None, roles_spec: RolesOption = None,
          preset: PresetOption = None) -> None:
    """Read chat logs without importing them and show what scriptlab understood.

    Example: scriptlab logs check data/sample_chats.csv
    """
    from scriptlab.logs.platforms import platform_label
    from scriptlab.logs.readers import read_chat_log

    options = parse_read_options(map_spec, roles_spec, preset)
    for path in files:
        frame, stats = read_chat_log(path, **options)
        columns = ", ".join(f"{k}←{v}" for k, v in stats.columns.items())
        layout = f"{platform_label(stats.platform)}; " if stats.platform else ""
        console.info(f"{path}: {layout}{stats.encoding}; columns {columns}")
        console.info(
            f"  {stats.messages} messages ({stats.customer} customer, {stats.agent} agent), "
            f"{frame['session_id'].nunique()} sessions, "
            f"{stats.skipped_empty} empty and {stats.skipped_system} system rows skipped"
        )
        if stats.stripped:
            console.warn(cleanup_note(stats, 0))
        if not frame.empty:
            console.info(f"  from {frame['timestamp'].min()} to {frame['timestamp'].max()}")


@logs_app.command("import")
def import_(
    files: FilesArg,
    map_spec: MapOption = None,
    roles_spec: RolesOption = None,
    preset: PresetOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Import chat logs into the workspace (masked; all files or none).

    Example: scriptlab logs import data/sample_chats.csv -w my-shop
    """
    from scriptlab.logs.importer import import_chat_logs
    from scriptlab.store.workspace import open_workspace

    options = parse_read_options(map_spec, roles_spec, preset)
    ws = open_workspace(workspace)
    with console.progress("Importing messages") as advance:
        results = import_chat_logs(ws, files, on_progress=advance, **options)
    for result in results:
        s = result.stats
        if result.status == "imported":
            console.info(
                f"{result.source}: imported {s.messages} messages "
                f"(skipped {s.skipped_empty} empty, {s.skipped_system} system)"
            )
            if s.cut or s.stripped:
                console.warn(cleanup_note(s, ws.settings.logs.max_message_chars))
        else:
            console.info(f"{result.source}: already imported, skipped")
