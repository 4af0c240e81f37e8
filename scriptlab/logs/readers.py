"""Read exported chat logs into one standard DataFrame shape, chunk by chunk.

Every reader yields DataFrames with `STANDARD_COLUMNS`:

- ``message_id`` (str): from the file, else ``<file>:<row>``
- ``session_id`` (str), ``timestamp`` (datetime64), ``role`` ("customer" | "agent")
- ``agent_id`` (str, empty when unknown), ``text`` (str, raw: masking is the caller's job)
- ``source`` (file name) and ``row`` (row or line in the file, as a person would count it)

Files are streamed in chunks so a multi-million-message export never has to fit in memory.
System and bot messages are dropped, rows with empty text skipped; both are counted in
`ReadStats`. Anything wrong raises `ScriptlabError` naming the file, the row and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scriptlab.errors import ScriptlabError
from scriptlab.io.encoding import (
    check_first_line,
    detect_encoding,
    first_bad_line,
    mixed_encoding_error,
)
from scriptlab.logs.columns import RoleTable, resolve_columns, role_table
from scriptlab.logs.platforms import check_preset, detect_platform

STANDARD_COLUMNS = ["message_id", "session_id", "timestamp", "role", "agent_id", "text",
                    "source", "row"]
FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "csv", ".jsonl": "jsonl",
           ".ndjson": "jsonl", ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}
DEFAULT_CHUNK = 200_000
_INVISIBLE = "[\x00\ufeff]"


@dataclass
class ReadStats:
    """What reading one file found."""

    source: str
    encoding: str = ""
    platform: str = ""  # the export layout recognised (or named with --preset), if any
    columns: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    messages: int = 0
    customer: int = 0
    agent: int = 0
    skipped_empty: int = 0
    skipped_system: int = 0
    cut: int = 0  # messages longer than max_chars, cut to it
    stripped: int = 0  # NUL characters and stray byte-order marks removed from cells


def read_chat_log(
    path: Path | str,
    *,
    columns: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    preset: str | None = None,
) -> tuple[pd.DataFrame, ReadStats]:
    """Read a whole chat log; see `iter_chat_log` for the parameters."""
    stats = ReadStats(source=Path(path).name)
    chunks = list(iter_chat_log(path, columns=columns, roles=roles, preset=preset,
                                stats=stats))
    frame = pd.concat(chunks, ignore_index=True) if chunks else _empty()
    return frame, stats


def read_chat_logs(
    paths: Sequence[Path | str],
    *,
    columns: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    preset: str | None = None,
) -> tuple[pd.DataFrame, list[ReadStats]]:
    """Read several chat logs into one frame (in file order)."""
    frames, all_stats = [], []
    for path in paths:
        frame, stats = read_chat_log(path, columns=columns, roles=roles, preset=preset)
        frames.append(frame)
        all_stats.append(stats)
    frame = pd.concat(frames, ignore_index=True) if frames else _empty()
    return frame, all_stats


def iter_chat_log(
    path: Path | str,
    *,
    columns: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    chunksize: int = DEFAULT_CHUNK,
    stats: ReadStats | None = None,
    preset: str | None = None,
    max_chars: int | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield standard-shaped chunks of one chat log.

    Parameters
    ----------
    path
        A .csv, .tsv, .jsonl, .json or .xlsx export.
    columns
        Explicit standard-column -> file-column names (``{"text": "内容"}``); the rest is
        recognised from common Chinese and English names.
    roles
        Extra role values: ``{"访客": "customer", "小二": "agent", "通知": "ignore"}``;
        keys with ``*``/``?`` are patterns (``{"暖居京东_*": "agent"}``).
    chunksize
        Rows per yielded chunk.
    stats
        Filled in while reading (pass one in to get counts from a streamed read).
    preset
        The platform the export comes from (`scriptlab.logs.platforms.preset_names`); by
        default recognised from the header, or from the text of a 千牛 .txt record.
    max_chars
        Cut longer message texts to this many characters (counted in ``stats.cut``).
    """
    path = Path(path)
    stats = stats if stats is not None else ReadStats(source=path.name)
    if not path.exists():
        raise ScriptlabError(f"{path}: no such file.")
    if path.is_dir():
        raise ScriptlabError(f"{path} is a folder; give the chat-log files inside it.")
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ScriptlabError(
            f"{path}: unsupported file type '{path.suffix}'. Export the chat log as "
            f"{', '.join(sorted(set(FORMATS)))}."
        )
    if path.stat().st_size == 0:
        raise ScriptlabError(f"{path}: the file is empty. Export the chat log again.")
    preset = check_preset(preset)
    table = role_table(roles or {})
    if kind == "csv" and _is_transcript(path, preset, stats):
        raw_chunks = _read_transcript(path, chunksize, stats)
    else:
        raw_chunks = _RAW_READERS[kind](path, chunksize, stats)
    resolved: dict[str, str] | None = None
    platform = None
    any_rows = False
    for raw, first_row in raw_chunks:
        if resolved is None:
            if len(raw.columns) == 0:
                break
            header = [str(c) for c in raw.columns]
            platform = None if columns else detect_platform(header, preset)
            if platform is not None:
                stats.platform = platform.name
                raw = platform.adapt(raw)
            resolved = resolve_columns([str(c) for c in raw.columns], columns or {}, str(path))
            stats.columns = dict(resolved)
        elif platform is not None:
            raw = platform.adapt(raw)
        if raw.empty:
            continue
        any_rows = True
        chunk = _standardise(raw, resolved, table, first_row, path, stats, max_chars)
        if not chunk.empty:
            yield chunk
    if not any_rows:
        raise ScriptlabError(f"{path}: has a header but no messages. Export the chat log again.")


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in STANDARD_COLUMNS})
    frame["timestamp"] = pd.Series(dtype="datetime64[ns]")
    frame["row"] = pd.Series(dtype="int64")
    return frame


