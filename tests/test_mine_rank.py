"""Ranking and describing groups; replies that followed each question."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scriptlab.mine.rank import GROUP_COLUMNS, describe_groups
from scriptlab.mine.replies import next_agent_message

DAY = 86_400 * 10**9


def test_next_agent_message_in_the_same_session() -> None:
    session = np.array([1, 1, 2, 1, 2, 1])
    ts = np.array([1, 2, 3, 4, 5, 6])
    agent = np.array([False, False, False, True, False, False])
    got = next_agent_message(session, ts, np.arange(6), agent)
    assert got.tolist() == [3, 3, -1, -1, -1, -1]


def test_next_agent_message_orders_by_time_not_file_order() -> None:
    got = next_agent_message(np.array([1, 1]), np.array([5, 1]), np.arange(2),
                             np.array([True, False]))
    assert got.tolist() == [-1, 0]


def _grouped() -> pd.DataFrame:
    return pd.DataFrame({
        "key": ["什么时候发货", "啥时候发货", "订单<订单号>什么时候发货", "能开发票吗"],
        "count": [3, 1, 1, 2],
        "group": [0, 0, 0, 1],
        "centrality": [0.9, 0.8, 0.95, 1.0],
        "keywords": [["发货"], ["发货"], ["发货"], ["发票"]],
        "display": ["什么时候发货？", "啥时候发货", "订单<订单号>什么时候发货", "能开发票吗"],
    })


def _questions() -> pd.DataFrame:
    # key ids 0,0,0,1,2 for group 0 (5 messages), 3,3 for group 1
    return pd.DataFrame({
        "key_id": [0, 0, 0, 1, 2, 3, 3],
        "session": [1, 2, 3, 3, 4, 5, 6],
        "ts": [0, 1 * DAY, 9 * DAY, 9 * DAY, 10 * DAY, 2 * DAY, 3 * DAY],
        "reply": [0, 0, 1, 1, -1, 2, 2],
        "reply_agent": [0, 1, 0, 0, -1, 1, 1],
    })


def test_describe_groups() -> None:
    replies = pd.Series(["48小时内发货", "今天发", "可以开电子发票"], index=[0, 1, 2])
    out = describe_groups(_questions(), _grouped(), replies, ["kf_01", "kf_02"],
                          first_ts=pd.Timestamp(0), last_ts=pd.Timestamp(10 * DAY),
                          min_count=2, top=10)
    assert list(out.columns) == GROUP_COLUMNS
    first = out.iloc[0]
    assert (first["rank"], first["count"], first["sessions"]) == (1, 5, 4)
    assert first["customers"] == first["sessions"]
    assert abs(first["share"] - 5 / 7) < 1e-9
    # earlier half (<= day 5): 2 messages, later half: 3
    assert first["prev_count"] == 2 and abs(first["trend"] - 0.5) < 1e-9
    assert first["representative"] == "什么时候发货？"  # clean wording beats the placeholder
    assert first["variants"][0] == ("什么时候发货？", 3)
    assert first["replies"] == [("48小时内发货", 2), ("今天发", 2)]
    assert first["reply_agents"] == [["kf_01", "kf_02"], ["kf_01"]]
    second = out.iloc[1]
    assert second["prev_count"] == 2 and second["trend"] == -1.0


def test_min_count_and_top() -> None:
    args = dict(first_ts=pd.Timestamp(0), last_ts=pd.Timestamp(10 * DAY))
    replies = pd.Series(["a", "b", "c"])
    assert len(describe_groups(_questions(), _grouped(), replies, [], min_count=3, top=10,
                               **args)) == 1
    assert len(describe_groups(_questions(), _grouped(), replies, [], min_count=1, top=1,
                               **args)) == 1
    assert describe_groups(_questions(), _grouped(), replies, [], min_count=9, top=5,
                           **args).empty


def test_streamed_linking_equals_sorting() -> None:
    from scriptlab.mine.replies import ReplyLinker

    rng = np.random.default_rng(5)
    n = 3000
    session = rng.integers(0, 80, n).astype(np.uint64)
    ts = np.sort(rng.integers(0, 10_000, n))  # time order, with ties
    agent = rng.random(n) < 0.4
    key, text, who = np.arange(n), np.arange(n) + 10_000, np.arange(n) + 20_000
    expected = next_agent_message(session.view(np.int64), ts, np.arange(n), agent)
    linker, got = ReplyLinker(), []
    for lo in range(0, n, 700):
        part = slice(lo, lo + 700)
        got.append(linker.add(session[part], ts[part], agent[part], key[part], text[part],
                              who[part]))
    assert linker.in_order
    q = np.flatnonzero(~agent & (expected >= 0))
    pairs = sorted(zip(np.concatenate([g[0] for g in got]).tolist(),
                       np.concatenate([g[1] for g in got]).tolist(), strict=True))
    assert pairs == sorted(zip(q.tolist(), (expected[q] + 10_000).tolist(), strict=True))


def test_linking_notices_sessions_out_of_time_order() -> None:
    from scriptlab.mine.replies import ReplyLinker

    args = (np.array([False, True]), np.array([0, 1]), np.array([0, 1]), np.array([0, 1]))
    within = ReplyLinker()
    within.add(np.array([1, 1], np.uint64), np.array([5, 3]), *args)
    assert not within.in_order
    across = ReplyLinker()
    across.add(np.array([1, 2], np.uint64), np.array([5, 6]), *args)
    assert across.in_order
    across.add(np.array([2, 1], np.uint64), np.array([7, 4]), *args)
    assert not across.in_order


def test_mining_links_replies_by_time_when_the_file_is_not_in_order() -> None:
    from scriptlab.mine.pipeline import mine_messages
    from scriptlab.mine.settings import MineSettings

    rows = []
    for s in range(4):
        base = pd.Timestamp("2026-11-02 09:00") + pd.Timedelta(hours=s)
        rows += [(f"s{s}", base, "customer", "", "请问什么时候发货"),
                 (f"s{s}", base + pd.Timedelta(minutes=2), "agent", "kf_02", "亲，明天下午统一发货"),
                 (f"s{s}", base + pd.Timedelta(minutes=1), "agent", "kf_01", "亲，48小时内发货哦")]
    frame = pd.DataFrame(rows, columns=["session_id", "timestamp", "role", "agent_id", "text"])
    frame.insert(0, "message_id", [f"m{i}" for i in range(len(frame))])
    for chunks in ([frame], [frame.iloc[:5], frame.iloc[5:]]):
        result = mine_messages(chunks, sources=["x"], settings=MineSettings(min_count=1))
        assert result.groups.iloc[0]["replies"] == [("亲，48小时内发货哦", 4)]
        assert result.groups.iloc[0]["reply_agents"] == [["kf_01"]]
