"""A thesaurus of Chinese e-commerce customer-service wording: groups of interchangeable terms.

Customers name the same thing many ways (运费 / 邮费 / 快递费, 漏发 / 少发 / 缺件), and a
script library only ever holds a few of them. Each group is a set of terms a
customer-service lead would treat as the same question; its first term is the group's
canonical name. Written from domain knowledge of how Taobao / JD / Pinduoduo / Douyin shop
chats go (pre-sale, logistics, after-sale, payment, and the product questions of clothing,
electronics, beauty, food, home, baby, pet, shoe and luggage, sports and outdoor, book and
stationery, jewellery, furniture and car-accessory shops), not from any shop's data, so it
applies to any shop; a shop adds its own groups (or words to a group) with the
``[library] synonyms`` setting of scriptlab.toml.

The groups are data (`scriptlab/lexicon/thesaurus.toml`, read once with `importlib.resources`);
this module adds two small functions and imports nothing beyond the standard library, so the
lookup path, the mining stage and the scoring stage can all share it. Terms are simplified
Chinese and lower case (texts are normalised that way before they are matched); common
pinyin-input slips (包油 for 包邮, 冲电 for 充电) and chat abbreviations (fh, sf, tk) are
listed like any other wording. A term may sit in several groups (尺寸 is both a clothing
size and a dimension; 坏了 is a broken device or spoilt food); matching takes the longest
term at each position, so 订单号 is never read as 订单 + 号, and `PROTECTED` lists words
that contain a term but mean something else (多少 is not 少, 立刻 is not 刻, 洗面奶 is no
laundry). Because the longest term wins, a term that joins two topics (什么时候发) is
listed in both groups, or the second topic would be lost. A word that means different things
in different shops sits only where it usually means one thing: 漏水 asks whether a tent, a
bag or a cup keeps water where it belongs (防水), not about a damaged parcel (漏液, 洒了 say
that), and a damage that may happen (会不会裂, folded to 会裂) asks how sturdy a thing is
(耐摔), not 裂了.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scriptlab.lexicon import load

_DATA = load("thesaurus")
# Groups of interchangeable terms, first term = canonical name (topics of shop questions).
GROUPS: tuple[tuple[str, ...], ...] = tuple(tuple(g) for g in _DATA["groups"])
# General-language groups: question words, time words, "thing". They tie paraphrases together
# (咋弄 / 怎么办) but say little about what a question is about, so searches weigh them like
# an ordinary word, not like a topic (see `GENERAL`).
GENERAL_GROUPS: tuple[tuple[str, ...], ...] = tuple(tuple(g) for g in _DATA["general_groups"])
# Words that contain a term but mean something else: matched as themselves.
PROTECTED: tuple[str, ...] = tuple(_DATA["protected"])
GENERAL: frozenset[str] = frozenset(g[0] for g in GENERAL_GROUPS)
# (narrower group, broader group): only lookup (`search_concepts`) follows these links.
BROADER: tuple[tuple[str, str], ...] = tuple((a, b) for a, b in _DATA["broader"])


def thesaurus(extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """Term → canonical names of the groups it belongs to (``PROTECTED`` words → none).

    Parameters
    ----------
    extra:
        A shop's own groups, canonical name → other terms (the ``[library] synonyms``
        setting); a canonical name that is already a group extends that group.

    Returns
    -------
    dict
        Every term (lower case) → the canonical names of its groups, first group first; a
        group's canonical name maps to itself.
    """
    table: dict[str, tuple[str, ...]] = {word: () for word in PROTECTED}
    groups = [(g[0], g) for g in (*GROUPS, *GENERAL_GROUPS)]
    for canonical, words in (extra or {}).items():
        groups.append((canonical, (canonical, *words)))
    for canonical, words in groups:
        canonical = canonical.strip().lower()
        if not canonical:
            continue
        for word in words:
            word = str(word).strip().lower()
            if word and canonical not in table.get(word, ()):
                table[word] = (*table.get(word, ()), canonical)
    return table


def search_concepts(extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """`thesaurus(extra)`, with every term of a narrower group also naming its broader group
    (`BROADER`): the concepts lookup matches on."""
    table = thesaurus(extra)
    for narrow, broad in BROADER:
        for word, names in table.items():
            if narrow in names and broad not in names:
                table[word] = (*names, broad)
    return table