def _standardise(
    raw: pd.DataFrame,
    resolved: dict[str, str],
    table: RoleTable,
    first_row: int,
    path: Path,
    stats: ReadStats,
    max_chars: int | None = None,
) -> pd.DataFrame:
    n = len(raw)
    stats.rows += n
    if "__line__" in raw.columns:  # text transcripts: a message starts on its own line
        rows = pd.Index(raw["__line__"].astype("int64").to_numpy())
    else:
        rows = pd.RangeIndex(first_row, first_row + n)

    def column(name: str) -> pd.Series:
        if name not in resolved:
            return pd.Series([""] * n, index=raw.index, dtype=object)
        values = raw[resolved[name]].fillna("").astype(str)
        invisible = values.str.count(_INVISIBLE)  # NUL bytes, BOMs of concatenated exports
        if invisible.any():
            stats.stripped += int(invisible.sum())
            values = values.str.replace(_INVISIBLE, "", regex=True)
        return values.str.strip()

    text = column("text")
    if max_chars:
        long = text.str.len().gt(max_chars)
        if long.any():
            stats.cut += int(long.sum())
            text = text.where(~long, text.str.slice(0, max_chars))
    role_raw = column("role")
    # Few distinct role values in millions of rows: classify each distinct value once.
    codes, distinct = pd.factorize(role_raw, sort=False)
    looked_up = [table.lookup(v) for v in distinct]
    known = np.array([found for found, _ in looked_up] + [False], dtype=bool)
    mapped = np.array([role for _, role in looked_up] + [None], dtype=object)
    role = pd.Series(mapped[codes], index=raw.index)
    unknown = pd.Series(~known[codes], index=raw.index)
    if unknown.any():
        seen = [str(s) for s in pd.unique(role_raw[unknown])[:10]]
        first = int(rows[unknown.to_numpy().argmax()])
        raise ScriptlabError(
            f"{path} row {first}: unknown role value(s) {', '.join(repr(s) for s in seen)} in "
            f"column '{resolved['role']}'. {table.advice(seen, len(distinct))}"
        )
    system = role.isna()
    empty = text.eq("") & ~system
    stats.skipped_system += int(system.sum())
    stats.skipped_empty += int(empty.sum())
    keep = (~system & ~empty).to_numpy()

    session = column("session_id")
    missing_session = session.eq("").to_numpy() & keep
    if missing_session.any():
        first = int(rows[missing_session.argmax()])
        raise ScriptlabError(
            f"{path} row {first}: no session id in column '{resolved['session_id']}'. "
            "Every message needs the id of the chat it belongs to."
        )
    timestamps = _parse_times(column("timestamp"), keep, rows, path, resolved["timestamp"])
    message_id = column("message_id")
    if "message_id" not in resolved:
        message_id = pd.Series([f"{path.name}:{r}" for r in rows], index=raw.index)
    out = pd.DataFrame(
        {
            "message_id": message_id.to_numpy()[keep],
            "session_id": session.to_numpy()[keep],
            "timestamp": timestamps[keep],
            "role": role.to_numpy()[keep],
            "agent_id": column("agent_id").to_numpy()[keep],
            "text": text.to_numpy()[keep],
            "source": path.name,
            "row": rows.to_numpy()[keep],
        }
    )
    stats.messages += len(out)
    customers = int((out["role"] == "customer").sum())
    stats.customer += customers
    stats.agent += len(out) - customers
    return out


def _parse_times(
    values: pd.Series, keep: object, rows: pd.RangeIndex, path: Path, column: str
) -> pd.Series:
    if values.str.fullmatch(r"\d{9,13}(\.\d+)?").all():
        numbers = values.astype(float)
        unit = "ms" if numbers.max() > 1e11 else "s"
        parsed = pd.to_datetime(numbers, unit=unit)
    else:
        try:
            parsed = pd.to_datetime(values, errors="raise")
        except (ValueError, TypeError, OverflowError):
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    bad = parsed.isna().to_numpy() & keep
    if bad.any():
        position = int(bad.argmax())
        raise ScriptlabError(
            f"{path} row {int(rows[position])}: cannot read the time {values.iloc[position]!r} "
            f"in column '{column}'. Use a date-time like 2026-11-02 14:03:05."
        )
    return parsed.to_numpy()


