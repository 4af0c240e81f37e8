"""Tokens for TF-IDF: jieba words (with a shop's user dictionary and synonyms) plus
character n-grams, which survive typos and segmentation mistakes.

Shared by mining (grouping), scoring (answer similarity) and anything else that
compares Chinese texts, so all stages agree on what "similar" means.

Synonyms are applied to the text itself before tokenising (``啥时候`` → ``什么时候``), so
words and character n-grams agree. Question features (`question_terms`) also map the general
e-commerce thesaurus (`scriptlab.text.thesaurus`: 邮费 / 快递费 → 运费) onto whole words,
after the shop's synonyms, so a shop's own mapping always comes first.

A synonym table maps each variant to its canonical form; `parse_synonyms` reads the
shop-editable format, one group per line::

    包邮=免运费,不要运费,免邮
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from scriptlab.errors import ScriptlabError
from scriptlab.lexicon import load


def _split(text: str) -> frozenset[str]:
    """A word set written as one space-separated string (easier to read and edit)."""
    return frozenset(text.split())


_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?|<[^<>]{1,6}>")
_CORE = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?")
STOPWORDS = _split(
    "的 了 吗 呢 吧 啊 呀 么 嘛 哦 哈 啦 哟 是 我 你 我们 你们 这 那 这个 那个 一下 一个 就 都 "
    "还 也 和 跟 在 有 请问 亲 请 能 会 要 想 给 把 被 让 哪 下 个 吗 您 他 她 它"
)

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


def _everyday_synonyms() -> dict[str, str]:
    """The thesaurus's everyday variants (`everyday` in scriptlab/lexicon/thesaurus.toml) as a
    variant → canonical table; a shop's own synonyms.txt goes on top (`scriptlab.text.vocabulary`).
    A one-character variant (发, 拍) only replaces a whole word: 发 → 发货, but 发票 stays 发票."""
    table: dict[str, str] = {}
    for canonical, *variants in load("thesaurus")["everyday"]:
        for variant in variants:
            if variant != canonical:
                table[variant] = canonical
    return table


BUILTIN_SYNONYMS: dict[str, str] = _everyday_synonyms()


# Online-shop words jieba's general dictionary lacks or splits (退货运费险 → 退/货运费/险).
BUILTIN_WORDS = _split(
    "运费险 退货运费险 七天无理由 无理由退货 退换货 价保 保价 满减 花呗 分期 免息 包邮 顺丰 中通 "
    "韵达 圆通 申通 极兔 邮政 京东快递 补差价 差价 拼单 预售 定金 尾款 退货地址 发票抬头 "
    "电子发票 专票 普票 好评返现 返现 优惠券 店铺券 购物金 会员价 色差 起球 掉色 缩水 尺码表 "
    "码数 偏大 偏小 正码 加绒 加厚 面料 纯棉 瑕疵 漏发 少发 错发 破损 拒收 签收 催单 改地址 "
    "发错 拍错 选错 写错 填错 寄错 修改地址 收货地址 运单号 快递单号 物流信息 到账 退款 退货 "
    "换货 补发 赠品 小样 客服电话 售后电话 质保 保修 实体店 货到付款 批发 定制 刻字 礼盒 "
    "包装袋 贺卡"
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    for word in BUILTIN_WORDS:
        jieba.add_word(word)
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
        # One-character variants (发=发货) only replace whole words, never inside 发票.
        table = {v: c for v, c in synonyms.items() if len(v) > 1}
        for canonical in set(synonyms.values()):
            table.setdefault(canonical, canonical)  # "没有" must not become "没有有"
        self.table = table
        add_words(w for w in [*synonyms, *table] if len(w) > 1)  # segmented whole
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
    if synonyms:
        out = [synonyms.get(w, w) for w in out]
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
QUESTION_WORDS = _split(
    "什么时候 什么 怎么 怎么样 怎样 如何 为什么 多少 多久 几 哪 哪里 哪儿 哪个 哪天 是否 "
    "能 可以 可 会 能够 有没有 是不是 能不能 有 要 想 需要 吗 呢 吧 么 嘛 "
    "我要 我想 想要 怎么弄 怎么办 怎么搞 怎么处理 咋办 哪儿 哪些 多大 多长 多重"
)
# Negations are content: "一直不动" (stuck) is not "动了吗", "没收到" is not "收到".
NEGATIONS = _split("不 没 没有 未 别")
# Words dropped from question features altogether (pronouns, particles, fillers).
FILLER_WORDS = STOPWORDS | _split(
    "您 他 她 它 咱 咱们 这边 那边 这样 那样 一 一点 点 大概 一般 现在 已经 再 又 呗 哈哈 "
    "帮 帮我 帮忙 麻烦 问 问问 下 请 亲 亲亲 宝 宝贝 东西 就是 然后 那么 这么 还是 嗯 哦 啊"
)
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1|可不可以")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# "这件 / 那条 / 这款 …": a demonstrative with an item classifier points at a product, and
# the noun after it names the product ("这件毛衣"), not the question. (个 is left out: it
# also points at plain nouns, as in 这个尺码.)
_POINTER = re.compile(
    r"[这那](?:一)?(?:件|条|款|双|套|只|台|瓶|盒|顶|支|张|把|副|对|袋|箱|罐|本|份|辆|部)"
)
_POINTER_TOKEN = "<指>"
# jieba tags of words that frame a question (今天, 之后, 一般, 还, 哪, 在, 和, 几个):
# time, locality, numeral, adverb, pronoun, preposition, conjunction, classifier.
_FUNCTION_TAGS = frozenset("tfmdrpcq")
_NOT_NOUN = ("r", "v", "a", "d", "c", "p", "u", "y", "m", "q", "e", "o", "f", "t", "z")


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tags (word → tag), for telling nouns apart."""
    _jieba()
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def _is_function_word(word: str) -> bool:
    """Time words, adverbs, pronouns, numerals, prepositions … (jieba's dictionary tags)."""
    tag = _word_tags().get(word)
    return tag is not None and tag[0] in _FUNCTION_TAGS


