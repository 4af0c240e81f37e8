"""The mining pipeline: read → mask → normalise → detect → group → rank.

Chat logs are streamed in chunks. Each distinct raw text is masked, normalised and
classified once (a week of chat repeats itself a lot), and every message is kept only as a
few integers (session, time, text id, role), so memory grows with the number of distinct
texts, not with the number of messages. Grouping then works on distinct questions with
their counts, and ranking goes back to the messages for sessions, trends and replies.

Storing the run and writing reports are separate steps (`scriptlab.mine.runs`,
`scriptlab.mine.report`); this module never touches the database or the terminal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from scriptlab.errors import ScriptlabError
from scriptlab.mine.detect import detect_questions
from scriptlab.mine.group import group
from scriptlab.mine.mask import mask_series
from scriptlab.mine.normalize import (
    clean,
    normalize_series,
    readable_series,
    strip_attachments,
    strip_small_talk,
)
from scriptlab.mine.parallel import map_slices
from scriptlab.mine.rank import describe_groups
from scriptlab.mine.replies import next_agent_message
from scriptlab.mine.settings import MineSettings

CHUNK = 200_000
MIN_REPLY_CHARS = 6
_KEY_DROP = re.compile(r"[^\w<>]+|[啊呀呢吧哦啦嘛哈噢喔]+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class MineOptions:
    """What to mine and how; `None` means the workspace setting."""

    since: datetime | None = None
    until: datetime | None = None
    top: int | None = None
    min_count: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    keep_assignments: bool = False


@dataclass(frozen=True)
class MineStats:
    """Counts describing one mining run (stored with it and shown in the report)."""

    sources: tuple[str, ...]
    messages: int = 0  # customer + agent messages in the date range
    customer: int = 0
    agent: int = 0
    skipped: int = 0  # empty, system and bot rows
    out_of_range: int = 0  # outside --since/--until
    questions: int = 0
    distinct_questions: int = 0
    groups: int = 0  # groups with at least min_count messages
    reported: int = 0  # groups kept (top N)
    sessions: int = 0
    first_ts: datetime | None = None
    last_ts: datetime | None = None
    seconds: float = 0.0
    # Seconds per pipeline stage (and, once stored, store/report), for profiling.
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["sources"] = list(self.sources)
        out["timings"] = dict(self.timings)
        for key in ("first_ts", "last_ts"):
            out[key] = out[key].isoformat(sep=" ") if out[key] else None
        return out


@dataclass(frozen=True)
class MineResult:
    """Ranked groups (see `scriptlab.mine.rank.describe_groups`), per-message assignments
    (when asked for) and run statistics."""

    groups: pd.DataFrame
    stats: MineStats
    settings: MineSettings
    assignments: pd.DataFrame | None = None
    vocabulary_sources: tuple[str, ...] = ()


# -- per distinct text --------------------------------------------------------------------


def prepare_texts(raw: pd.Series) -> pd.DataFrame:
    """Mask, tidy, normalise and classify customer texts (one row per input text).

    Returns columns ``masked`` (whole message, masked), ``display`` (readable wording),
    ``norm`` (normalised), ``key`` (what exact-duplicate collapsing compares: ``norm``
    without punctuation or trailing particles) and ``is_question``.
    """
    masked = mask_series(raw.astype(str)).str.replace(_SPACES, " ", regex=True).str.strip()
    cleaned = pd.Series([clean(t) for t in masked], index=raw.index, dtype=object)
    norm = pd.Series([strip_small_talk(strip_attachments(t)) for t in cleaned],
                     index=raw.index, dtype=object)
    frame = pd.DataFrame(
        {
            "masked": masked.astype(object),
            "display": readable_series(masked),
            "norm": norm,
            "key": norm.str.replace(_KEY_DROP, "", regex=True).astype(object),
        },
        index=raw.index,
    )
    frame["is_question"] = detect_questions(frame["norm"], cleaned) & frame["key"].ne("")
    return frame


def _prepare_slice(texts: Sequence[str]) -> pd.DataFrame:
    return prepare_texts(pd.Series(list(texts), dtype=object))


class _Codes:
    """Stable integer codes for strings seen across chunks."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.values: list[str] = []

    def encode(self, values: pd.Series) -> tuple[np.ndarray, list[str]]:
        """Codes for `values`, plus the strings seen for the first time (in code order)."""
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        get = self.ids.get
        found = np.fromiter((get(u, -1) for u in uniques), dtype=np.int64, count=len(uniques))
        new = [u for u, f in zip(uniques, found, strict=True) if f < 0]
        if new:
            first = len(self.values)
            found[found < 0] = np.arange(first, first + len(new))
            self.ids.update(zip(new, range(first, first + len(new)), strict=True))
            self.values.extend(new)
        return found[codes], new


