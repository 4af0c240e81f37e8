"""Deterministic, seeded generator of Taobao-style customer-service chat logs with ground truth.

The log is built hour by hour: each hour of the period gets a share of the messages (diurnal
and weekend shape), sessions start inside that hour and run to completion (their later messages
may fall into later hours), and rows are released in time order once no session can still add
an earlier row. That keeps memory bounded by about an hour of traffic, so millions of messages
can be streamed to CSV.
"""

from __future__ import annotations

import bisect
import csv
import math
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from scriptlab.sample.grammar import TemplateTable
from scriptlab.sample.intents import (
    ACKNOWLEDGEMENTS,
    AGENT_ADDRESS_ACK,
    AGENT_ASK_ORDER,
    AGENT_CLOSINGS,
    AGENT_GREETINGS,
    GREETINGS,
    INTENTS,
    NONE_LABEL,
    NUDGES,
    SLOTS,
    STATEMENTS,
    SYSTEM_CLOSERS,
    SYSTEM_OPENERS,
    TRENDING,
    Intent,
)
from scriptlab.sample.noise import ORDER_FORMS, NoiseLevels, Noiser

if TYPE_CHECKING:
    import pandas as pd

#: Column headers of the generated export (as a Taobao/千牛 export might have them).
LOG_COLUMNS = ("消息ID", "会话ID", "时间", "发送方", "客服ID", "内容")
LABEL_COLUMNS = ("message_id", "intent")
BUYER, AGENT, SYSTEM = "买家", "客服", "系统"

ZIPF_EXPONENT = 1.1
_DAY = 86_400
_HOUR = 3_600
_SHIFT_START = 9 * _HOUR  # agents are online 9:00-24:00

# Relative buyer activity per hour of day (evening peak, quiet night).
HOUR_WEIGHTS = (1.5, 0.8, 0.4, 0.2, 0.2, 0.3, 0.8, 1.8, 3.0, 5.0, 6.5, 6.0,
                5.0, 5.5, 6.0, 6.0, 5.5, 5.0, 5.0, 6.0, 7.5, 8.5, 7.5, 4.0)
# Questions per session: 1-4 with these cumulative probabilities.
_QUESTIONS_CUMULATIVE = (0.50, 0.78, 0.92, 1.0)


@dataclass(frozen=True)
class AgentProfile:
    """How one customer-service agent behaves.

    Attributes
    ----------
    agent_id : str
        The id written in the 客服ID column.
    p_good, p_mediocre : float
        Probability of replying with the model answer / a mediocre reply (the rest is poor).
    reply_delay : tuple[int, int]
        Range of seconds before a reply.
    share : float
        Relative share of sessions the agent handles.
    """

    agent_id: str
    p_good: float
    p_mediocre: float
    reply_delay: tuple[int, int]
    share: float


AGENTS: tuple[AgentProfile, ...] = (
    AgentProfile("kf_01", 0.85, 0.12, (5, 40), 1.4),
    AgentProfile("kf_02", 0.75, 0.20, (8, 60), 1.2),
    AgentProfile("kf_03", 0.60, 0.30, (10, 90), 1.0),
    AgentProfile("kf_04", 0.55, 0.30, (15, 120), 1.0),
    AgentProfile("kf_05", 0.40, 0.40, (10, 60), 1.0),
    AgentProfile("kf_06", 0.30, 0.45, (20, 180), 0.8),
    AgentProfile("kf_07", 0.20, 0.40, (30, 240), 0.8),
    AgentProfile("kf_08", 0.10, 0.35, (5, 30), 0.6),  # fast but careless
)


def _cumulative(weights: list[float]) -> list[float]:
    total = sum(weights)
    out, running = [], 0.0
    for w in weights:
        running += w / total
        out.append(running)
    out[-1] = 1.0 + 1e-9
    return out


def intent_ranks(seed: int = 7) -> tuple[str, ...]:
    """Intent keys from most to least frequent for a given seed.

    The catalogue order is a popularity prior; seeded log-normal jitter reorders it, so
    different seeds give different (but plausible) frequency ranks.

    Parameters
    ----------
    seed : int
        The generator seed.

    Returns
    -------
    tuple[str, ...]
        Intent keys, rank 1 first.
    """
    rng = random.Random(f"scriptlab.sample:{seed}:ranks")
    scored = [(math.log(i + 1) + rng.gauss(0.0, 0.6), intent.key)
              for i, intent in enumerate(INTENTS)]
    return tuple(key for _, key in sorted(scored))


