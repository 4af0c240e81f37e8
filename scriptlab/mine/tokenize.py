"""Tokens for TF-IDF: jieba words (with a shop's user dictionary and synonyms) plus
character n-grams, which survive typos and segmentation mistakes.

Shared by mining (grouping), scoring (answer similarity) and anything else that
compares Chinese texts, so all stages agree on what "similar" means.

Synonyms are applied to the text itself before tokenising (``啥时候`` → ``什么时候``), so
words and character n-grams agree. A synonym table maps each variant to its canonical
form; `parse_synonyms` reads the shop-editable format, one group per line::

    包邮=免运费,不要运费,免邮
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from scriptlab.errors import ScriptlabError

_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?|<[^<>]{1,6}>")
_CORE = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?")
STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 嘛 哦 哈 啦 哟 是 我 你 我们 你们 这 那 这个 那个 一下 一个 就 都 "
    "还 也 和 跟 在 有 请问 亲 请 能 会 要 想 给 把 被 让 哪 下 个 吗 您 他 她 它".split()
)

# Everyday variants in customer chat, written canonical=variant,variant. A shop adds its
# own in the workspace (see `scriptlab.mine.vocabulary`).
BUILTIN_SYNONYMS_TEXT = """
什么时候=啥时候,甚么时候,几时,何时,什么时间,啥时间
什么=啥,甚么,神马,什麽
怎么=咋,如何,怎样
怎么样=咋样,怎样样
为什么=为啥,为何
有没有=有木有,有无,有没
能不能=能否,可否,可不可以,可以不可以
是不是=是否
多久=多长时间,多少天,几天
快递=物流
包邮=免运费,免邮,免邮费,不要运费
发货=发出,寄出
优惠券=优惠卷,优惠劵
尺码=码数
退款=退钱
"""


def parse_synonyms(text: str, source: str = "synonyms") -> dict[str, str]:
    """Read ``canonical=variant,variant`` lines into a variant → canonical table.

    Blank lines and lines starting with ``#`` are ignored; ``，`` and ``、`` also separate.
    """
    table: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        canonical, sep, rest = line.replace("＝", "=").partition("=")
        canonical = canonical.strip()
        variants = [v.strip() for v in re.split(r"[,，、]", rest) if v.strip()]
        if not sep or not canonical or not variants:
            raise ScriptlabError(
                f"{source} line {number}: '{line}' should look like 包邮=免运费,不要运费 "
                "(the word to use, '=', then its variants separated by commas)."
            )
        for variant in variants:
            if variant != canonical:
                table[variant] = canonical
    return table


BUILTIN_SYNONYMS: dict[str, str] = parse_synonyms(BUILTIN_SYNONYMS_TEXT, "built-in synonyms")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def load_user_dictionary(path: Path) -> None:
    """Teach jieba a shop's own words (one word per line, jieba's ``word [freq] [tag]``)."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptlabError(
            f"{path}: cannot read the user dictionary ({exc}). Save it as UTF-8 text, one "
            "word per line."
        ) from exc
    add_words(line.split()[0] for line in lines if line.strip() and not line.startswith("#"))


def add_words(new_words: Iterable[str]) -> None:
    """Add words to jieba's dictionary (for this process), so they are never split."""
    jieba = _jieba()
    for word in new_words:
        jieba.add_word(word)