# -- raw readers: yield (DataFrame of strings, number of its first row) ------------------------


def _read_delimited(path: Path, chunksize: int, stats: ReadStats, sep: str):
    check_first_line(path)
    encoding = detect_encoding(path)
    stats.encoding = encoding
    if sep == "," and path.suffix.lower() == ".txt":
        sep = None  # sniff
    try:
        reader = pd.read_csv(
            path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding,
            chunksize=chunksize, engine="python" if sep is None else "c", skip_blank_lines=True,
        )
        first = 2
        for chunk in reader:
            yield chunk, first
            first += len(chunk)
    except UnicodeDecodeError as exc:
        found = first_bad_line(path, encoding)
        if found is not None:
            raise mixed_encoding_error(path, encoding, *found) from None
        raise ScriptlabError(
            f"{path}: the text is not valid {encoding} past byte {exc.start} (mixed encodings?). "
            "Save the file as UTF-8 and try again."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise ScriptlabError(f"{path}: the file is empty. Export the chat log again.") from exc
    except pd.errors.ParserError as exc:
        raise ScriptlabError(
            f"{path}: not a readable table ({_short(exc)}). Check the delimiter and quotes."
        ) from exc


def _is_transcript(path: Path, preset: str | None, stats: ReadStats) -> bool:
    from scriptlab.logs.transcripts import looks_like_transcript

    if path.suffix.lower() != ".txt" or (preset is not None and preset != "qianniu"):
        return False
    return preset == "qianniu" or looks_like_transcript(path, detect_encoding(path))


def _read_transcript(path: Path, chunksize: int, stats: ReadStats):
    from scriptlab.logs.transcripts import read_transcript

    encoding = detect_encoding(path)
    stats.encoding = encoding
    stats.platform = "qianniu"
    try:
        yield from read_transcript(path, encoding, chunksize)
    except UnicodeDecodeError as exc:
        raise ScriptlabError(
            f"{path}: the text is not valid {encoding} past byte {exc.start} (mixed encodings?). "
            "Save the file as UTF-8 and try again."
        ) from exc


def _read_csv(path: Path, chunksize: int, stats: ReadStats):
    return _read_delimited(path, chunksize, stats, ",")


def _read_tsv(path: Path, chunksize: int, stats: ReadStats):
    return _read_delimited(path, chunksize, stats, "\t")


def _read_jsonl(path: Path, chunksize: int, stats: ReadStats):
    encoding = detect_encoding(path)
    stats.encoding = encoding
    records: list[dict] = []
    first = 1
    with open(path, encoding=encoding) as fh:
        try:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ScriptlabError(
                        f"{path} line {number}: not valid JSON ({exc.msg}). "
                        "Fix or remove that line."
                    ) from exc
                if not isinstance(record, dict):
                    raise ScriptlabError(
                        f"{path} line {number}: each line must be a JSON object with the "
                        "message fields."
                    )
                if not records:
                    first = number
                records.append(record)
                if len(records) >= chunksize:
                    yield pd.DataFrame.from_records(records), first
                    records = []
        except UnicodeDecodeError as exc:
            raise ScriptlabError(
                f"{path}: the text is not valid {encoding}. Save it as UTF-8 and try again."
            ) from exc
    if records or first == 1:
        yield pd.DataFrame.from_records(records), first


def _read_json(path: Path, chunksize: int, stats: ReadStats):
    encoding = detect_encoding(path)
    stats.encoding = encoding
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except json.JSONDecodeError as exc:
        raise ScriptlabError(
            f"{path} line {exc.lineno}: not valid JSON ({exc.msg}). Fix the file, or export "
            "one message per line as .jsonl."
        ) from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ScriptlabError(
            f"{path}: expected a JSON list of message objects (or {{\"messages\": [...]}})."
        )
    for start in range(0, max(len(data), 1), chunksize):
        yield pd.DataFrame.from_records(data[start : start + chunksize]), start + 1


def _read_xlsx(path: Path, chunksize: int, stats: ReadStats):
    from openpyxl import load_workbook

    stats.encoding = "xlsx"
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ScriptlabError(
            f"{path}: cannot open as an Excel workbook ({_short(exc)}). Re-save it as .xlsx."
        ) from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(v is None for v in header):
            raise ScriptlabError(f"{path}: the first sheet is empty. Export the chat log again.")
        names = [str(h) if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
        batch: list[tuple] = []
        first = 2
        for row in rows:
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            batch.append(tuple(_cell(v) for v in row[: len(names)]))
            if len(batch) >= chunksize:
                yield pd.DataFrame(batch, columns=names), first
                first += len(batch)
                batch = []
        yield pd.DataFrame(batch, columns=names), first
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


_RAW_READERS = {"csv": _read_csv, "tsv": _read_tsv, "jsonl": _read_jsonl, "json": _read_json,
                "xlsx": _read_xlsx}