def intent_weights(seed: int = 7, trending: bool = False) -> dict[str, float]:
    """Relative frequency of each intent (Zipf over the seeded ranks).

    Parameters
    ----------
    seed : int
        The generator seed.
    trending : bool
        If true, apply the ``TRENDING`` multipliers used in the last week of the log.

    Returns
    -------
    dict[str, float]
        Intent key -> probability that a question has this intent (sums to 1).
    """
    raw = {key: 1.0 / (rank ** ZIPF_EXPONENT)
           for rank, key in enumerate(intent_ranks(seed), start=1)}
    if trending:
        raw = {key: w * TRENDING.get(key, 1.0) for key, w in raw.items()}
    total = sum(raw.values())
    return {key: w / total for key, w in raw.items()}


class _PhraseSampler:
    """Samples clean phrasings of intents: first a template uniformly, then a phrasing."""

    def __init__(self, part: str) -> None:
        self.tables: list[tuple[TemplateTable, ...]] = []
        for intent in INTENTS:
            templates = intent.log_templates if part == "log" else intent.heldout_templates
            self.tables.append(tuple(TemplateTable.build(t, SLOTS) for t in templates))

    def sample(self, intent_index: int, rng: random.Random) -> str:
        tables = self.tables[intent_index]
        return tables[int(rng.random() * len(tables))].sample(rng)


_SAMPLERS: dict[str, _PhraseSampler] = {}


def phrase_sampler(part: str = "log") -> _PhraseSampler:
    """The cached sampler of the ``log`` or ``heldout`` grammar."""
    if part not in ("log", "heldout"):
        raise ValueError(f"part must be 'log' or 'heldout', not {part!r}")
    if part not in _SAMPLERS:
        _SAMPLERS[part] = _PhraseSampler(part)
    return _SAMPLERS[part]


def phrasings(intent_key: str, part: str = "log") -> tuple[str, ...]:
    """Every clean phrasing an intent's grammar can produce.

    Parameters
    ----------
    intent_key : str
        An intent key from ``INTENTS``.
    part : str
        ``log`` (the grammar the chat logs use) or ``heldout`` (the disjoint held-out grammar).

    Returns
    -------
    tuple[str, ...]
        Distinct phrasings without terminal punctuation or noise.
    """
    index = next((i for i, intent in enumerate(INTENTS) if intent.key == intent_key), None)
    if index is None:
        raise KeyError(f"unknown intent {intent_key!r}")
    seen: dict[str, None] = {}
    for table in phrase_sampler(part).tables[index]:
        seen.update(dict.fromkeys(table.phrasings))
    return tuple(seen)


# A pending row: (seconds since start, sequence, session id, sender, agent id, text, label).
_Row = tuple[int, int, str, str, str, str, str | None]


