"""The mining pipeline: read → mask → normalise → detect → group → rank.

Chat logs are streamed in chunks. Each distinct raw text is masked, normalised and
classified once (a week of chat repeats itself a lot). Replies are linked to questions as
the chunks arrive (only each session's unanswered questions are kept), and questions are
summed up per question key: messages, (key, session) pairs and (key, reply, agent)
counts; per question message only its key and time remain, for the trend halves. So
memory grows with the distinct texts, sessions and replies, not with the messages.
Grouping works on distinct questions with their counts, ranking on these tallies.

`mine_messages` is a function of message chunks, the shop's synonyms and settings; where the
chunks come from (files or the workspace) is `scriptlab.mine.sources`. Storing the run and
writing reports are separate steps (`scriptlab.mine.runs`, `scriptlab.mine.report`); this
module never touches the database or the terminal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from scriptlab.errors import ScriptlabError
from scriptlab.mine.detect import detect_questions
from scriptlab.mine.group import group
from scriptlab.mine.hygiene import noise_reasons
from scriptlab.mine.parallel import map_slices
from scriptlab.mine.rank import QuestionTallies, describe_tallies
from scriptlab.mine.replies import ReplyLinker, next_agent_message
from scriptlab.mine.settings import MineSettings
from scriptlab.text.mask import mask_series
from scriptlab.text.normalize import (
    clean,
    normalize_series,
    readable_series,
    strip_attachments,
    strip_small_talk,
)

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
    preset: str | None = None
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
    # Customer messages that are not questions by hygiene (reason -> messages).
    not_questions: dict[str, int] = field(default_factory=dict)
    # Per-agent service metrics (`scriptlab.service.metrics.AgentService.as_dict`).
    service: list[dict] = field(default_factory=list)
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
        out["not_questions"] = dict(self.not_questions)
        out["service"] = [dict(s) for s in self.service]
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
    without punctuation or trailing particles), ``noise`` (why the message is not a
    question whatever detection says, `scriptlab.mine.hygiene`; "" otherwise) and
    ``is_question``.
    """
    masked = _tidy_masked(raw)
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
    frame["noise"] = noise_reasons(masked)
    frame["is_question"] = (detect_questions(frame["norm"], cleaned) & frame["key"].ne("")
                            & frame["noise"].eq(""))
    return frame


def _prepare_slice(texts: Sequence[str]) -> pd.DataFrame:
    return prepare_texts(pd.Series(list(texts), dtype=object))


