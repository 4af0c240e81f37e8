"""Rank library entries against a customer's own words, in pure Python.

Why not scikit-learn: `scriptlab lookup` has to answer within a second of being started
(importing pandas/sklearn/jieba alone takes longer), and the published `index.html` must rank
exactly as this module does, in JavaScript (`templates/search.js` is a line-by-line port). So
the method is deliberately small:

1. normalise: NFKC width folding, traditional → simplified, lower case, chat emotes removed,
   greetings ("亲，在吗") and thanks stripped from the ends, synonyms mapped to one word;
2. split into character 1-, 2- and 3-grams of each Chinese run (Latin/digit runs stay whole
   words), so no word segmentation is needed and typos only cost a few grams;
3. weight grams by sublinear TF × IDF (IDF over entries), L2-normalise;
4. an entry's score is a weighted sum of three cosines with the query: the closest single
   phrasing (question or a real customer variant), all its phrasings pooled together, and the
   script. Every cosine is in [0, 1], so the score is too, and it is comparable across queries:
   that is what `min_confidence` cuts on.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

GRAM_SIZES = (1, 2, 3)
# Weight of each gram length. Single characters carry much of the meaning in short Chinese
# questions (退, 码, 票), so they count fully; IDF already discounts 的/吗.
GRAM_WEIGHTS = {1: 1.0, 2: 1.0, 3: 1.0}
# Score = sum of these × cosine; they add up to 1 so the score stays in [0, 1]. The script
# weighs most: it names the things customers ask about in their own words (顺丰, 发票,
# 七天无理由, 花呗) far more fully than a few short phrasings do. Chosen on the hand-written
# paraphrases in tests/library_fixtures.py and the sample (see bench/lookup_quality.py).
WEIGHT_BEST = 0.3  # the closest single phrasing
WEIGHT_POOLED = 0.2  # all phrasings of the entry pooled into one vector
WEIGHT_SCRIPT = 0.5  # the approved script

# Stripped from the start of a message: greetings, ways to address the shop, fillers.
# (Kept here rather than shared with `scriptlab.mine.normalize`, which imports pandas, and
# because templates/search.js must apply exactly the same list.)
LEADING_SMALL_TALK = tuple(sorted({
    "在吗", "在不在", "在么", "在嘛", "有人吗", "有人在吗", "客服在吗", "客服", "亲亲", "亲爱的",
    "亲", "你好", "您好", "你们好", "哈喽", "hello", "hi", "嗨", "老板", "掌柜", "店家", "美女",
    "小姐姐", "小哥哥", "请问一下", "请问", "问一下", "问下", "想问一下", "想问下", "我想问一下",
    "我想问下", "打扰了", "打扰一下", "麻烦问下", "麻烦问一下", "咨询一下", "咨询下", "麻烦",
    "嗯嗯", "嗯", "哦哦", "哦", "噢", "额", "那个", "就是",
}, key=lambda w: (-len(w), w)))
# Stripped from the end: thanks and address words ("…发货呀亲", "…谢谢").
TRAILING_SMALL_TALK = tuple(
    sorted({"谢谢", "谢谢你", "谢谢亲", "谢啦", "多谢", "感谢", "亲", "亲亲", "呀", "啊", "哈",
            "呢", "哦", "啦", "嘛"}, key=lambda w: (-len(w), w))
)
# Words that start or end like small talk but are not (亲子装, 送给母亲): never stripped.
KEEP_LEADING = ("亲子", "亲人", "亲戚", "亲自", "亲手", "亲测", "亲友", "亲属", "亲情", "亲身",
                "亲密", "亲近", "亲肤", "老板娘", "哈密")
KEEP_TRAILING = ("母亲", "父亲", "双亲", "乡亲", "相亲", "探亲")
# Characters that separate words but carry no meaning: stripped next to small talk.
PUNCTUATION = " \t?!.,~。，！？、…;；:：\"'“”‘’()（）【】[]《》<>-—_*#"

_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
_EMOTE = re.compile(r"\[[^\[\]]{1,6}\]")  # Taobao-style [微笑] [抱拳]


@dataclass(frozen=True)
class SearchDoc:
    """What is searched for one entry: its phrasings (question first) and its script."""

    phrasings: tuple[str, ...]
    script: str = ""


@dataclass(frozen=True)
class Hit:
    """One ranked entry: its position in the indexed docs, score (0-1), closest phrasing."""

    index: int
    score: float
    matched: str


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # a small C extension, imported on first use

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s), as mining does."""
    return _t2s().convert(text)


def synonym_table(synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Word → canonical word, canonical words included (so "没有" is not read as "没"+"有")."""
    table: dict[str, str] = {}
    for canonical, words in synonyms.items():
        canonical = canonical.strip().lower()
        if not canonical:
            continue
        table.setdefault(canonical, canonical)
        for word in words:
            word = str(word).strip().lower()
            if word and word not in table:
                table[word] = canonical
    return table


class Normalizer:
    """Turns a message into the text the index compares (see the module docstring)."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        self.table = synonym_table(synonyms or {})
        words = sorted(self.table, key=lambda w: (-len(w), w))
        self._pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def __call__(self, text: str) -> str:
        text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
        text = _EMOTE.sub(" ", text)
        text = strip_small_talk(text)
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self.table[m.group(0)], text)
        return text


def strip_small_talk(text: str) -> str:
    """Drop greetings from the start and thanks from the end; all small talk → kept as is."""
    core = text.strip(PUNCTUATION)
    changed = True
    while changed:
        changed = False
        keep_start = core.startswith(KEEP_LEADING)
        for word in () if keep_start else LEADING_SMALL_TALK:
            if core.startswith(word) and len(core) > len(word):
                core = core[len(word):].lstrip(PUNCTUATION)
                changed = True
                break
        keep_end = core.endswith(KEEP_TRAILING)
        for word in () if keep_end else TRAILING_SMALL_TALK:
            if core.endswith(word) and len(core) > len(word):
                core = core[: -len(word)].rstrip(PUNCTUATION)
                changed = True
                break
    return core