class _SessionFactory:
    """Builds whole sessions; all randomness comes from one ``random.Random``."""

    def __init__(self, rng: random.Random, seed: int, noise: NoiseLevels) -> None:
        self.rng = rng
        self.noiser = Noiser(rng, noise)
        self.phrases = phrase_sampler("log")
        index = {intent.key: i for i, intent in enumerate(INTENTS)}
        self.order: list[int] = []
        self.cum_normal: list[float] = []
        self.cum_trend: list[float] = []
        normal, trend = intent_weights(seed), intent_weights(seed, trending=True)
        for key in intent_ranks(seed):
            self.order.append(index[key])
        self.cum_normal = _cumulative([normal[INTENTS[i].key] for i in self.order])
        self.cum_trend = _cumulative([trend[INTENTS[i].key] for i in self.order])
        self.cum_agents = _cumulative([a.share for a in AGENTS])
        self.seq = 0

    def _pick_intent(self, trending: bool) -> int:
        cum = self.cum_trend if trending else self.cum_normal
        return self.order[bisect.bisect(cum, self.rng.random())]

    def session(self, session_id: str, t: int, trending: bool) -> list[_Row]:
        """All rows of one session starting at ``t`` seconds."""
        rng = self.rng
        rnd = rng.random
        pick = self.noiser.pick
        agent = AGENTS[bisect.bisect(self.cum_agents, rnd())]
        lo, hi = agent.reply_delay
        rows: list[_Row] = []

        def add(sender: str, text: str, label: str | None) -> None:
            self.seq += 1
            agent_id = agent.agent_id if sender == AGENT else ""
            rows.append((t, self.seq, session_id, sender, agent_id, text, label))

        def agent_turn() -> None:
            # Agents work 9:00-24:00: night questions are answered the next morning.
            nonlocal t
            t += lo + int(rnd() * (hi - lo + 1))
            if t % _DAY < _SHIFT_START:
                t = t - t % _DAY + _SHIFT_START + int(rnd() * 1800)

        def buyer_turn() -> None:
            nonlocal t
            t += 3 + int(rnd() * 90)

        if rnd() < 0.05:
            add(SYSTEM, pick(SYSTEM_OPENERS), None)
            t += 1 + int(rnd() * 20)
        greeted = rnd() < 0.22
        if greeted:
            add(BUYER, self.noiser.small_talk(pick(GREETINGS)), NONE_LABEL)
            if rnd() < 0.85:
                agent_turn()
                add(AGENT, pick(AGENT_GREETINGS), None)
            buyer_turn()
        u = rnd()
        n_questions = 1 + sum(u >= c for c in _QUESTIONS_CUMULATIVE[:-1])
        for q in range(n_questions):
            if q:
                buyer_turn()
            index = self._pick_intent(trending)
            intent = INTENTS[index]
            text = self.noiser.question(self.phrases.sample(index, rng), intent.attach)
            add(BUYER, text, intent.key)
            if rnd() < 0.06:  # slow agent: the buyer nudges, sometimes nobody ever answers
                t += 60 + int(rnd() * 240)
                add(BUYER, self.noiser.small_talk(pick(NUDGES)), NONE_LABEL)
                if rnd() < 0.4:
                    continue
            agent_turn()
            if q == 0 and not greeted and rnd() < 0.15:
                add(AGENT, pick(AGENT_GREETINGS), None)
                t += 2 + int(rnd() * 10)
            if intent.attach == "order" and rnd() < 0.2 and not any(c.isdigit() for c in text):
                add(AGENT, pick(AGENT_ASK_ORDER), None)
                buyer_turn()
                add(BUYER, pick(ORDER_FORMS).format(self.noiser.order_number()), NONE_LABEL)
                agent_turn()
            add(AGENT, self._reply(agent, intent), None)
            if rnd() < 0.3:
                buyer_turn()
                add(BUYER, self.noiser.small_talk(pick(ACKNOWLEDGEMENTS)), NONE_LABEL)
        if rnd() < 0.1:
            buyer_turn()
            if rnd() < 0.25:
                text = f"地址发你了：{self.noiser.address(masked=True)}"
                add(BUYER, self.noiser.small_talk(text), NONE_LABEL)
                agent_turn()
                add(AGENT, pick(AGENT_ADDRESS_ACK), None)
            else:
                add(BUYER, self.noiser.small_talk(pick(STATEMENTS)), NONE_LABEL)
        if rows[-1][3] == BUYER and rows[-1][6] == NONE_LABEL and rnd() < 0.5:
            agent_turn()
            add(AGENT, pick(AGENT_CLOSINGS), None)
        if rnd() < 0.08:
            t += 30 + int(rnd() * 600)
            add(SYSTEM, pick(SYSTEM_CLOSERS), None)
        return rows

    def _reply(self, agent: AgentProfile, intent: Intent) -> str:
        u = self.rng.random()
        if u < agent.p_good:
            return intent.good_answer
        if u < agent.p_good + agent.p_mediocre:
            return self.noiser.pick(intent.mediocre_answers)
        return self.noiser.pick(intent.poor_answers)


def _hour_targets(n_messages: int, days: int, first_day: date, seed: int) -> list[int]:
    """Cumulative message targets at the end of each hour of the period."""
    rng = random.Random(f"scriptlab.sample:{seed}:volume")
    weights = []
    for d in range(days):
        weekend = (first_day + timedelta(days=d)).weekday() >= 5
        day_weight = (1.25 if weekend else 1.0) * rng.uniform(0.9, 1.1)
        weights.extend(day_weight * h for h in HOUR_WEIGHTS)
    total = sum(weights)
    targets, running = [], 0.0
    for w in weights:
        running += w
        targets.append(round(n_messages * running / total))
    targets[-1] = n_messages
    return targets


_CLOCK: list[str] = []


def _clock() -> list[str]:
    """``HH:MM:SS`` for every second of a day (built once; formatting is the hot path)."""
    if not _CLOCK:
        _CLOCK.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(_DAY))
    return _CLOCK


