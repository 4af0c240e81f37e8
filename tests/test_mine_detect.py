"""Question detection: explicit, implicit requests, problems; not thanks or statements."""

from __future__ import annotations

import pandas as pd
import pytest

from scriptlab.mine.detect import detect, is_question
from scriptlab.text.normalize import normalize_text

QUESTIONS = ["亲，在吗？这个什么时候发货", "能发顺丰不", "这个有货吗", "衣服质量怎么样",
             "我的快递到哪了", "能不能便宜点", "有没有优惠券", "催一下发货", "发票开一下",
             "我要退货", "帮我改下地址", "快递一直不动", "发错货了", "明天能到吗",
             "码数拍错了", "便宜点呗", "到了就是碎的", "刚买就降价了"]
NOT_QUESTIONS = ["好的谢谢", "我已经付款了", "收到了", "<订单号>", "拍了", "已经下单了",
                 "这件衣服好看", "嗯嗯", "订单号：<订单号>"]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(text: str) -> None:
    assert is_question(normalize_text(text))


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_not_questions(text: str) -> None:
    assert not is_question(normalize_text(text))


def test_an_asking_opener_makes_a_question() -> None:
    from scriptlab.mine.detect import detect_questions
    from scriptlab.text.normalize import clean

    texts = ["麻烦问一下快递~", "快递~", "请问<订单号>"]
    cleaned = pd.Series([clean(t) for t in texts])
    norm = pd.Series([normalize_text(t) for t in texts])
    assert detect_questions(norm, cleaned).tolist() == [True, False, False]


def test_detect_stage_adds_a_column_and_ignores_agents() -> None:
    frame = pd.DataFrame({"norm": ["什么时候发货", "好的", "什么时候发货"],
                          "role": ["customer", "customer", "agent"]})
    out = detect(frame)
    assert out["is_question"].tolist() == [True, False, False]
    assert list(frame.columns) == ["norm", "role"]  # input untouched
