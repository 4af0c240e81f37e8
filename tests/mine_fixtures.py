"""Hand-written Chinese chat examples for the mine tests (independent of the generator).

`PHRASINGS` holds a few customer intents with the different ways people ask them;
`write_chat_log` turns them into a small chat export with greetings, thanks, personal data
(phone and order numbers that must never survive) and agent replies.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

PHRASINGS: dict[str, list[str]] = {
    "shipping_time": [
        "什么时候发货", "啥时候发货啊", "几时能发货", "什么时候能发货呢", "今天能发货吗",
        "下单后多久发货", "多久能发货", "什么时候发货呀亲",
    ],
    "delivery_time": [
        "几天能到", "多久能到货", "发货后几天能收到", "快递几天到", "大概多久能收到",
        "几天能到货啊",
    ],
    "invoice": [
        "能开发票吗", "可以开发票吗", "发票怎么开", "发票开一下", "我要开发票", "能开专票吗",
        "有发票吗",
    ],
    "return": [
        "怎么退货", "我要退货", "退货怎么弄", "可以退货吗", "能退货吗", "怎么申请退货",
        "不想要了能退吗",
    ],
    "free_shipping": [
        "包邮吗", "包不包邮", "免运费吗", "这个包邮吗", "偏远地区包邮吗", "运费多少",
    ],
    "where_is_parcel": [
        "我的快递到哪了", "快递到哪里了", "物流怎么不动了", "快递一直不动", "查一下物流",
        "帮我查下快递到哪了",
    ],
    "size": [
        "我穿什么尺码", "身高165体重100穿什么码", "尺码偏大还是偏小", "选多大码合适",
        "码数准吗", "尺码标准吗",
    ],
    "coupon": [
        "有优惠券吗", "有没有优惠", "能便宜点吗", "优惠券怎么用", "还有优惠卷吗",
        "可以再便宜一点吗",
    ],
}
NON_QUESTIONS = ["好的", "谢谢", "嗯嗯", "收到了", "我已经付款了", "好的谢谢亲", "拍了", "哦哦"]
REPLIES = {
    "shipping_time": "亲，48小时内发货哦",
    "delivery_time": "亲，一般发货后2-3天送达",
    "invoice": "亲，下单时填写发票抬头即可开具电子发票",
    "return": "亲，支持七天无理由退货，在订单页申请即可",
    "free_shipping": "亲，全场包邮（偏远地区除外）",
    "where_is_parcel": "亲，我帮您查一下物流",
    "size": "亲，建议按平时尺码选择",
    "coupon": "亲，领取店铺优惠券可以减10元",
}
PHONE = "13812345678"
ORDER = "2023110112345678901"
HEADER = ["消息ID", "会话ID", "时间", "发送方", "客服ID", "内容"]


def write_chat_log(
    path: Path,
    *,
    sessions: int = 120,
    seed: int = 3,
    start: datetime = datetime(2026, 11, 2, 9, 0),
) -> dict[str, str]:
    """Write a CSV chat export; returns message id → true intent ("none" for chat).

    Every session: a greeting or not, one question (some with a phone or order number),
    an agent reply, often a thanks. Sessions spread over 14 days.
    """
    rng = random.Random(seed)
    labels: dict[str, str] = {}
    rows: list[list[str]] = []
    intents = list(PHRASINGS)
    weights = [len(intents) - i for i in range(len(intents))]  # shipping most frequent
    number = 0
    for s in range(sessions):
        t = start + timedelta(minutes=s * 14 * 24 * 60 // sessions)
        session = f"S{s:04d}"
        agent = f"agent{s % 3 + 1}"
        intent = rng.choices(intents, weights)[0]
        question = rng.choice(PHRASINGS[intent])
        if rng.random() < 0.3:
            question = rng.choice(["亲，在吗？", "你好，", "在吗 "]) + question
        if rng.random() < 0.15:
            question += f"，我的手机{PHONE}"
        elif rng.random() < 0.15:
            question = f"订单{ORDER}" + question
        turns = [("买家", "", question, intent), ("客服", agent, REPLIES[intent], None)]
        if rng.random() < 0.5:
            turns.append(("买家", "", rng.choice(NON_QUESTIONS), "none"))
        if rng.random() < 0.1:
            turns.append(("系统", "", "系统消息：会话已结束", None))
        for offset, (role, agent_id, text, label) in enumerate(turns):
            number += 1
            message_id = f"M{number:05d}"
            stamp = (t + timedelta(seconds=30 * offset)).strftime("%Y-%m-%d %H:%M:%S")
            rows.append([message_id, session, stamp, role, agent_id, text])
            if label is not None:
                labels[message_id] = label
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return labels


def mined_workspace(tmp_path: Path, *, sessions: int = 160, seed: int = 3):
    """A workspace with the hand-written chat log mined once; returns (ws, log, outcome)."""
    from scriptlab.mine.workflow import mine_into_workspace
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "ws")
    log = tmp_path / "chats.csv"
    write_chat_log(log, sessions=sessions, seed=seed)
    outcome = mine_into_workspace(ws, [log], assignments=tmp_path / "assign.csv")
    return ws, log, outcome
