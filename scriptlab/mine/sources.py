"""Where mining's message chunks come from: chat-log files, or the messages imported into
the workspace (asked of the logs stage, `scriptlab.logs.queries`). `mine` reads one of them
and hands the chunks to the pure `scriptlab.mine.pipeline.mine_messages`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scriptlab.errors import ScriptlabError
from scriptlab.logs.queries import has_messages, message_chunks
from scriptlab.mine.pipeline import CHUNK, MineOptions, MineResult, mine_messages
from scriptlab.service.metrics import ServiceCollector, service_metrics


@dataclass
class _Skipped:
    """Skipped-row count filled in while files are streamed."""

    stats: list = field(default_factory=list)

    def total(self) -> int:
        return sum(s.skipped_empty + s.skipped_system for s in self.stats)


def iter_files(
    paths: Sequence[Path], options: MineOptions, skipped: _Skipped,
    max_chars: int | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream every file's chunks (reading errors name the file and row)."""
    from scriptlab.logs.readers import ReadStats, iter_chat_log

    for path in paths:
        stats = ReadStats(source=Path(path).name)
        skipped.stats.append(stats)
        yield from iter_chat_log(path, columns=options.columns or None,
                                 roles=options.roles or None, chunksize=CHUNK, stats=stats,
                                 preset=options.preset, max_chars=max_chars)


def iter_workspace(ws, options: MineOptions) -> Iterator[pd.DataFrame]:  # noqa: ANN001
    """Stream the messages imported into the workspace (already masked), oldest first."""
    with ws.engine.connect() as conn:
        yield from message_chunks(conn, since=options.since, until=options.until,
                                  chunk=CHUNK)


def mine(
    ws,  # noqa: ANN001 - scriptlab.store.workspace.Workspace
    paths: Sequence[Path] = (),
    options: MineOptions | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> MineResult:
    """Mine chat-log files, or (no files) the messages imported into the workspace.

    The shop's dictionary and synonyms are read from the workspace first.
    """
    from scriptlab.text.vocabulary import ensure_vocabulary_files, load_vocabulary

    options = options or MineOptions()
    settings = ws.settings.mine
    ensure_vocabulary_files(ws.root, settings)
    vocabulary = load_vocabulary(ws.root, settings)
    if paths:
        _check_files(paths)
        skipped = _Skipped()
        chunks = iter_files(paths, options, skipped, ws.settings.logs.max_message_chars)
        sources = [str(p) for p in paths]
        read_stats = skipped.total
    else:
        if not _workspace_has_messages(ws):
            raise ScriptlabError(
                f"No chat logs given and none imported into the workspace {ws.root}. Give "
                "files (scriptlab mine chats.csv) or import them first: scriptlab logs import "
                "chats.csv"
            )
        chunks = iter_workspace(ws, options)
        sources = ["workspace"]
        read_stats = None
    collector = ServiceCollector(options.since, options.until)
    result = mine_messages(
        collector.wrap(chunks), sources=sources, settings=settings, options=options,
        synonyms=vocabulary.synonyms, on_progress=on_progress, read_stats=read_stats,
    )
    service = service_metrics(collector.messages(), ws.settings.service)
    stats = dataclasses.replace(result.stats, service=[s.as_dict() for s in service])
    return MineResult(groups=result.groups, stats=stats, settings=settings,
                      assignments=result.assignments, vocabulary_sources=vocabulary.sources)


def _check_files(paths: Sequence[Path]) -> None:
    """Fail before reading anything when a file is missing or unreadable."""
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise ScriptlabError(f"{path}: no such file.")
        if path.is_dir():
            raise ScriptlabError(f"{path} is a folder; give the chat-log files inside it.")
        try:
            with open(path, "rb") as fh:
                fh.read(1)
        except OSError as exc:
            raise ScriptlabError(
                f"{path}: cannot read it ({exc.strerror}). Check the file's permissions."
            ) from exc


def _workspace_has_messages(ws) -> bool:  # noqa: ANN001
    with ws.engine.connect() as conn:
        return has_messages(conn)