def _parse_start(start: str) -> date:
    try:
        return date.fromisoformat(start)
    except ValueError:
        raise ValueError(f"start must be a date like 2026-10-05, not {start!r}") from None


def iter_log_chunks(
    n_messages: int = 6000,
    seed: int = 7,
    start: str = "2026-10-05",
    weeks: int = 6,
    *,
    noise: NoiseLevels | None = None,
) -> Iterator[list[tuple[int, str, str, str, str, str, str | None]]]:
    """Stream the chat log in time order, in chunks of finished rows.

    Parameters
    ----------
    n_messages : int
        Exact number of rows (buyer, agent and system messages) to produce.
    seed : int
        Seed of all randomness; the same arguments always give the same rows.
    start : str
        First day of the period (ISO date).
    weeks : int
        Length of the period; the intents in ``TRENDING`` rise in its last 7 days.
    noise : NoiseLevels, optional
        Noise probabilities for buyer messages (default ``NoiseLevels()``).

    Returns
    -------
    Iterator[list[tuple]]
        Lists of rows ``(消息ID, 会话ID, 时间, 发送方, 客服ID, 内容, intent)`` where ``intent``
        is the label of buyer rows and ``None`` otherwise.
    """
    if n_messages < 0:
        raise ValueError(f"n_messages must be >= 0, not {n_messages}")
    if weeks < 1:
        raise ValueError(f"weeks must be >= 1, not {weeks}")
    first_day = _parse_start(start)
    days = weeks * 7
    factory = _SessionFactory(random.Random(f"scriptlab.sample:{seed}:log"), seed,
                              noise or NoiseLevels())
    rng = factory.rng
    clock = _clock()
    # Sessions may run past the period's end, so keep a few spare dates.
    dates = [(first_day + timedelta(days=d)).isoformat() for d in range(days + 3)]
    compact = [d.replace("-", "") for d in dates]
    trend_from = (days - 7) * _DAY
    targets = _hour_targets(n_messages, days, first_day, seed)
    pending: list[_Row] = []
    produced = 0
    message_id = 0
    sessions_today = 0

    def release(until: int) -> list[tuple[int, str, str, str, str, str, str | None]]:
        nonlocal pending, message_id
        pending.sort()
        cut = bisect.bisect_left(pending, (until,))
        ready, pending = pending[:cut], pending[cut:]
        out = []
        for t, _, session_id, sender, agent_id, text, label in ready:
            message_id += 1
            stamp = f"{dates[t // _DAY]} {clock[t % _DAY]}"
            out.append((message_id, session_id, stamp, sender, agent_id, text, label))
        return out

    for hour, target in enumerate(targets):
        hour_start = hour * _HOUR
        if hour % 24 == 0:
            sessions_today = 0
        chunk = release(hour_start)
        if chunk:
            yield chunk
        while produced < target:
            sessions_today += 1
            day = hour // 24
            session_id = f"S{compact[day]}{sessions_today:06d}"
            t0 = hour_start + int(rng.random() * _HOUR)
            rows = factory.session(session_id, t0, trending=t0 >= trend_from)
            rows = rows[: n_messages - produced]
            pending.extend(rows)
            produced += len(rows)
    chunk = release(10**12)
    if chunk:
        yield chunk


