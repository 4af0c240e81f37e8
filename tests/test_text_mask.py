"""Masking: no phone, order, ID number, address or name survives, in any script or width."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from scriptlab.text.mask import mask_series, mask_text

LONG_DIGITS = re.compile(r"\d(?:[\s-]?\d){10,}")

CASES = [
    ("手机13812345678，订单号 2023110112345678", "手机<手机号>，订单号 <订单号>"),
    ("我的电话是 138 1234 5678", "我的电话是 <手机号>"),
    ("１３８１２３４５６７８", "<手机号>"),
    ("+86 138-1234-5678 打我电话", "<手机号> 打我电话"),
    ("订单E202311011234567890怎么还没发", "订单<订单号>怎么还没发"),
    ("SF1234567890123到哪了", "<运单号>到哪了"),
    ("身份证110101199003074512", "身份证<身份证号>"),
    ("邮箱 a.b@qq.com", "邮箱 <邮箱>"),
    ("微信 zhang_san88", "微信 <账号>"),
    ("qq号 12345678", "qq号 <账号>"),
    ("收件人张三电话13800000000", "收件人<姓名>电话<手机号>"),
    ("收件人張三電話13800000000", "收件人<姓名>電話<手机号>"),
    ("包邮吗，我是李勇", "包邮吗，我是<姓名>"),
    ("地址：浙江省杭州市西湖区文三路100号3幢2单元", "地址：<地址>"),
    ("寄到杭州市余杭区五一路848号阳光小区10栋901", "寄到<地址>"),
    ("地址發你了：江蘇省南京市鼓樓區中山路***號", "地址發你了：<地址>"),
    ("北京市朝阳区和平里大街487号万科城6栋2703 包邮吗", "<地址> 包邮吗"),
    ("一三八一二三四五六七八", "<电话>"),
    ("看这个 https://item.taobao.com/item.htm?id=123456789012", "看这个 <链接>"),
    ("单号 2023 1101 1234 5678", "单号 <号码>"),
    ("手机号：184562375", "手机号：<手机号>"),
    ("010-88886666", "<电话>"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_mask_text(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize("text", ["这个什么时候发货", "价格1999元，买了3件", "这个小区能送吗",
                                  "电话写错了能改吗", "能开发票吗？", "我是新客户吗"])
def test_ordinary_text_is_untouched(text: str) -> None:
    assert mask_text(text) == text


def test_mask_series_equals_mask_text_row_by_row() -> None:
    texts = pd.Series([t for t, _ in CASES] + ["这个什么时候发货"])
    assert mask_series(texts).tolist() == [mask_text(t) for t in texts]


def test_no_long_number_survives_any_spacing() -> None:
    noisy = ["订单号:2023-1101-1234-5678-9", "电话 138 1234 5678", "编号12345678901234567890",
             "TB20231101123456789的单子", "卡号 6222 0212 3456 7890 123"]
    for text in noisy:
        assert not LONG_DIGITS.search(mask_text(text)), text
