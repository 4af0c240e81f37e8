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