def generate_chat_log(
    n_messages: int = 6000,
    seed: int = 7,
    start: str = "2026-10-05",
    weeks: int = 6,
    *,
    noise: NoiseLevels | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a chat log and its ground-truth labels in memory.

    Parameters
    ----------
    n_messages : int
        Exact number of messages (rows of the log).
    seed : int
        Seed; the same arguments always give identical frames.
    start : str
        First day of the period (ISO date).
    weeks : int
        Length of the period in weeks.
    noise : NoiseLevels, optional
        Noise probabilities for buyer messages (default ``NoiseLevels()``).

    Returns
    -------
    tuple[pandas.DataFrame, pandas.DataFrame]
        ``logs`` with columns 消息ID (int), 会话ID, 时间 (datetime64), 发送方 (买家/客服/系统),
        客服ID ("" except on 客服 rows), 内容; and ``labels`` with columns message_id, intent
        for every 买家 row (intent key, or ``none`` for messages that ask nothing).
    """
    import pandas as pd

    rows, labels = [], []
    for chunk in iter_log_chunks(n_messages, seed, start, weeks, noise=noise):
        for row in chunk:
            rows.append(row[:6])
            if row[6] is not None:
                labels.append((row[0], row[6]))
    logs = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    logs["消息ID"] = logs["消息ID"].astype("int64")
    logs["时间"] = pd.to_datetime(logs["时间"], format="%Y-%m-%d %H:%M:%S")
    label_frame = pd.DataFrame(labels, columns=list(LABEL_COLUMNS))
    label_frame["message_id"] = label_frame["message_id"].astype("int64")
    return logs, label_frame


def default_labels_path(path: Path) -> Path:
    """``x_chats.csv`` -> ``x_labels.csv``; any other ``name.csv`` -> ``name_labels.csv``."""
    stem = path.stem
    stem = stem[: -len("_chats")] + "_labels" if stem.endswith("_chats") else stem + "_labels"
    return path.with_name(stem + path.suffix)


def write_chat_log(
    path: str | os.PathLike[str],
    n_messages: int = 6000,
    seed: int = 7,
    start: str = "2026-10-05",
    weeks: int = 6,
    *,
    labels_path: str | os.PathLike[str] | None = None,
    encoding: str = "utf-8",
    noise: NoiseLevels | None = None,
) -> tuple[Path, Path]:
    """Stream a generated chat log and its labels to CSV files, chunk by chunk.

    Memory stays bounded (about an hour of traffic), so millions of messages are fine. Files
    are written under a temporary name and renamed when complete.

    Parameters
    ----------
    path : path-like
        The chat CSV to write (columns ``LOG_COLUMNS``).
    n_messages, seed, start, weeks, noise
        As in ``generate_chat_log``; the rows are identical.
    labels_path : path-like, optional
        The labels CSV (``message_id,intent``); default ``default_labels_path(path)``.
    encoding : str
        Encoding of the chat CSV (``utf-8-sig`` adds the BOM Excel likes). Labels are UTF-8.

    Returns
    -------
    tuple[pathlib.Path, pathlib.Path]
        The chat and labels paths.
    """
    chats = Path(path)
    labels = Path(labels_path) if labels_path is not None else default_labels_path(chats)
    chats_tmp = chats.with_name(chats.name + ".tmp")
    labels_tmp = labels.with_name(labels.name + ".tmp")
    chats.parent.mkdir(parents=True, exist_ok=True)
    labels.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            open(chats_tmp, "w", encoding=encoding, newline="") as chat_file,
            open(labels_tmp, "w", encoding="utf-8", newline="") as label_file,
        ):
            chat_writer = csv.writer(chat_file, lineterminator="\n")
            label_writer = csv.writer(label_file, lineterminator="\n")
            chat_writer.writerow(LOG_COLUMNS)
            label_writer.writerow(LABEL_COLUMNS)
            for chunk in iter_log_chunks(n_messages, seed, start, weeks, noise=noise):
                chat_writer.writerows(row[:6] for row in chunk)
                label_writer.writerows((row[0], row[6]) for row in chunk if row[6] is not None)
        os.replace(chats_tmp, chats)
        os.replace(labels_tmp, labels)
    finally:
        for tmp in (chats_tmp, labels_tmp):
            if tmp.exists():
                tmp.unlink()
    return chats, labels


#: Columns and role names of the small GB18030 sample (an "English" export).
GBK_COLUMNS = ("session_id", "time", "role", "agent", "message")
_GBK_ROLES = {BUYER: "customer", AGENT: "agent"}


def write_gbk_sample(
    path: str | os.PathLike[str],
    n_messages: int = 300,
    seed: int = 8,
    start: str = "2026-10-05",
    weeks: int = 6,
) -> Path:
    """Write a small GB18030-encoded log with English headers, to exercise encoding detection.

    System rows are dropped (so the file has slightly fewer than ``n_messages`` rows); roles
    are ``customer``/``agent``.

    Parameters
    ----------
    path : path-like
        The CSV to write.
    n_messages, seed, start, weeks
        Passed to ``iter_log_chunks``.

    Returns
    -------
    pathlib.Path
        The written path.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        with open(tmp, "w", encoding="gb18030", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(GBK_COLUMNS)
            for chunk in iter_log_chunks(n_messages, seed, start, weeks):
                writer.writerows(
                    (session_id, stamp, _GBK_ROLES[sender], agent_id, text)
                    for _, session_id, stamp, sender, agent_id, text, _ in chunk
                    if sender in _GBK_ROLES
                )
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