@dataclass
class _Collected:
    """Every message as integers, plus the distinct texts."""

    session: list[np.ndarray] = field(default_factory=list)
    ts: list[np.ndarray] = field(default_factory=list)
    agent: list[np.ndarray] = field(default_factory=list)  # bool
    text: list[np.ndarray] = field(default_factory=list)  # customer or agent text code
    agent_id: list[np.ndarray] = field(default_factory=list)
    message_id: list[np.ndarray] = field(default_factory=list)
    customer_texts: list[pd.DataFrame] = field(default_factory=list)


def _collect(
    chunks: Iterable[pd.DataFrame],
    options: MineOptions,
    on_progress: Callable[[int], None] | None,
) -> tuple[_Collected, dict[str, _Codes], int]:
    out = _Collected()
    codes = {name: _Codes() for name in ("session", "customer", "agent", "agent_id")}
    out_of_range = 0
    for chunk in chunks:
        if on_progress:
            on_progress(len(chunk))
        keep = np.ones(len(chunk), dtype=bool)
        if options.since is not None:
            keep &= (chunk["timestamp"] >= pd.Timestamp(options.since)).to_numpy()
        if options.until is not None:
            keep &= (chunk["timestamp"] <= pd.Timestamp(options.until)).to_numpy()
        out_of_range += int((~keep).sum())
        chunk = chunk[keep]
        if chunk.empty:
            continue
        is_agent = chunk["role"].eq("agent").to_numpy()
        text_code = np.empty(len(chunk), dtype=np.int64)
        customer_codes, new = codes["customer"].encode(chunk["text"][~is_agent])
        text_code[~is_agent] = customer_codes
        if new:
            parts = map_slices(_prepare_slice, new)
            out.customer_texts.append(pd.concat(parts, ignore_index=True))
        text_code[is_agent] = codes["agent"].encode(chunk["text"][is_agent])[0]
        out.session.append(codes["session"].encode(chunk["session_id"])[0])
        out.ts.append(chunk["timestamp"].to_numpy(dtype="datetime64[ns]").astype(np.int64))
        out.agent.append(is_agent)
        out.text.append(text_code)
        out.agent_id.append(codes["agent_id"].encode(chunk["agent_id"].fillna(""))[0])
        if options.keep_assignments:
            out.message_id.append(chunk["message_id"].astype(str).to_numpy(dtype=object))
    return out, codes, out_of_range


# -- the whole run -------------------------------------------------------------------------


