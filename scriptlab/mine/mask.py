"""Mask personal data in free text before it is stored, printed or reported.

Phone numbers, order and tracking numbers, ID-card numbers, e-mail addresses, street
addresses and names after cue words become placeholders such as ``<手机号>``. The
patterns are ordered from most to least specific so a long ID number is not half-taken
by the phone pattern. Masking is lossy by design: the original is never kept.
"""

from __future__ import annotations

import re

import pandas as pd

_CJK = r"\u4e00-\u9fff"

# (placeholder, pattern), applied in order.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("<邮箱>", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("<身份证号>", re.compile(r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![\dA-Za-z])")),
    ("<手机号>", re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)")),
    ("<运单号>", re.compile(r"(?<![A-Za-z\d])(?:SF|YT|ZTO|STO|YD|JD|JT|EMS|DPK|YZ)\d{9,20}(?!\d)",
                         re.IGNORECASE)),
    ("<订单号>", re.compile(r"(?<![\dA-Za-z])\d{10,25}(?![\dA-Za-z])")),
    ("<电话>", re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")),
    ("<地址>", re.compile(
        rf"(?:[{_CJK}]{{2,7}}(?:省|自治区))?[{_CJK}]{{2,7}}(?:市|州|盟)[{_CJK}]{{1,8}}?(?:区|县|旗|市)"
        rf"[{_CJK}\d]{{0,20}}?(?:路|街|道|巷|弄|里|村|镇|大道|小区|花园|公寓|大厦)"
        rf"(?:[\d一二三四五六七八九十百-]+(?:号|弄|栋|幢|单元|室|楼|层))*"
    )),
    ("<地址>", re.compile(
        rf"[{_CJK}]{{2,10}}(?:路|街|巷|大道)\s*\d+\s*号(?:[\d-]+(?:栋|幢|单元|室|楼|层))*"
    )),
]
# Names are masked only after a cue word ("收件人张三"); the cue is kept.
NAME_CUE = re.compile(
    rf"((?:收件人|收货人|联系人|签收人|寄件人|我叫|姓名|名字叫|名字是)\s*[:：是]?\s*)[{_CJK}]{{2,3}}?(?=电话|手机|联系|地址|的|[^{_CJK}]|$)"
)
_REPEATS = re.compile(r"(<地址>)(?:\s*<地址>)+")


def mask_text(text: str) -> str:
    """Return `text` with personal data replaced by placeholders."""
    for placeholder, pattern in PATTERNS:
        text = pattern.sub(placeholder, text)
    return _REPEATS.sub(r"\1", NAME_CUE.sub(r"\1<姓名>", text))


def mask_series(texts: pd.Series) -> pd.Series:
    """Vectorised `mask_text` for a column of texts."""
    out = texts.astype(str)
    for placeholder, pattern in PATTERNS:
        out = out.str.replace(pattern, placeholder, regex=True)
    out = out.str.replace(NAME_CUE, r"\1<姓名>", regex=True)
    return out.str.replace(_REPEATS, r"\1", regex=True)
