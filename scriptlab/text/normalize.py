"""Normalise customer text so paraphrases look alike, and tidy it for display.

`normalize_text` is what grouping compares: full-width → half-width (NFKC), traditional →
simplified (OpenCC), Latin lower-cased, emoji and decoration removed, repeated punctuation
collapsed, and small talk dropped: a message that is only greetings or acknowledgements
(在吗, 亲, 你好, 好的, 谢谢 …) becomes ``""``, and greetings in front of a question or thanks
after it are stripped ("亲，在吗？这个什么时候发货" → "这个什么时候发货").

`readable` is what people see: the customer's own wording (script, case and Chinese
punctuation kept), minus emoji and the same leading greetings and trailing thanks.

Placeholders from masking (``<手机号>``) pass through both untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from scriptlab.lexicon import load

_SMALL_TALK = load("small_talk")
# Greetings and openers, and pinging the agent: a whole message of these is small talk; in
# front of a question they are stripped (scriptlab/lexicon/small_talk.toml, shared with lookup).
GREETINGS: tuple[str, ...] = (*_SMALL_TALK["greetings"], *_SMALL_TALK["mining"]["pings"])
# Ways to address the shop: stripped in front only when a separator or greeting follows
# ("老板，这个…"), since they also start ordinary words (客服电话, 老板娘).
ADDRESS_TERMS: tuple[str, ...] = tuple(_SMALL_TALK["address"])
ACKNOWLEDGEMENTS: tuple[str, ...] = tuple(_SMALL_TALK["mining"]["acknowledgements"])
# Thanks after a question ("…什么时候发货，谢谢") carry no meaning for grouping.
TRAILING_THANKS: tuple[str, ...] = tuple(_SMALL_TALK["trailing_thanks"])
# Soft particles allowed around small talk ("好的呢", "在吗亲").
_SOFT: tuple[str, ...] = tuple(_SMALL_TALK["mining"]["soft"])

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u200d\ufe0f\u2b50\u2b55"
    "\u2764\u203c\u2049\u3030\u303d\u20e3]+"
)
_BRACKET_EMOTE = re.compile(r"\[[^\[\]<>]{1,6}\]|/:[a-z]{1,10}")  # Taobao [微笑], QQ /:strong
_SPACES = re.compile(r"\s+")
# A number or address the customer attaches ("订单号：<订单号>", "地址:<地址>"): it says which
# order, not what is asked, so grouping ignores it (the placeholder stays in the display).
_ATTACHMENT = re.compile(
    r"(?:(?:我的|的)?(?:订单编号|订单号码?|订单|单号|运单号|快递单号|物流单号|快递号|手机号码?|"
    r"电话号码?|电话|手机|联系方式|收货地址|新地址|地址|收件人|收货人|联系人|身份证号?|邮箱|"
    r"名字|姓名|我是|我叫|寄到|发到|送到|住在)\s*(?:是|为|写|改成|改为|:|：)?\s*)?<(?:订单号|运单号|号码|手机号|电话|地址|姓名|身份证号|邮箱)>"
    r"[\s,.;，。；]*"
)
_PUNCT = "?!.,~。，！？、…;；:：\"'“”‘’()（）【】[]《》·-—_=+*#^`|\\/"
_SEP = "[\\s" + re.escape(_PUNCT) + "]"
_REPEAT_PUNCT = re.compile(r"([" + re.escape(_PUNCT) + r"])\1+")
_SEP_NOT_QUESTION = "[\\s" + re.escape(_PUNCT.replace("?", "").replace("？", "")) + "]"
_EDGE_PUNCT = re.compile(rf"^{_SEP}+|{_SEP_NOT_QUESTION}+$")
# "亲" starts words too (亲子装, 亲测); strip it only when no such word follows.
_QIN = "亲(?![" + "".join(w[1:] for w in _SMALL_TALK["keep_leading"] if w[0] == "亲") + "])"


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_GREETING = _alternation(GREETINGS)
_PREFIX = re.compile(
    rf"^(?:{_SEP}*(?:(?:{_GREETING})(?![a-z])|{_QIN}|(?:{_alternation(ADDRESS_TERMS)})"
    rf"(?={_SEP}|{_GREETING}|{_QIN}))(?:{_alternation(_SOFT)})?)+{_SEP}*",
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    rf"(?:{_SEP_NOT_QUESTION}*(?:{_alternation(TRAILING_THANKS)})(?:{_QIN}|{_alternation(_SOFT)})*)+"
    rf"{_SEP}*$",
    re.IGNORECASE,
)
_ONLY_SMALL_TALK = re.compile(
    rf"^(?:{_SEP}*(?:{_alternation(GREETINGS + ADDRESS_TERMS + ACKNOWLEDGEMENTS + _SOFT)}))*"
    rf"{_SEP}*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s)."""
    return _t2s().convert(text)


def clean(text: str) -> str:
    """Width, script, case, emoji and punctuation clean-up, keeping the whole message."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    text = _BRACKET_EMOTE.sub(" ", _EMOJI.sub(" ", text))
    text = _REPEAT_PUNCT.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def strip_small_talk(text: str) -> str:
    """Drop leading greetings and trailing thanks; pure small talk → ``""``.

    Examples
    --------
    >>> strip_small_talk("亲,在吗?这个什么时候发货")
    '这个什么时候发货'
    >>> strip_small_talk("好的谢谢")
    ''
    """
    if _ONLY_SMALL_TALK.match(text):
        return ""
    core = _SUFFIX.sub("", _PREFIX.sub("", text))
    return _EDGE_PUNCT.sub("", core) if core.strip() else ""


def strip_attachments(text: str) -> str:
    """Remove attached order numbers, phones, addresses ("订单号:<订单号>") from `text`."""
    return _ATTACHMENT.sub(" ", text).strip()


def normalize_text(text: str) -> str:
    """Full normalisation used before question detection and grouping.

    Examples
    --------
    >>> normalize_text("亲，在嗎？訂單號：<订单号> 什麼時候發貨！！")
    '什么时候发货'
    """
    return strip_small_talk(strip_attachments(clean(text)))


def readable(text: str) -> str:
    """The customer's wording for display: emoji and leading small talk gone, else as typed.

    Examples
    --------
    >>> readable("亲，在吗？这个什么时候发货😊")
    '这个什么时候发货'
    """
    text = _BRACKET_EMOTE.sub(" ", _EMOJI.sub(" ", text))
    text = _SPACES.sub(" ", _REPEAT_PUNCT.sub(r"\1", text)).strip()
    return strip_small_talk(text)


def normalize_series(texts: pd.Series) -> pd.Series:
    """`normalize_text` for a column of texts."""
    return pd.Series([normalize_text(t) for t in texts], index=texts.index, dtype=object)


def readable_series(texts: pd.Series) -> pd.Series:
    """`readable` for a column of texts."""
    return pd.Series([readable(t) for t in texts], index=texts.index, dtype=object)
