"""Normalising: width, script, case, emoji, small talk; display wording kept readable."""

from __future__ import annotations

import pytest

from scriptlab.text.normalize import (
    clean,
    normalize_text,
    readable,
    strip_attachments,
    strip_small_talk,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("亲，在吗？这个什么时候发货", "这个什么时候发货"),
    ("這個甚麼時候發貨？？？", "这个甚么时候发货?"),
    ("ＨＥＬＬＯ，这个有货吗😊[微笑]", "这个有货吗"),
    ("老板，能便宜点吗", "能便宜点吗"),
    ("客服在吗，我要退货", "我要退货"),
    ("什么时候发货，谢谢亲", "什么时候发货"),
    ("什么时候发货？谢谢", "什么时候发货?"),
    ("亲，在嗎？訂單號：<订单号> 什麼時候發貨！！", "什么时候发货"),
])
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize("text", ["好的谢谢", "在吗在吗", "亲亲", "嗯嗯好的亲", "在？", "人呢",
                                  "好的呢", "谢谢亲~", "OK"])
def test_pure_small_talk_becomes_empty(text: str) -> None:
    assert normalize_text(text) == ""


@pytest.mark.parametrize("text", ["客服电话多少", "亲子装有吗", "可以吗", "hifi耳机有吗"])
def test_words_that_start_like_greetings_are_kept(text: str) -> None:
    assert normalize_text(text) == text


def test_placeholders_pass_through() -> None:
    assert clean("<订单号>怎么还没发货") == "<订单号>怎么还没发货"
    assert strip_small_talk("<订单号>怎么还没发货") == "<订单号>怎么还没发货"


def test_attachments_are_not_part_of_the_question() -> None:
    assert strip_attachments("包邮吗 地址:<地址>,收件人<姓名>") == "包邮吗"
    assert normalize_text("订单号：<订单号> 帮我退货") == "帮我退货"


def test_readable_keeps_the_customers_wording() -> None:
    assert readable("亲，在吗？這個什麼時候發貨😊") == "這個什麼時候發貨"
    assert readable("Hello，iPhone壳有货吗？？") == "iPhone壳有货吗？"