def _is_product_noun(word: str) -> bool:
    tag = _word_tags().get(word)
    return tag is None or not tag.startswith(_NOT_NOUN)


# How many jieba words a thesaurus term may span (怎么/还/没/发 is one term: 加急).
THESAURUS_SPAN = 6


@lru_cache(maxsize=1)
def _thesaurus_table() -> dict[str, str]:
    """Thesaurus term → the name of its topic, or "" for terms left as they are.

    Left as they are: one-character terms (换 in 换地址 is no exchange, 退 is not always a
    return), terms of several topics (尺寸: clothing size or dimension) and the thesaurus's
    protected words (多少 is not 少). Listing them still matters: a longer term is matched
    whole, so nothing inside it is rewritten.
    """
    from scriptlab.text.thesaurus import thesaurus

    return {term: names[0] if len(names) == 1 and len(term) > 1 else ""
            for term, names in thesaurus().items()}


def apply_thesaurus(pieces: list[str]) -> list[str]:
    """Replace thesaurus terms by their topic's name (`scriptlab.text.thesaurus`).

    Matches whole jieba words only, longest run of consecutive words first (up to
    `THESAURUS_SPAN`), so a term is never read across a word boundary (需要多久 does not hold
    要多久). Everyday variants with no shared characters then meet: 邮费 and 快递费 both
    become 运费, 寄出 and 发出 become 发货, fahuo (pinyin) becomes 发货.

    Examples
    --------
    >>> apply_thesaurus(["快递费", "谁", "出"])
    ['运费', '谁出']
    """
    table = _thesaurus_table()
    out: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + THESAURUS_SPAN), i, -1):
            term = "".join(pieces[i:j]) if j > i + 1 else pieces[i]
            name = table.get(term)
            if name is not None:
                out.extend([name] if name else pieces[i:j])
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return out


