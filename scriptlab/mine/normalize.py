"""Normalise customer text so paraphrases look alike.

Full-width → half-width (NFKC), traditional → simplified (OpenCC), Latin lower-cased,
emoji and decoration removed, repeated punctuation collapsed, and greetings or
acknowledgements (在吗, 亲, 你好 …) stripped from the front. A message that is nothing
but a greeting normalises to the empty string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Whole-message small talk; also stripped as a leading prefix.
GREETINGS = (
    "在吗", "在不在", "在么", "在嘛", "有人吗", "有人在吗", "客服在吗", "客服在不在", "客服",
    "亲亲", "亲爱的", "亲", "你好", "您好", "你们好", "哈喽", "hello", "hi", "嗨", "老板",
    "掌柜", "店家", "美女", "小姐姐", "小哥哥", "请问一下", "请问", "问一下", "问下", "打扰了",
    "打扰一下", "麻烦问下", "麻烦问一下", "麻烦",
)
ACKNOWLEDGEMENTS = (
    "好的", "好滴", "好哒", "好", "谢谢", "谢谢你", "谢谢亲", "多谢", "感谢", "ok", "okay",
    "嗯", "嗯嗯", "哦", "哦哦", "噢", "恩", "恩恩", "收到", "知道了", "明白了", "行", "可以",
    "好吧", "好的谢谢", "好的呢", "了解", "没问题", "拜拜", "再见",
)

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u200d\ufe0f\u2b50\u2b55"
    "\u2764\u203c\u2049\u3030\u303d]+"
)
_BRACKET_EMOTE = re.compile(r"\[[^\[\]]{1,6}\]")  # Taobao-style [微笑] [抱拳]
_SPACES = re.compile(r"\s+")
_REPEAT_PUNCT = re.compile(r"([?!.,~。，！？、…\-])\1+")
_PUNCT = "?!.,~。，！？、…;；:：\"'“”‘’()（）【】[]《》<>"
_LEADING = re.compile(r"^[\s" + re.escape(_PUNCT) + r"]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _prefix_pattern() -> re.Pattern[str]:
    words = sorted(GREETINGS + ("亲", "哈", "呀", "啊"), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^(?:(?:{alternatives})[\s{re.escape(_PUNCT)}]*)+")


_PREFIX = _prefix_pattern()
_SMALL_TALK = frozenset(GREETINGS + ACKNOWLEDGEMENTS)


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
    """Drop leading greetings ("亲，在吗？这个…" → "这个…"); pure small talk → ""."""
    core = text.strip(" " + _PUNCT)
    if core in _SMALL_TALK or not core:
        return ""
    stripped = _LEADING.sub("", _PREFIX.sub("", text))
    return stripped if stripped.strip(" " + _PUNCT) else ""


def normalize_text(text: str) -> str:
    """Full normalisation used before question detection and grouping."""
    return strip_small_talk(clean(text))
