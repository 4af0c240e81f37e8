"""Hygiene before detection: pasted data, cards, stickers and notices are not questions."""

from __future__ import annotations

import pandas as pd
import pytest

from scriptlab.mine.hygiene import noise_reason, noise_reasons
from scriptlab.mine.pipeline import prepare_texts
from scriptlab.text.mask import mask_text


@pytest.mark.parametrize(("raw", "reason"), [
    ("13812345678 这是我电话", "personal"),
    ("my phone is 13812345678", "personal"),
    ("我的地址是北京市朝阳区建国路88号", "personal"),
    ("订单号 312345678901", "order_number"),
    ("SF1234567890123", "order_number"),
    ("https://item.taobao.com/item.htm?id=612345678901", "link"),
    ("[商品卡片] https://haohuo.jinritemai.com/views/product/item?id=3601234567", "card"),
    ("【订单】", "card"),
    ("[表情]", "sticker"),
    ("[微笑][呲牙]", "sticker"),
    ("😀😀", "sticker"),
    ("会话已结束", "system"),
    ("用户已评价", "system"),
    ("客服小美已接入", "system"),
    ("在吗", ""),
    ("什么时候发货", ""),
    ("能转接人工吗", ""),
    ("订单号 312345678901 帮我看下什么时候到", ""),
    ("这个电话能打通吗 13812345678", ""),
    ("how long until you ship", ""),
])
def test_noise_reason(raw: str, reason: str) -> None:
    assert noise_reason(mask_text(raw)) == reason


def test_noise_is_never_a_question_even_when_detection_says_so() -> None:
    texts = pd.Series(["13812345678 这是我电话？", "什么时候发货？"], dtype=object)
    prepared = prepare_texts(texts)
    assert prepared["noise"].tolist() == ["personal", ""]
    assert prepared["is_question"].tolist() == [False, True]
    assert noise_reasons(pd.Series(["[表情]"], dtype=object)).tolist() == ["sticker"]
