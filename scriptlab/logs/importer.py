"""Import chat logs into the workspace: masked, all files in one transaction.

Re-importing a file already imported (same content hash) is a no-op, so a trainer can
point the command at last month's export folder again without doubling the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from scriptlab.files import file_sha256
from scriptlab.logs.readers import ReadStats, iter_chat_log
from scriptlab.store import schema
from scriptlab.store.imports import find_import, record_import
from scriptlab.store.workspace import Workspace
from scriptlab.text.mask import mask_series


@dataclass(frozen=True)
class FileImport:
    """What happened to one file."""

    source: str
    status: str  # "imported" | "already imported"
    stats: ReadStats


def import_chat_logs(
    ws: Workspace,
    paths: Sequence[Path | str],
    *,
    columns: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    preset: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[FileImport]:
    """Read, mask and store chat logs; nothing is stored unless every file reads cleanly."""
    results: list[FileImport] = []
    with ws.write() as conn:
        for raw_path in paths:
            path = Path(raw_path)
            stats = ReadStats(source=path.name)
            sha = file_sha256(path) if path.is_file() else ""
            if find_import(conn, "chat_log", sha) is not None:
                results.append(FileImport(path.name, "already imported", stats))
                continue
            import_id = record_import(conn, kind="chat_log", source=str(path), sha256=sha, rows=0)
            for chunk in iter_chat_log(path, columns=columns, roles=roles, stats=stats,
                                       preset=preset,
                                       max_chars=ws.settings.logs.max_message_chars):
                chunk = chunk.assign(text=mask_series(chunk["text"]), import_id=import_id)
                records = chunk.rename(columns={"timestamp": "ts"})[
                    ["import_id", "message_id", "session_id", "ts", "role", "agent_id", "text"]
                ]
                rows = records.to_dict("records")
                for row in rows:
                    row["ts"] = row["ts"].to_pydatetime()
                    row["agent_id"] = row["agent_id"] or None
                conn.execute(sa.insert(schema.messages), rows)
                if on_progress:
                    on_progress(len(rows))
            conn.execute(
                sa.update(schema.imports)
                .where(schema.imports.c.id == import_id)
                .values(
                    rows=stats.messages,
                    skipped=stats.skipped_empty + stats.skipped_system,
                    detail={"encoding": stats.encoding, "columns": stats.columns,
                            "skipped_empty": stats.skipped_empty,
                            "skipped_system": stats.skipped_system,
                            "cut": stats.cut, "stripped": stats.stripped},
                )
            )
            results.append(FileImport(path.name, "imported", stats))
    return results