def grams(text: str) -> list[str]:
    """Character 1-3-grams of each Chinese run; a Latin/digit run is one token ("xl", "15")."""
    out: list[str] = []
    for run in _RUN.findall(text):
        if run[0] < "\u4e00":
            out.append(run)
            continue
        for n in GRAM_SIZES:
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def _gram_weight(gram: str) -> float:
    if gram[0] < "\u4e00":
        return 1.0
    return GRAM_WEIGHTS.get(len(gram), 1.0)


class SearchIndex:
    """A precomputed index over entries; `search` ranks them for one query.

    Parameters
    ----------
    docs:
        One `SearchDoc` per entry, in the order results refer to (`Hit.index`).
    synonyms:
        Canonical word → the other words for it, applied to entries and queries.
    """

    def __init__(
        self, docs: Sequence[SearchDoc], synonyms: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.normalize = Normalizer(synonyms)
        self.docs = list(docs)
        phrasing_grams: list[list[list[str]]] = []
        script_grams: list[list[str]] = []
        df: dict[str, int] = {}
        for doc in self.docs:
            per_phrasing = [grams(self.normalize(p)) for p in doc.phrasings]
            script = grams(self.normalize(doc.script)) if doc.script else []
            phrasing_grams.append(per_phrasing)
            script_grams.append(script)
            seen = set(script)
            for g in per_phrasing:
                seen.update(g)
            for gram in seen:
                df[gram] = df.get(gram, 0) + 1
        n = len(self.docs)
        self._idf_unseen = math.log(n + 1) + 1.0
        self.idf = {g: math.log((n + 1) / (c + 1)) + 1.0 for g, c in df.items()}
        # Each phrasing ("row") as a vector, for the closest-phrasing cosine, and one postings
        # list for the rest of the score, which is linear in the query: gram → [(entry,
        # WEIGHT_POOLED × pooled weight + WEIGHT_SCRIPT × script weight, gram in a phrasing)].
        self._rows: list[list[tuple[str, dict[str, float]]]] = []
        self._linear: dict[str, list[tuple[int, float, bool]]] = {}
        for index, (doc, per_phrasing) in enumerate(zip(self.docs, phrasing_grams, strict=True)):
            self._rows.append([(text, self.vector(gs))
                               for text, gs in zip(doc.phrasings, per_phrasing, strict=True)])
            pooled = self.vector([g for gs in per_phrasing for g in gs])
            script = self.vector(script_grams[index])
            for gram in [*pooled, *(g for g in script if g not in pooled)]:
                weight = (WEIGHT_POOLED * pooled.get(gram, 0.0)
                          + WEIGHT_SCRIPT * script.get(gram, 0.0))
                self._linear.setdefault(gram, []).append((index, weight, gram in pooled))

    def vector(self, gs: Iterable[str]) -> dict[str, float]:
        """Sublinear-TF × IDF weights of `gs`, L2-normalised (empty for no grams)."""
        counts: dict[str, int] = {}
        for g in gs:
            counts[g] = counts.get(g, 0) + 1
        vec = {
            g: (1.0 + math.log(c)) * self.idf.get(g, self._idf_unseen) * _gram_weight(g)
            for g, c in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in vec.values()))
        return {g: w / norm for g, w in vec.items()} if norm > 0 else {}

    def query_vector(self, query: str) -> dict[str, float]:
        return self.vector(grams(self.normalize(query)))

    def search(self, query: str, top: int = 3) -> list[Hit]:
        """The `top` best entries for `query`, best first (ties: earlier entry first).

        Entries sharing nothing with the query are left out, so fewer may come back. The
        closest-phrasing cosine is only computed for entries that could still make the top:
        it is at most the norm of the part of the query the entry's phrasings contain.
        """
        if top <= 0:
            return []
        qvec = self.query_vector(query)
        linear: dict[int, float] = {}
        reach: dict[int, float] = {}
        for gram, qw in qvec.items():
            q2 = qw * qw
            for entry, weight, in_rows in self._linear.get(gram, ()):
                linear[entry] = linear.get(entry, 0.0) + qw * weight
                if in_rows:
                    reach[entry] = reach.get(entry, 0.0) + q2
        # Entries by decreasing upper bound (ties: lower index), popped only as far as needed.
        bounds = [(-(value + WEIGHT_BEST * math.sqrt(reach.get(entry, 0.0))), entry)
                  for entry, value in linear.items()]
        heapq.heapify(bounds)
        hits: list[Hit] = []
        while bounds:
            negative_bound, entry = heapq.heappop(bounds)
            if len(hits) >= top and -negative_bound + 1e-9 < hits[-1].score:
                break
            best, matched = self._closest(entry, qvec)
            hits.append(Hit(entry, min(WEIGHT_BEST * best + linear[entry], 1.0), matched))
            hits.sort(key=lambda h: (-h.score, h.index))
            del hits[top:]
        return hits

    def _closest(self, entry: int, qvec: dict[str, float]) -> tuple[float, str]:
        """The highest cosine between the query and one of the entry's phrasings."""
        best, matched = -1.0, self.docs[entry].phrasings[0]
        for text, row in self._rows[entry]:
            value = 0.0
            for gram, qw in qvec.items():
                weight = row.get(gram)
                if weight is not None:
                    value += qw * weight
            if value > best:
                best, matched = value, text
        return max(best, 0.0), matched
