"""`scriptlab workspace …`: commands about the workspace's database itself."""

from __future__ import annotations

from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption

workspace_app = App(help="The workspace's database: copy it to another server or file.")


@workspace_app.command("copy")
def copy(
    to: Annotated[str, typer.Option("--to", help="Database URL to copy into (must be empty), "
                                    "e.g. postgresql://user@host/dbname or sqlite:///path.db.")],
    switch: Annotated[bool, typer.Option(
        "--switch/--no-switch",
        help="Point the workspace's [store] url at the copy (default) or only copy.")] = True,
    workspace: WorkspaceOption = None,
) -> None:
    """Copy every table to another database, checked by row count and content hash per table.

    Example: scriptlab workspace copy --to postgresql://trainer@db.example.com/shop
    Example: scriptlab workspace copy --to sqlite:///backup/shop.db --no-switch
    """
    from scriptlab.store.copy import copy_workspace
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)

    def report(digest) -> None:  # noqa: ANN001
        console.info(f"  {digest.table:<18} {digest.rows:>9,} rows  sha256 {digest.sha256[:16]}")

    result = copy_workspace(ws, to, switch=switch, on_table=report)
    total = sum(t.rows for t in result.tables)
    console.done(f"Copied {total:,} rows in {len(result.tables)} tables from {result.source} to "
                 f"{result.target}; every table's row count and hash match.")
    if result.switched:
        console.info(f"{ws.root / 'scriptlab.toml'} now uses {result.target}; the old database "
                     "is kept as it was.")
