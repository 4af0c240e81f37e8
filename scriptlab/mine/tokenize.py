"""Tokens for TF-IDF: jieba words (with a shop's user dictionary and synonyms) plus
character n-grams, which survive typos and segmentation mistakes.

Shared by mining (grouping), scoring (answer similarity) and anything else that
compares Chinese texts, so all stages agree on what "similar" means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?|<[^<>]{1,6}>")
STOPWORDS = frozenset(
    ["的", "了", "吗", "呢", "吧", "啊", "呀", "么", "嘛", "哦", "哈", "啦", "哟", "是", "我", "你", "我们", "你们", "这", "那", "这个", "那个", "一下", "一个", "就", "都", "还", "也", "和", "跟", "在", "有", "请问", "亲", "请", "能", "会", "要", "想", "给", "把", "被", "让", "哪", "下", "个", "吗"]
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def load_user_dictionary(path: Path) -> None:
    """Teach jieba a shop's own words (one word per line, jieba's dict format)."""
    _jieba().load_userdict(str(path))


def words(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """jieba words of `text` (already normalised), synonyms mapped to their canonical form."""
    out: list[str] = []
    for piece in _WORD.findall(text):
        if piece.startswith("<") or not ("\u4e00" <= piece[0] <= "\u9fff"):
            out.append(piece)
            continue
        out.extend(_jieba().lcut(piece, HMM=True))
    if synonyms:
        out = [synonyms.get(w, w) for w in out]
    return [w for w in out if w not in STOPWORDS]


def char_ngrams(text: str, n_values: Iterable[int] = (1, 2, 3)) -> list[str]:
    """Character n-grams of the CJK/alnum content (punctuation and spaces dropped)."""
    core = "".join(_WORD.findall(text))
    grams: list[str] = []
    for n in n_values:
        grams.extend(core[i : i + n] for i in range(max(len(core) - n + 1, 0)))
    return grams


def analyzer(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Words (prefixed ``w:``) plus char 2/3-grams (prefixed ``c:``), for TfidfVectorizer."""
    return [f"w:{w}" for w in words(text, synonyms)] + [
        f"c:{g}" for g in char_ngrams(text, (2, 3))
    ]
