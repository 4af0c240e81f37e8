"""Mask personal data in free text before it is stored, printed or reported.

Links, e-mail addresses, ID-card, phone, tracking and order numbers, messenger accounts,
postal addresses and names after cue words become placeholders such as ``<手机号>``.
Full-width digits and letters are made half-width first, so ``１３８…`` is caught like
``138…``; address and cue words match in simplified and traditional script (the
traditional forms are derived with OpenCC). The patterns run from most to least specific
(a long ID number is not half-taken by the phone pattern), and a final catch-all masks any
run of ten or more digits, even split by spaces or dashes, so no long number survives in
any form. Masking is lossy by design: the original is never kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas only for mask_series; lookup's --json echo masks without it
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


@lru_cache(maxsize=1)
def _converters() -> tuple:
    import opencc

    return tuple(opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk"))


def _variants(words: str) -> list[str]:
    """`words` ("a|b|c") in simplified plus every traditional spelling of each."""
    out: dict[str, None] = {}
    for word in words.split("|"):
        out[word] = None
        for converter in _converters():
            out[converter.convert(word)] = None
    return sorted(out, key=len, reverse=True)


def _alt(words: str) -> str:
    return "|".join(re.escape(w) for w in _variants(words))


def _chars(chars: str) -> str:
    return "".join(dict.fromkeys("".join(_variants("|".join(chars)))))


_PROVINCE = _alt(
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE_SUFFIX = _alt("省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区")
_CITY = _alt("市|州|盟|地区")
_DISTRICT = f"[{_chars('区县旗市镇')}]"
_STREET = _alt("大道|路|街|道|巷|弄|胡同|村|里")
_ESTATE = _alt("小区|花园|公寓|大厦|苑|园|区|村|广场|中心|大楼|城|府|家园|社区|新村")
_UNIT = _alt("号楼|号院|号|栋|幢|单元|室|楼|层|座|期|组团|区")
_NUM = r"[\d*#一二三四五六七八九十百零-]+"
# A postal address: [province] [city] district street [number] [estate] [building …].
_ADDRESS_BODY = (
    rf"(?:(?:{_PROVINCE})(?:{_PROVINCE_SUFFIX})?)?"
    rf"(?:[{_CJK}]{{2,4}}?(?:{_CITY}))?[{_CJK}]{{1,5}}?{_DISTRICT}"
    rf"[{_CJK}\d]{{0,12}}(?:{_STREET})(?:{_NUM}(?:{_UNIT}))?"
    rf"(?:[{_CJK}]{{0,8}}?(?:{_ESTATE}))?(?:{_NUM}(?:{_UNIT}))*\d*"
)
# Without a cue it must start at a province name or where a word can start, not inside
# "电话写错了…".
_ADDRESS = rf"(?:(?=(?:{_PROVINCE}))|(?<![{_CJK}])){_ADDRESS_BODY}"
_ADDRESS_CUE = _alt("收货地址|地址|寄到|发到|送到|邮到|改成|改为|住在")
_NAME_CUE = _alt(
    "收件人改成|收件人改为|收货人改成|收货人改为|收件人|收货人|联系人|签收人|寄件人|我叫|姓名|"
    "名字叫|名字是|名字写|名字改成|名字改为"
)
_PHONE_CUE = _alt("手机号码|手机号|手机|电话号码|电话|联系电话|联系方式|tel")
# Common surnames (the top ~150 cover most of China): a name after a weak cue ("我是",
# "本人", "实名") must start with one, so "我是新手" and "本人已收到。" stay as they are.
_SURNAME = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙"
    "鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫"
    "米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# Messenger and payment accounts, in the spellings customers use (威信, V信, 扣扣, 企鹅号 …).
_ACCOUNT_CUE = (
    r"(?:微信号?|威信|薇信|[Vv]信|vx号?|wx号?|wechat|微|q\s?q号?|扣扣|企鹅号?|球球|旺旺号?|"
    r"支付宝(?:账号|帐号|号)?|抖音号?|小红书号?)"
)
# Phone digit groups may be split by a space, dash, dot, slash, underscore or a dash-like.
_SEP = r"(?:\s*[-.\s/_—–]\s*)?"
_EN_STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Parkway|"
              r"Pkwy|Court|Ct|Place|Pl|Square|Sq|Terrace|Highway|Hwy)")

# (replacement, pattern), applied in order, to texts that hold a digit, "@" or ".".
NUMBER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("<链接>", re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+", re.IGNORECASE)),
    ("<邮箱>", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)),
    ("<身份证号>", re.compile(
        r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![\dA-Za-z])"
    )),
    ("<手机号>", re.compile(
        rf"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)"
    )),
    # Postal (UPU S10) tracking numbers: EMS EA123456789CN.
    ("<运单号>", re.compile(r"(?<![A-Za-z\d])[A-Z]{2}\d{9}[A-Z]{2}(?![A-Za-z\d])")),
    ("<运单号>", re.compile(
        r"(?<![A-Za-z\d])(?:SF|YT|ZTO|STO|YD|JD|JT|JDV|EMS|DPK|YZ|YUNDA)\s?\d{9,20}(?!\d)",
        re.IGNORECASE,
    )),
    # Order numbers, with or without a short letter prefix (E2023…, TB…).
    ("<订单号>", re.compile(r"(?<![A-Za-z\d])[A-Za-z]{0,4}\d{10,}(?!\d)")),
    ("<电话>", re.compile(
        r"(?<!\d)[(（]?0\d{2,3}[)）]?\s?[-\s]?(?:\d{4}[-\s]?\d{4}|\d{3}[-\s]?\d{4})(?!\d)"
    )),
    # North-American style: (415) 555-2671, +1 415-555-2671, 415.555.2671.
    ("<电话>", re.compile(
        r"(?<![\d\w])(?:\+?1[-.\s]?)?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?!\d)"
    )),
    # Any digits after a messenger cue ("扣扣 1234567", "企鹅号3456789").
    (r"\1<账号>", re.compile(rf"({_ACCOUNT_CUE}(?:[:：\s]|是|号)*)\d{{5,}}", re.IGNORECASE)),
    # Any digits after a phone cue ("手机号：1845623"), even cut short.
    (r"\1<手机号>", re.compile(
        rf"((?:{_PHONE_CUE})\s*(?:是|为|:|：)?\s*)\d[\d\s-]{{5,}}\d", re.IGNORECASE
    )),
    # Anything left: ten or more digits, possibly split by single spaces or dashes.
    ("<号码>", re.compile(r"(?<!\d)\d(?:[-\s]?\d){9,}(?!\d)")),
]
# (replacement, pattern), applied to every text after the number patterns.
TEXT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("<电话>", re.compile(rf"[{_CN_DIGIT}]{{8,}}")),
    # Messenger accounts after a cue ("微信 abc_123"); the cue is kept.
    (r"\1<账号>", re.compile(
        rf"({_ACCOUNT_CUE}(?:[:：\s]|是|号)*)[A-Za-z0-9][A-Za-z0-9_.-]{{4,}}", re.IGNORECASE,
    )),
    # English street addresses: 1600 Amphitheatre Parkway, 221B Baker Street.
    ("<地址>", re.compile(
        rf"(?<![\w])\d{{1,5}}[A-Z]?\s+(?:[A-Z][a-z]+\s+){{1,4}}{_EN_STREET}\b\.?"
    )),
    # English names after a cue: "my name is John Smith", "I'm Jane Doe", "Regards, Bob Lee".
    (r"\1<姓名>", re.compile(
        r"((?i:my name is|my name's|i am|i'm|this is|name\s*[:：]|regards,?|thanks,?|"
        r"best,?|sincerely,?|call me)\s+)[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}\b"
    )),
    # After a cue ("地址：", "寄到", "改成") the cue is kept and the address masked.
    (r"\1<地址>", re.compile(rf"((?:{_ADDRESS_CUE})\s*(?:是|为|為|:|：)?\s*){_ADDRESS_BODY}")),
    ("<地址>", re.compile(_ADDRESS)),
    # A cue followed by anything up to a house or room number.
    (r"\1<地址>", re.compile(
        rf"((?:{_ADDRESS_CUE})\s*(?:是|为|為|:|：)?\s*)"
        rf"[{_CJK}\w*#-]{{2,30}}?(?:{_UNIT}|村|组)(?:[\d*#-]+[{_CJK}]?)*"
    )),
    # Names only after a cue word ("收件人张三"); the cue is kept.
    (r"\1<姓名>", re.compile(
        rf"((?:{_NAME_CUE})\s*(?:[:：是为]|已?改成|已?改为)?\s*)"
        rf"[{_CJK}]{{2,3}}?(?={_alt('电话|手机|联系|地址|的')}|[哦呢吧啊呀哈嘛]|[^{_CJK}]|$)"
    )),
    # Weak cues ("我是张强", "备注我是陈小明", "本人陈奕迅", "实名周杰伦", "个人马化腾"): a
    # 2-3 character name starting with a common surname, closing the message or a clause.
    (r"\1<姓名>", re.compile(
        rf"((?:我是|本人|实名(?:是|为|认证)?|个人)[:：\s]*)[{_SURNAME}][{_CJK}]{{1,2}}"
        rf"(?=[^{_CJK}<]|[哦呢吧啊呀哈嘛]|$)"
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