class _SynonymPattern:
    """One compiled alternation of all variants, longest first (so 啥时候 beats 啥)."""

    def __init__(self, synonyms: Mapping[str, str]) -> None:
        self.synonyms = synonyms  # keeps id(synonyms) from being reused while cached
        table = dict(synonyms)
        for canonical in set(table.values()):
            table.setdefault(canonical, canonical)  # "没有" must not become "没有有"
        self.table = table
        add_words(w for w in table if len(w) > 1)  # segmented whole, so words agree
        words = sorted(table, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def apply(self, text: str) -> str:
        if self.pattern is None:
            return text
        table = self.table
        return self.pattern.sub(lambda m: table[m.group()], text)


_PATTERNS: dict[int, _SynonymPattern] = {}


def apply_synonyms(text: str, synonyms: Mapping[str, str] | None) -> str:
    """Replace every variant in `text` by its canonical form (longest match first)."""
    if not synonyms:
        return text
    compiled = _PATTERNS.get(id(synonyms))
    if compiled is None or compiled.synonyms is not synonyms:
        if len(_PATTERNS) > 32:
            _PATTERNS.clear()
        compiled = _PATTERNS[id(synonyms)] = _SynonymPattern(synonyms)
    return compiled.apply(text)


def words(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """jieba words of `text` (already normalised), synonyms mapped to their canonical form.

    Placeholders such as ``<订单号>`` stay one word; stop words are dropped.
    """
    text = apply_synonyms(text, synonyms)
    out: list[str] = []
    lcut = _jieba().lcut
    for piece in _WORD.findall(text):
        if piece.startswith("<") or not ("\u4e00" <= piece[0] <= "\u9fff"):
            out.append(piece)
        else:
            out.extend(lcut(piece, HMM=True))
    return [w for w in out if w not in STOPWORDS]


def char_ngrams(text: str, n_values: Iterable[int] = (1, 2, 3)) -> list[str]:
    """Character n-grams within each run of CJK or Latin/digits.

    Punctuation, spaces and placeholders (``<订单号>``) separate runs: no n-gram spans them.
    """
    n_values = tuple(n_values)
    grams: list[str] = []
    for core in _CORE.findall(text):
        for n in n_values:
            grams.extend(core[i : i + n] for i in range(len(core) - n + 1))
    return grams


# Words that make a sentence a question but say nothing about *what* is asked. Grouping
# keeps them as weak ``q:`` features: "怎么退货" and "可以退货吗" ask about the same thing.
QUESTION_WORDS = frozenset(
    "什么时候 什么 怎么 怎么样 怎样 如何 为什么 多少 多久 几 哪 哪里 哪儿 哪个 是否 "
    "能 可以 可 会 能够 有没有 是不是 能不能 有 没 没有 不 要 想 需要 吗 呢 吧 么 嘛 "
    "我要 我想 想要 怎么弄 怎么办 怎么搞 怎么处理 咋办".split()
)
# Words dropped from question features altogether (pronouns, particles, fillers).
FILLER_WORDS = STOPWORDS | frozenset(
    "您 他 她 它 咱 咱们 这边 那边 这样 那样 一 一点 点 大概 一般 现在 已经 再 又 呗 哈哈 "
    "帮 帮我 帮忙 麻烦 问 问问 下 请 亲 亲亲 宝 宝贝 东西 就是 然后 那么 这么 还是 嗯 哦 啊".split()
)
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1|可不可以")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def question_terms(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Features for comparing *questions*: what is asked, not how it is asked.

    Synonyms first; A-not-A questions are folded (包不包邮 → 包邮, 能不能 → 能); then
    content words (``w:``), character 2/3-grams within runs of content words (``c:``;
    a single-character run gives its character), and question words as ``q:`` features,
    which callers should weight down. Fillers and bare numbers are dropped.

    Examples
    --------
    >>> question_terms("可以退货吗")
    ['w:退货', 'q:可以', 'c:退货']
    """
    text = _A_NOT_A.sub(lambda m: m.group(1) or "可以", apply_synonyms(text, synonyms))
    content: list[str] = []
    question: list[str] = []
    runs: list[str] = []
    run = ""
    lcut = _jieba().lcut
    for piece in _WORD.findall(text):
        pieces = [piece] if not ("\u4e00" <= piece[0] <= "\u9fff") else lcut(piece, HMM=True)
        for word in pieces:
            if word in QUESTION_WORDS or word in FILLER_WORDS or _NUMBER.fullmatch(word):
                if word in QUESTION_WORDS:
                    question.append(word)
                runs.append(run)
                run = ""
            elif word.startswith("<"):  # placeholders: a weak hint (an order is meant)
                question.append(word)
                runs.append(run)
                run = ""
            else:
                content.append(word)
                run += word
        runs.append(run)
        run = ""
    grams = [g for r in runs if r for g in (char_ngrams(r, (2, 3)) if len(r) > 1 else [r])]
    return [f"w:{w}" for w in content] + [f"q:{w}" for w in question] + [f"c:{g}" for g in grams]


def analyzer(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Words (prefixed ``w:``) plus char 2/3-grams (prefixed ``c:``), for TfidfVectorizer."""
    text = apply_synonyms(text, synonyms)
    return [f"w:{w}" for w in words(text)] + [f"c:{g}" for g in char_ngrams(text, (2, 3))]