def mine_messages(
    chunks: Iterable[pd.DataFrame],
    *,
    sources: Sequence[str],
    settings: MineSettings,
    options: MineOptions | None = None,
    synonyms: Mapping[str, str] | None = None,
    skipped: int = 0,
    on_progress: Callable[[int], None] | None = None,
    read_stats: Callable[[], int] | None = None,
) -> MineResult:
    """Mine standard-shaped message chunks (see `scriptlab.logs.iter_chat_log`).

    Parameters
    ----------
    chunks
        DataFrames with message_id, session_id, timestamp, role, agent_id, text.
    sources
        Names of what was read (file names, or "workspace"), for the record.
    settings
        The workspace's ``[mine]`` settings (threshold, top, min_count …).
    options
        Date range, top, min-count overrides, whether to keep per-message assignments.
    synonyms
        Variant → canonical table for grouping.
    skipped
        Rows already skipped by the reader (empty, system); `read_stats` may give it
        after the chunks are consumed instead.
    on_progress
        Called with the number of messages in each chunk read.

    Returns
    -------
    MineResult
    """
    started = time.perf_counter()
    options = options or MineOptions()
    top = options.top if options.top is not None else settings.top
    min_count = options.min_count if options.min_count is not None else settings.min_count
    collected, codes, out_of_range = _collect(chunks, options, on_progress)
    timings = {"read+clean+detect": round(time.perf_counter() - started, 3)}
    if read_stats is not None:
        skipped += read_stats()
    if not collected.session:
        raise ScriptlabError(_no_messages_message(options, out_of_range))

    session = np.concatenate(collected.session)
    ts = np.concatenate(collected.ts)
    is_agent = np.concatenate(collected.agent)
    text = np.concatenate(collected.text)
    agent_code = np.concatenate(collected.agent_id)
    reply = next_agent_message(session, ts, np.arange(session.size), is_agent)

    texts = pd.concat(collected.customer_texts, ignore_index=True) if collected.customer_texts \
        else prepare_texts(pd.Series([], dtype=object))
    customer = np.flatnonzero(~is_agent)
    c_text = text[customer]
    c_question = texts["is_question"].to_numpy()[c_text] if len(texts) else np.zeros(0, bool)
    q = customer[c_question]

    # Distinct questions (by key), with message counts, grouped.
    key_codes, keys = pd.factorize(texts["key"].to_numpy()[text[q]])
    uniques = pd.DataFrame({"key": keys.astype(object),
                            "count": np.bincount(key_codes, minlength=len(keys))})
    reply_idx = reply[q]
    has_reply = reply_idx >= 0
    reply_text_code = np.where(has_reply, text[np.maximum(reply_idx, 0)], -1)
    reply_agent = np.where(has_reply, agent_code[np.maximum(reply_idx, 0)], -1)
    reply_texts = _masked_replies(codes["agent"].values, reply_text_code)
    grouped = group(
        uniques, threshold=settings.similarity_threshold, synonyms=synonyms,
        replies=reply_matrix(key_codes, reply_text_code, reply_texts, len(keys)),
        reply_threshold=settings.reply_similarity,
        reply_text_floor=settings.reply_text_floor,
    )
    timings["group"] = round(time.perf_counter() - started - sum(timings.values()), 3)
    grouped["display"] = _display_per_key(key_codes, text[q], texts["display"], len(keys))

    questions = pd.DataFrame({
        "key_id": key_codes,
        "session": session[q],
        "ts": ts[q],
        "reply": reply_text_code,
        "reply_agent": reply_agent,
    })
    first_ts, last_ts = pd.Timestamp(ts.min()), pd.Timestamp(ts.max())
    groups = describe_groups(
        questions, grouped, reply_texts, codes["agent_id"].values,
        first_ts=first_ts, last_ts=last_ts, min_count=min_count, top=top,
        n_variants=settings.variants, n_replies=settings.replies,
    )
    timings["rank"] = round(time.perf_counter() - started - sum(timings.values()), 3)
    sizes = grouped.groupby("group")["count"].sum()
    stats = MineStats(
        sources=tuple(sources),
        messages=int(session.size),
        customer=int(customer.size),
        agent=int(is_agent.sum()),
        skipped=int(skipped),
        out_of_range=int(out_of_range),
        questions=int(q.size),
        distinct_questions=int(len(keys)),
        groups=int((sizes >= min_count).sum()),
        reported=int(len(groups)),
        sessions=int(len(codes["session"].values)),
        first_ts=first_ts.to_pydatetime(),
        last_ts=last_ts.to_pydatetime(),
        seconds=round(time.perf_counter() - started, 3),
        timings=timings,
    )
    assignments = None
    if options.keep_assignments:
        cluster = np.full(customer.size, -1, dtype=np.int64)
        cluster[c_question] = grouped["group"].to_numpy()[key_codes]
        assignments = _assignments(collected, codes, customer, session, ts,
                                   texts["masked"].to_numpy()[c_text], c_question, cluster)
    return MineResult(groups=groups, stats=stats, settings=settings, assignments=assignments)


def _assignments(
    collected: _Collected, codes: dict[str, _Codes], customer: np.ndarray, session: np.ndarray,
    ts: np.ndarray, text: np.ndarray, is_question: np.ndarray, cluster: np.ndarray,
) -> pd.DataFrame:
    """One row per customer message: ids, time, masked text, question or not, cluster."""
    sessions = np.asarray(codes["session"].values, dtype=object)
    return pd.DataFrame({
        "message_id": np.concatenate(collected.message_id)[customer],
        "session_id": sessions[session[customer]],
        "timestamp": pd.to_datetime(ts[customer]),
        "text": text,
        "is_question": is_question,
        "cluster": cluster,
    })


def _display_per_key(
    key_codes: np.ndarray, text_codes: np.ndarray, display: pd.Series, n_keys: int
) -> list[str]:
    """The wording shown for each key: its messages' most frequent tidy wording.

    Wordings with placeholders ("…，我的手机<手机号>") count half, so the plain question
    is shown when customers also asked it plainly.
    """
    if n_keys == 0:
        return []
    pairs = pd.DataFrame({"key": key_codes, "text": text_codes})
    counts = pairs.value_counts().reset_index(name="n")
    shown = display.to_numpy()[counts["text"].to_numpy()]
    tidy = np.array([0.5 if "<" in str(d) else 1.0 for d in shown])
    counts["score"] = counts["n"].to_numpy() * tidy
    counts = counts.sort_values(["key", "score", "text"], ascending=[True, False, True])
    best = counts.drop_duplicates("key").set_index("key")["text"].reindex(range(n_keys))
    return display.to_numpy()[best.to_numpy()].tolist()


