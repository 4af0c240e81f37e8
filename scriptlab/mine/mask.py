"""Mask personal data in free text before it is stored, printed or reported.

Links, e-mail addresses, ID-card, phone, tracking, order and bank-card numbers, messenger
accounts, street addresses and names after cue words become placeholders such as
``<手机号>``. Full-width digits and letters are made half-width first, so ``１３８…`` is
caught like ``138…``. The patterns run from most to least specific (a long ID number is not
half-taken by the phone pattern), and a final catch-all masks any run of ten or more
digits, even split by spaces or dashes, so no long number survives in any form. Masking is
lossy by design: the original is never kept.
"""

from __future__ import annotations

import re

import pandas as pd

_CJK = r"\u4e00-\u9fff"
# Full-width digits, letters and @ . - + _ -> half-width; Chinese punctuation (，？：) kept.
_HALF_WIDTH = {
    code: code - 0xFEE0
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                 0xFF20, 0xFF0E, 0xFF0D, 0xFF0B, 0xFF3F]
}
# Chinese digits, as in 一三八一二三四五六七八 or 幺三八…
_CN_DIGIT = "零〇一二两三四五六七八九幺"

# (replacement, pattern), applied in order, to texts that hold a digit, "@" or ".".
NUMBER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("<链接>", re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+", re.IGNORECASE)),
    ("<邮箱>", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)),
    ("<身份证号>", re.compile(
        r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![\dA-Za-z])"
    )),
    ("<手机号>", re.compile(
        r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)"
    )),
    ("<运单号>", re.compile(
        r"(?<![A-Za-z\d])(?:SF|YT|ZTO|STO|YD|JD|JT|JDV|EMS|DPK|YZ|YUNDA)\s?\d{9,20}(?!\d)",
        re.IGNORECASE,
    )),
    # Order numbers, with or without a short letter prefix (E2023…, TB…).
    ("<订单号>", re.compile(r"(?<![A-Za-z\d])[A-Za-z]{0,4}\d{10,}(?!\d)")),
    ("<电话>", re.compile(r"(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)")),
    # Anything left: ten or more digits, possibly split by single spaces or dashes.
    ("<号码>", re.compile(r"(?<!\d)\d(?:[-\s]?\d){9,}(?!\d)")),
]
# (replacement, pattern), applied to every text after the number patterns.
TEXT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("<电话>", re.compile(rf"[{_CN_DIGIT}]{{8,}}")),
    # Messenger accounts after a cue ("微信 abc_123"); the cue is kept.
    (r"\1<账号>", re.compile(
        r"((?:微信号?|vx号?|wx号?|qq号?|旺旺号?)(?:[:：\s]|是)*)[A-Za-z0-9][A-Za-z0-9_-]{4,}",
        re.IGNORECASE,
    )),
    ("<地址>", re.compile(
        rf"(?:[{_CJK}]{{2,7}}(?:省|自治区))?[{_CJK}]{{2,7}}(?:市|州|盟)[{_CJK}]{{1,8}}?(?:区|县|旗|市)"
        rf"[{_CJK}\d]{{0,20}}?(?:路|街|道|巷|弄|里|村|镇|大道|小区|花园|公寓|大厦)"
        rf"(?:[\d一二三四五六七八九十百-]+(?:号|弄|栋|幢|单元|室|楼|层))*"
    )),
    ("<地址>", re.compile(
        rf"[{_CJK}]{{2,10}}(?:路|街|巷|大道)\s*\d+\s*号(?:[\d-]+(?:栋|幢|单元|室|楼|层))*"
    )),
    # Names only after a cue word ("收件人张三"); the cue is kept.
    (r"\1<姓名>", re.compile(
        rf"((?:收件人|收货人|联系人|签收人|寄件人|我叫|姓名|名字叫|名字是)\s*[:：是]?\s*)"
        rf"[{_CJK}]{{2,3}}?(?=电话|手机|联系|地址|的|[^{_CJK}]|$)"
    )),
    (r"\1", re.compile(r"(<地址>)(?:\s*<地址>)+")),
]
PATTERNS = NUMBER_PATTERNS + TEXT_PATTERNS
# Texts without any of these characters cannot hold a number, link or e-mail.
_NUMERIC = re.compile(r"[\d@.]")


def to_half_width(text: str) -> str:
    """Full-width digits, letters and @.-+_ → half-width; Chinese punctuation is kept."""
    return text.translate(_HALF_WIDTH)


def mask_text(text: str) -> str:
    """Return `text` with personal data replaced by placeholders.

    Examples
    --------
    >>> mask_text("手机13812345678，订单号 2023110112345678")
    '手机<手机号>，订单号 <订单号>'
    """
    text = to_half_width(text)
    if _NUMERIC.search(text):
        for replacement, pattern in NUMBER_PATTERNS:
            text = pattern.sub(replacement, text)
    for replacement, pattern in TEXT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def mask_series(texts: pd.Series) -> pd.Series:
    """Vectorised `mask_text` for a column of texts (same result, row by row)."""
    out = texts.astype(str).str.translate(_HALF_WIDTH)
    numeric = out.str.contains(_NUMERIC, regex=True)
    if numeric.any():
        part = out[numeric]
        for replacement, pattern in NUMBER_PATTERNS:
            part = part.str.replace(pattern, replacement, regex=True)
        out = out.where(~numeric, part)
    for replacement, pattern in TEXT_PATTERNS:
        out = out.str.replace(pattern, replacement, regex=True)
    return out