def question_terms(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Features for comparing *questions*: what is asked, not how it is asked.

    A-not-A questions are folded (包不包邮 → 包邮, 能不能 → 能), the shop's synonyms applied,
    then thesaurus terms replaced by their topic (`apply_thesaurus`: 邮费 → 运费). Then:

    - ``w:`` content words, and ``c:`` character 2/3-grams within runs of content words (a
      one-character run gives that character);
    - ``q:`` question words (怎么, 可以, 吗 …), placeholders (<订单号>) and ``p:`` the
      product named after 这件/那条/这款 (这件毛衣 → ``p:毛衣``): they tell how and about
      which item something is asked, and callers should weight them down.

    Fillers (我, 的, 帮忙 …) and bare numbers are dropped; a Latin word (size, xl) is one
    ``w:`` feature, never cut into letter n-grams.

    Examples
    --------
    >>> question_terms("这件毛衣可以退货吗")
    ['w:退货', 'q:可以', 'q:吗', 'p:毛衣', 'c:退', 'c:货', 'c:退货']
    """
    # A-not-A first: 免不免运费 → 免运费 (a synonym) before the synonyms are applied.
    text = apply_synonyms(_A_NOT_A.sub(lambda m: m.group(1) or "可以", text), synonyms)
    text = _POINTER.sub(_POINTER_TOKEN, text)
    content: list[str] = []
    weak: list[str] = []
    products: list[str] = []
    runs: list[str] = []
    run = ""
    product = ""  # the item being named after 这件/那条 …, "" when not after one
    after_pointer = False
    lcut = _jieba().lcut
    for piece in _WORD.findall(text):
        # No HMM: unknown words stay single characters (the n-grams join them again) instead
        # of being glued to a neighbour ("能发", "哪天能").
        pieces = [piece] if not ("\u4e00" <= piece[0] <= "\u9fff") else lcut(piece, HMM=False)
        if synonyms:
            pieces = [synonyms.get(word, word) for word in pieces]
        for word in apply_thesaurus(pieces):
            if after_pointer and _continues_product(word, product):
                product += word
                continue
            if product:
                products.append(product)
                product = ""
            after_pointer = False
            if word == _POINTER_TOKEN:
                after_pointer = True
            elif word in QUESTION_WORDS or word.startswith("<"):
                weak.append(word)
            elif word in FILLER_WORDS or _NUMBER.fullmatch(word):
                pass
            elif _is_function_word(word) and word not in NEGATIONS:
                weak.append(word)
            elif not "\u4e00" <= word[0] <= "\u9fff":
                content.append(word)  # Latin (size, fahuo): a word, never letter n-grams
            else:
                content.append(word)
                run += word
                continue
            runs.append(run)
            run = ""
        runs.append(run)
        run = ""
    if product:
        products.append(product)
    grams = [g for r in runs if r for g in char_ngrams(r, (1, 2, 3))]
    return ([f"w:{w}" for w in content] + [f"q:{w}" for w in weak]
            + [f"p:{w}" for w in products] + [f"c:{g}" for g in grams])


def _continues_product(word: str, product: str) -> bool:
    """Whether `word` is (part of) the item named after a pointer (这件 卫衣 / 这款 t 恤)."""
    if word in QUESTION_WORDS or word in FILLER_WORDS or _is_function_word(word):
        return False
    if word.startswith("<") or _NUMBER.fullmatch(word):
        return False
    if not product:
        return _is_product_noun(word)
    # Unknown names come as single characters or Latin letters: join up to 4 characters.
    single = len(word) == 1 or not ("\u4e00" <= word[0] <= "\u9fff")
    return single and len(product) < 4 and (len(product) == 1 or not (
        "\u4e00" <= product[0] <= "\u9fff") or len(product) < 2)


def analyzer(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Words (prefixed ``w:``) plus char 2/3-grams (prefixed ``c:``), for TfidfVectorizer."""
    text = apply_synonyms(text, synonyms)
    return [f"w:{w}" for w in words(text)] + [f"c:{g}" for g in char_ngrams(text, (2, 3))]