def reply_matrix(
    key_codes: np.ndarray, reply_codes: np.ndarray, reply_texts: pd.Series, n_keys: int
):
    """(distinct question × distinct reply) counts, for merging groups by their answers.

    Replies are compared after normalisation (so "亲，48小时内发货哦~" equals
    "48小时内发货哦"); replies shorter than `MIN_REPLY_CHARS` ("好的", "稍等") say nothing
    about the question and are left out.
    """
    import scipy.sparse as sp

    answered = reply_codes >= 0
    norm = normalize_series(reply_texts).str.replace(_KEY_DROP, "", regex=True)
    substantive = norm[norm.str.len() >= MIN_REPLY_CHARS]
    reply_key, _ = pd.factorize(substantive)
    key_of = pd.Series(reply_key, index=substantive.index)
    cols = key_of.reindex(reply_codes[answered]).to_numpy()
    rows = key_codes[answered]
    keep = ~np.isnan(cols)
    return sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float32), (rows[keep], cols[keep].astype(np.int64))),
        shape=(n_keys, max(len(reply_key) and int(reply_key.max()) + 1, 1)),
    )


def _masked_replies(agent_texts: list[str], used: np.ndarray) -> pd.Series:
    """Masked agent replies, indexed by agent text code (only those that answer questions)."""
    codes = np.unique(used[used >= 0])
    raw = pd.Series([agent_texts[c] for c in codes], index=codes, dtype=object)
    return mask_series(raw).str.replace(_SPACES, " ", regex=True).str.strip()


def _no_messages_message(options: MineOptions, out_of_range: int) -> str:
    if options.since or options.until:
        period = f"{_day(options.since) or '…'} and {_day(options.until) or '…'}"
        outside = f" ({out_of_range} outside it)" if out_of_range else ""
        return f"No messages between {period}{outside}. Widen --since/--until."
    return "No customer or agent messages to mine. Check the file and its --map/--roles."


def _day(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d") if value else None


# -- sources -------------------------------------------------------------------------------


@dataclass
class _Skipped:
    """Skipped-row count filled in while files are streamed."""

    stats: list = field(default_factory=list)

    def total(self) -> int:
        return sum(s.skipped_empty + s.skipped_system for s in self.stats)


def iter_files(
    paths: Sequence[Path], options: MineOptions, skipped: _Skipped
) -> Iterator[pd.DataFrame]:
    """Stream every file's chunks (reading errors name the file and row)."""
    from scriptlab.logs.readers import ReadStats, iter_chat_log

    for path in paths:
        stats = ReadStats(source=Path(path).name)
        skipped.stats.append(stats)
        yield from iter_chat_log(path, columns=options.columns or None,
                                 roles=options.roles or None, chunksize=CHUNK, stats=stats)


def iter_workspace(ws, options: MineOptions) -> Iterator[pd.DataFrame]:  # noqa: ANN001
    """Stream the messages imported into the workspace (already masked), oldest first."""
    import sqlalchemy as sa

    from scriptlab.store import schema

    m = schema.messages
    stmt = sa.select(m.c.message_id, m.c.session_id, m.c.ts, m.c.role, m.c.agent_id, m.c.text)
    if options.since is not None:
        stmt = stmt.where(m.c.ts >= options.since)
    if options.until is not None:
        stmt = stmt.where(m.c.ts <= options.until)
    stmt = stmt.order_by(m.c.id)
    columns = ["message_id", "session_id", "timestamp", "role", "agent_id", "text"]
    with ws.engine.connect() as conn:
        result = conn.execution_options(yield_per=CHUNK).execute(stmt)
        for part in result.partitions():
            frame = pd.DataFrame(part, columns=columns)
            frame["timestamp"] = pd.to_datetime(frame["timestamp"])
            frame["agent_id"] = frame["agent_id"].fillna("")
            yield frame


def mine(
    ws,  # noqa: ANN001 - scriptlab.store.workspace.Workspace
    paths: Sequence[Path] = (),
    options: MineOptions | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> MineResult:
    """Mine chat-log files, or (no files) the messages imported into the workspace.

    The shop's dictionary and synonyms are read from the workspace first.
    """
    from scriptlab.mine.vocabulary import ensure_vocabulary_files, load_vocabulary

    options = options or MineOptions()
    settings = ws.settings.mine
    ensure_vocabulary_files(ws.root, settings)
    vocabulary = load_vocabulary(ws.root, settings)
    if paths:
        _check_files(paths)
        skipped = _Skipped()
        chunks = iter_files(paths, options, skipped)
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
    result = mine_messages(
        chunks, sources=sources, settings=settings, options=options,
        synonyms=vocabulary.synonyms, on_progress=on_progress, read_stats=read_stats,
    )
    return MineResult(groups=result.groups, stats=result.stats, settings=settings,
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
    import sqlalchemy as sa

    from scriptlab.store import schema

    with ws.engine.connect() as conn:
        return conn.execute(sa.select(schema.messages.c.id).limit(1)).first() is not None