def _mask_slice(texts: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({"masked": _tidy_masked(pd.Series(list(texts), dtype=object))})


def _tidy_masked(raw: pd.Series) -> pd.Series:
    """Masked text with runs of white space collapsed (what every later step starts from)."""
    return mask_series(raw.astype(str)).str.replace(_SPACES, " ", regex=True).str.strip()


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


class _MaskedCodes:
    """Integer codes for texts by their *masked* form, with the prepared rows per code.

    Raw texts carrying an order or phone number are unique per message, so a dictionary of
    raw texts would grow with the input; keyed by the masked form it grows with the
    distinct wordings only. Each chunk's distinct raw texts are prepared (in parallel)
    unless already known: raw texts that mask to themselves are remembered, so the
    common ones are not prepared again in later chunks.
    """

    def __init__(self, prepare: Callable[[Sequence[str]], pd.DataFrame]) -> None:
        self.prepare = prepare  # module-level: raw texts -> frame with a "masked" column
        self.codes = _Codes()
        self.plain: dict[str, int] = {}  # raw text that is its own masked form -> code
        self.rows: list[pd.DataFrame] = []  # prepared rows of new masked texts, code order
        self.keys: dict[str, str] = {}  # one shared object per distinct key
        self.plain_n = np.zeros(0, np.int64)  # messages whose raw text is the code's text
        # Raw texts that mask to something else ("…订单号<订单号>"): 64-bit hash, code and
        # messages, merged now and then (about 20 bytes per distinct raw text).
        self.variant_hash = np.zeros(0, np.uint64)
        self.variant_code = np.zeros(0, np.int64)
        self.variant_n = np.zeros(0, np.int64)
        self.variants: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def encode(self, raw: pd.Series) -> np.ndarray:
        """int32 code (row of `table()`) per raw text; also counts each raw text's messages.

        `asked()` gives, per code, the messages of its most repeated raw text (texts
        differing only in an order number are different raw texts). Raw texts that mask
        to something else are counted by a 64-bit hash, not kept as strings.
        """
        codes, uniques = pd.factorize(raw, use_na_sentinel=False)
        uniques = np.asarray(uniques, dtype=object)
        get = self.plain.get
        found = np.fromiter((get(u, -1) for u in uniques), dtype=np.int64, count=len(uniques))
        plain = found >= 0
        todo = np.flatnonzero(~plain)
        if todo.size:
            unknown = uniques[todo]
            prepared = pd.concat(map_slices(self.prepare, unknown.tolist()), ignore_index=True)
            masked = prepared["masked"]
            before = len(self.codes.values)
            new_codes, _ = self.codes.encode(masked)
            first = (~masked.duplicated()).to_numpy() & (new_codes >= before)
            if first.any():
                self.rows.append(self._compact(prepared[first].reset_index(drop=True)))
            found[todo] = new_codes
            values = self.codes.values
            same = masked.to_numpy() == unknown
            plain[todo[same]] = True
            self.plain.update((values[c], int(c)) for c in new_codes[same])
        self._count(uniques, found, plain, np.bincount(codes, minlength=len(uniques)))
        return found[codes].astype(np.int32)

    def _count(self, uniques: np.ndarray, found: np.ndarray, plain: np.ndarray,
               n: np.ndarray) -> None:
        size = len(self.codes.values)
        if self.plain_n.size < size:
            grown = max(size, 2 * self.plain_n.size)
            self.plain_n = np.concatenate(
                [self.plain_n, np.zeros(grown - self.plain_n.size, np.int64)])
        self.plain_n[found[plain]] += n[plain]  # one raw text per code: no repeats here
        other = ~plain
        if other.any():
            self.variants.append(
                (pd.util.hash_array(uniques[other]), found[other], n[other]))
            if sum(v[0].size for v in self.variants) > max(1_000_000, self.variant_hash.size):
                self._merge_variants()

    def _merge_variants(self) -> None:
        """Sum the per-chunk counts of raw texts that mask to something else."""
        if not self.variants:
            return
        hashes = np.concatenate([self.variant_hash, *(v[0] for v in self.variants)])
        codes = np.concatenate([self.variant_code, *(v[1] for v in self.variants)])
        counts = np.concatenate([self.variant_n, *(v[2] for v in self.variants)])
        self.variants = []
        self.variant_hash, first, inverse = np.unique(hashes, return_index=True,
                                                      return_inverse=True)
        self.variant_code = codes[first]
        self.variant_n = np.bincount(inverse, weights=counts).astype(np.int64)

    def asked(self) -> np.ndarray:
        """Messages of each code's most repeated raw text (see `encode`)."""
        self._merge_variants()
        size = len(self.codes.values)
        best = self.plain_n[:size].copy()
        np.maximum.at(best, self.variant_code, self.variant_n)
        return best

    def messages(self) -> np.ndarray:
        """Messages per code, over all the raw texts that mask to it."""
        self._merge_variants()
        size = len(self.codes.values)
        total = self.plain_n[:size].copy()
        np.add.at(total, self.variant_code, self.variant_n)
        return total

    def _compact(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Keep only the columns later steps read, sharing repeated strings.

        Many wordings share one key, and most displays equal the masked text, so each
        row then holds about one string of its own instead of four.
        """
        rows = rows.drop(columns=["norm"], errors="ignore")
        if "key" in rows:
            keys = self.keys
            rows["key"] = pd.Series([keys.setdefault(k, k) for k in rows["key"]], dtype=object)
            rows["display"] = pd.Series(
                [m if d == m else d for m, d in zip(rows["masked"], rows["display"], strict=True)],
                dtype=object)
        return rows

    def table(self, empty: pd.DataFrame) -> pd.DataFrame:
        """The prepared rows, one per code (`empty` when there are none)."""
        return pd.concat(self.rows, ignore_index=True) if self.rows else empty


class _Spill:
    """Per-message arrays written to temporary files, read back only when needed.

    Reply linking streams (`ReplyLinker`) as long as sessions come in time order; if one
    does not, the replies are worked out again from these files, so exact results never
    depend on the order of the file, and memory does not hold the messages either way.
    """

    DTYPES = {"session": np.uint64, "ts": np.int64, "agent": np.bool_, "code": np.int32,
              "agent_id": np.int32}

    def __init__(self) -> None:
        import tempfile

        self.files = {name: tempfile.TemporaryFile()  # noqa: SIM115 - see close()
                      for name in self.DTYPES}

    def write(self, **arrays: np.ndarray) -> None:
        for name, values in arrays.items():
            self.files[name].write(np.ascontiguousarray(values, self.DTYPES[name]).tobytes())

    def read(self, name: str) -> np.ndarray:
        fh = self.files[name]
        fh.flush()
        fh.seek(0)
        return np.frombuffer(fh.read(), dtype=self.DTYPES[name])

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


@dataclass
class _Collected:
    """What grouping and ranking need, summed up per question key while chunks stream.

    Per question message only its key and time are kept (for the trend halves, decided
    once the whole time range is known); replies are linked as chunks arrive and counted
    per (key, reply text, agent); sessions are kept as 64-bit hashes of their ids.
    """

    linker: ReplyLinker = field(default_factory=ReplyLinker)
    spill: _Spill = field(default_factory=_Spill)
    keys: _Codes = field(default_factory=_Codes)  # question keys, in order first asked
    text_keys: list = field(default_factory=list)  # key string per customer text code
    text_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    rows_seen: int = 0  # prepared-row frames of the customer texts taken into account
    question_parts: list[np.ndarray] = field(default_factory=list)
    is_question: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # per text
    key_count: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    q_key: list[np.ndarray] = field(default_factory=list)  # int32 per question message
    q_ts: list[np.ndarray] = field(default_factory=list)  # int64 ns per question message
    pairs: pd.DataFrame = field(default_factory=lambda: _PAIRS.copy())
    pair_parts: list[pd.DataFrame] = field(default_factory=list)
    replies: pd.DataFrame = field(default_factory=lambda: _REPLIES.copy())
    reply_parts: list[pd.DataFrame] = field(default_factory=list)
    messages: int = 0
    customer: int = 0
    first_ts: int | None = None
    last_ts: int | None = None
    sessions: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    session_parts: list[np.ndarray] = field(default_factory=list)
    # --assignments only: one entry per customer message.
    c_message_id: list[np.ndarray] = field(default_factory=list)
    c_session_id: list[np.ndarray] = field(default_factory=list)
    c_ts: list[np.ndarray] = field(default_factory=list)
    c_text: list[np.ndarray] = field(default_factory=list)

    def add_texts(self, rows: list[pd.DataFrame]) -> None:
        """Remember the key of each new customer text (None when it asks no question)."""
        for r in rows:
            asks = r["is_question"].to_numpy(dtype=bool)
            self.text_keys.extend(k if q else None for k, q in zip(r["key"], asks, strict=True))
            self.question_parts.append(asks)
        self.rows_seen += len(rows)
        self.is_question = np.concatenate(self.question_parts)
        if self.text_key.size < len(self.text_keys):
            grow = max(len(self.text_keys), 2 * self.text_key.size) - self.text_key.size
            self.text_key = np.concatenate([self.text_key, np.full(grow, -1, np.int64)])

    def key_ids(self, text: np.ndarray) -> np.ndarray:
        """Question key id per question text code, numbered in the order first asked."""
        key = self.text_key[text]
        missing = key < 0
        if missing.any():
            new = pd.unique(text[missing])
            found, _ = self.keys.encode(pd.Series([self.text_keys[t] for t in new],
                                                  dtype=object))
            self.text_key[new] = found
            key = self.text_key[text]
        size = len(self.keys.values)
        if self.key_count.size < size:
            self.key_count = np.concatenate(
                [self.key_count, np.zeros(size - self.key_count.size, np.int64)])
        self.key_count += np.bincount(key, minlength=self.key_count.size)
        return key

    def add_questions(self, key: np.ndarray, session: np.ndarray, ts: np.ndarray) -> None:
        self.q_key.append(key.astype(np.int32))
        self.q_ts.append(ts)
        self.pair_parts.append(pd.DataFrame({"key_id": key, "session": session})
                               .drop_duplicates())
        if sum(len(p) for p in self.pair_parts) > max(1_000_000, len(self.pairs)):
            self.distinct_pairs()

    def distinct_pairs(self) -> pd.DataFrame:
        if self.pair_parts:
            self.pairs = pd.concat([self.pairs, *self.pair_parts], ignore_index=True)
            self.pairs = self.pairs.drop_duplicates(ignore_index=True)
            self.pair_parts = []
        return self.pairs

    def add_replies(self, key: np.ndarray, reply: np.ndarray, agent: np.ndarray) -> None:
        if key.size == 0:
            return
        part = pd.DataFrame({"key_id": key, "reply": reply, "reply_agent": agent})
        self.reply_parts.append(part.groupby(["key_id", "reply", "reply_agent"]).size()
                                .rename("n").reset_index())
        if sum(len(p) for p in self.reply_parts) > max(1_000_000, len(self.replies)):
            self.reply_counts()

    def reply_counts(self) -> pd.DataFrame:
        if self.reply_parts:
            whole = pd.concat([self.replies, *self.reply_parts], ignore_index=True)
            self.replies = whole.groupby(["key_id", "reply", "reply_agent"])["n"].sum() \
                .reset_index()
            self.reply_parts = []
        return self.replies

    def add_sessions(self, hashes: np.ndarray) -> None:
        """Remember distinct sessions (merged now and then to keep sorting cheap)."""
        self.session_parts.append(np.unique(hashes))
        if sum(p.size for p in self.session_parts) > max(1_000_000, self.sessions.size):
            self.distinct_sessions()

    def distinct_sessions(self) -> int:
        if self.session_parts:
            self.sessions = np.unique(np.concatenate([self.sessions, *self.session_parts]))
            self.session_parts = []
        return int(self.sessions.size)

    def relink(self) -> None:
        """Link replies again from the spilled messages (some session was out of order)."""
        session = self.spill.read("session").view(np.int64)
        ts = self.spill.read("ts")
        is_agent = self.spill.read("agent")
        reply = next_agent_message(session, ts, np.arange(session.size), is_agent)
        del session, ts
        code = self.spill.read("code")
        agent_id = self.spill.read("agent_id")
        q = np.flatnonzero(~is_agent)
        target = reply[q]
        answered = target >= 0
        self.replies = _REPLIES.copy()
        self.reply_parts = []
        self.add_replies(code[q][answered].astype(np.int64),
                         code[target[answered]].astype(np.int64),
                         agent_id[target[answered]].astype(np.int64))


_PAIRS = pd.DataFrame({"key_id": np.zeros(0, np.int64), "session": np.zeros(0, np.uint64)})
_REPLIES = pd.DataFrame({"key_id": np.zeros(0, np.int64), "reply": np.zeros(0, np.int64),
                         "reply_agent": np.zeros(0, np.int64), "n": np.zeros(0, np.int64)})


def _collect(
    chunks: Iterable[pd.DataFrame],
    options: MineOptions,
    on_progress: Callable[[int], None] | None,
) -> tuple[_Collected, dict, int]:
    out = _Collected()
    codes = {"customer": _MaskedCodes(_prepare_slice), "agent": _MaskedCodes(_mask_slice),
             "agent_id": _Codes()}
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
        if not keep.all():
            chunk = chunk[keep]
        if chunk.empty:
            continue
        is_agent = chunk["role"].eq("agent").to_numpy()
        ts = chunk["timestamp"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
        session = pd.util.hash_array(chunk["session_id"].to_numpy(dtype=object))
        text_code = np.empty(len(chunk), dtype=np.int32)
        customer = ~is_agent
        text_code[customer] = codes["customer"].encode(chunk["text"][customer])
        text_code[is_agent] = codes["agent"].encode(chunk["text"][is_agent])
        fresh = codes["customer"].rows[out.rows_seen:]
        if fresh:
            out.add_texts(fresh)
        kept = is_agent.copy()
        kept[customer] = out.is_question[text_code[customer]]
        k_session, k_ts, k_agent = session[kept], ts[kept], is_agent[kept]
        k_question = ~k_agent
        code = text_code[kept].astype(np.int64)
        code[k_question] = out.key_ids(code[k_question])
        agent_ids = chunk["agent_id"][kept].fillna("")
        agent_code = codes["agent_id"].encode(agent_ids)[0].astype(np.int32)
        out.add_questions(code[k_question], k_session[k_question], k_ts[k_question])
        out.spill.write(session=k_session, ts=k_ts, agent=k_agent, code=code,
                        agent_id=agent_code)
        out.add_replies(*out.linker.add(k_session, k_ts, k_agent, code, code, agent_code))
        out.messages += len(chunk)
        out.customer += int(customer.sum())
        low, high = int(ts.min()), int(ts.max())
        out.first_ts = low if out.first_ts is None else min(out.first_ts, low)
        out.last_ts = high if out.last_ts is None else max(out.last_ts, high)
        out.add_sessions(session)
        if options.keep_assignments:
            out.c_message_id.append(chunk["message_id"][customer].astype(str).to_numpy(object))
            out.c_session_id.append(chunk["session_id"][customer].to_numpy(dtype=object))
            out.c_ts.append(ts[customer])
            out.c_text.append(text_code[customer])
        del chunk
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
    if collected.messages == 0:
        raise ScriptlabError(_no_messages_message(options, out_of_range))

    if not collected.linker.in_order:
        collected.relink()
    collected.spill.close()
    texts = codes["customer"].table(prepare_texts(pd.Series([], dtype=object)))

    # Distinct questions (by key, numbered in the order first asked), with message counts.
    keys = np.asarray(collected.keys.values, dtype=object)
    counts = collected.key_count[:len(keys)]
    uniques = pd.DataFrame({"key": keys.astype(object), "count": counts})
    first_ts, last_ts = pd.Timestamp(collected.first_ts), pd.Timestamp(collected.last_ts)
    earlier = None
    if last_ts > first_ts:
        middle = (first_ts + (last_ts - first_ts) / 2).value
        earlier = np.zeros(len(keys), np.int64)
        for part_key, part_ts in zip(collected.q_key, collected.q_ts, strict=True):
            earlier += np.bincount(part_key[part_ts <= middle], minlength=len(keys))
    collected.q_ts.clear()
    if not options.keep_assignments:
        collected.q_key.clear()
    answers = collected.reply_counts()
    tallies = QuestionTallies(count=counts, earlier=earlier,
                              sessions=collected.distinct_pairs(), replies=answers)
    reply_texts = _masked_replies(codes["agent"].codes.values, answers["reply"].to_numpy())
    grouped = group(
        uniques, threshold=settings.similarity_threshold, synonyms=synonyms,
        replies=reply_matrix(answers["key_id"].to_numpy(), answers["reply"].to_numpy(),
                             reply_texts, len(keys), weights=answers["n"].to_numpy()),
        reply_threshold=settings.reply_similarity,
        reply_text_floor=settings.reply_text_floor,
    )
    timings["group"] = round(time.perf_counter() - started - sum(timings.values()), 3)
    text_key = np.full(len(texts), -1, dtype=np.int64)
    known = min(len(texts), collected.text_key.size)
    text_key[:known] = collected.text_key[:known]
    grouped["display"] = _display_per_key(text_key, texts, codes["customer"].asked(), len(keys))

    groups = describe_tallies(
        tallies, grouped, reply_texts, codes["agent_id"].values,
        min_count=min_count, top=top, n_variants=settings.variants, n_replies=settings.replies,
    )
    timings["rank"] = round(time.perf_counter() - started - sum(timings.values()), 3)
    sizes = grouped.groupby("group")["count"].sum()
    stats = MineStats(
        sources=tuple(sources),
        messages=int(collected.messages),
        customer=int(collected.customer),
        agent=int(collected.messages - collected.customer),
        skipped=int(skipped),
        out_of_range=int(out_of_range),
        questions=int(counts.sum()),
        distinct_questions=int(len(keys)),
        groups=int((sizes >= min_count).sum()),
        reported=int(len(groups)),
        sessions=collected.distinct_sessions(),
        first_ts=first_ts.to_pydatetime(),
        last_ts=last_ts.to_pydatetime(),
        seconds=round(time.perf_counter() - started, 3),
        timings=timings,
        not_questions=_noise_counts(texts, codes["customer"].messages()),
    )
    assignments = None
    if options.keep_assignments:
        q_key = np.concatenate(collected.q_key) if collected.q_key else np.zeros(0, np.int32)
        assignments = _assignments(collected, texts, grouped["group"].to_numpy()[q_key])
    return MineResult(groups=groups, stats=stats, settings=settings, assignments=assignments)


def _noise_counts(texts: pd.DataFrame, messages: np.ndarray) -> dict[str, int]:
    """Customer messages per hygiene reason (most first)."""
    if "noise" not in texts or texts.empty:
        return {}
    n = min(len(texts), len(messages))
    frame = pd.DataFrame({"noise": texts["noise"].to_numpy()[:n], "n": messages[:n]})
    counts = frame[frame["noise"] != ""].groupby("noise")["n"].sum()
    return {str(k): int(v) for k, v in counts.sort_values(ascending=False).items()}


def _assignments(collected: _Collected, texts: pd.DataFrame, q_cluster: np.ndarray
                 ) -> pd.DataFrame:
    """One row per customer message: ids, time, masked text, question or not, cluster.

    `q_cluster` is the group of each question, in message order.
    """
    c_text = np.concatenate(collected.c_text)
    is_question = texts["is_question"].to_numpy(dtype=bool)[c_text]
    cluster = np.full(c_text.size, -1, dtype=np.int64)
    cluster[is_question] = q_cluster
    return pd.DataFrame({
        "message_id": np.concatenate(collected.c_message_id),
        "session_id": np.concatenate(collected.c_session_id),
        "timestamp": pd.to_datetime(np.concatenate(collected.c_ts)),
        "text": texts["masked"].to_numpy()[c_text],
        "is_question": is_question,
        "cluster": cluster,
    })


def _display_per_key(
    text_key: np.ndarray, texts: pd.DataFrame, asked: np.ndarray, n_keys: int
) -> list[str]:
    """The wording shown for each key: its most asked tidy wording.

    A wording counts the messages of its most repeated raw text (`_MaskedCodes.encode`),
    and wordings with placeholders ("…，我的手机<手机号>") count half, so the plain question
    is shown when customers also asked it plainly.

    Parameters
    ----------
    text_key
        Question key (row of the grouped keys) per text code, -1 for texts asked no question.
    texts
        The prepared texts (``display``, ``is_question``), one row per text code.
    asked
        Count per text code.
    n_keys
        Number of question keys.
    """
    if n_keys == 0:
        return []
    used = np.flatnonzero(texts["is_question"].to_numpy(dtype=bool) & (text_key >= 0))
    display = texts["display"].to_numpy()
    tidy = np.array([0.5 if "<" in str(d) else 1.0 for d in display[used]])
    counts = pd.DataFrame({"key": text_key[used], "text": used, "score": asked[used] * tidy})
    counts = counts.sort_values(["key", "score", "text"], ascending=[True, False, True])
    best = counts.drop_duplicates("key").set_index("key")["text"].reindex(range(n_keys))
    return display[best.to_numpy()].tolist()


def reply_matrix(
    key_codes: np.ndarray, reply_codes: np.ndarray, reply_texts: pd.Series, n_keys: int,
    weights: np.ndarray | None = None,
):
    """(distinct question × distinct reply) counts, for merging groups by their answers.

    Replies are compared after normalisation (so "亲，48小时内发货哦~" equals
    "48小时内发货哦"); replies shorter than `MIN_REPLY_CHARS` ("好的", "稍等") say nothing
    about the question and are left out. `weights` are messages per (key, reply) entry
    (default one each).
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
    data = np.ones(int(keep.sum()), dtype=np.float32) if weights is None \
        else np.asarray(weights, dtype=np.float32)[answered][keep]
    return sp.csr_matrix(
        (data, (rows[keep], cols[keep].astype(np.int64))),
        shape=(n_keys, max(len(reply_key) and int(reply_key.max()) + 1, 1)),
    )


def _masked_replies(agent_texts: list[str], used: np.ndarray) -> pd.Series:
    """Masked agent replies, indexed by agent text code (only those that answer questions)."""
    codes = np.unique(used[used >= 0])
    return pd.Series([agent_texts[c] for c in codes], index=codes, dtype=object)


def _no_messages_message(options: MineOptions, out_of_range: int) -> str:
    if options.since or options.until:
        period = f"{_day(options.since) or '…'} and {_day(options.until) or '…'}"
        outside = f" ({out_of_range} outside it)" if out_of_range else ""
        return f"No messages between {period}{outside}. Widen --since/--until."
    return "No customer or agent messages to mine. Check the file and its --map/--roles."


def _day(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d") if value else None
