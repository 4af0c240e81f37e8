"""Rank library entries against a customer's own words, in pure Python.

Why not scikit-learn: `scriptlab lookup` has to answer within a second of being started
(importing pandas/sklearn/jieba alone takes longer), and the published `index.html` must rank
exactly as this module does, in JavaScript (`templates/faq_search.js` is a line-by-line
port). So the method is deliberately small:

1. normalise: NFKC width folding, traditional → simplified, lower case, chat emotes and
   masked personal data (``订单号<订单号>``) removed, greetings ("亲，在吗") and thanks stripped
   from the ends, sentence-final particles (吗, 呢, 呀) dropped, "A不A" questions folded
   (包不包邮 → 包邮);
2. terms: character 1-, 2- and 3-grams of each Chinese run (Latin/digit runs stay whole
   words), so no word segmentation is needed and typos only cost a few grams; plus one
   concept term per thesaurus match (`scriptlab.text.thesaurus`: 快递费 and 运费 both give
   the concept 运费; 包邮 gives 包邮 and its broader concept 运费), so wordings that share no
   characters still meet;
3. weight each query term by its IDF over entries (BM25's) × a weight per kind of term
   (concepts weigh most), and normalise the query's weights to sum to 1;
4. an entry's score is a weighted sum of three parts, each in [0, 1]: how much of the query
   the entry's phrasings hold (BM25-style saturation of how many phrasings contain each
   term), how much of it the approved script holds (saturated term counts, normalised by
   script length), and the cosine with its closest single phrasing (question or a real
   customer variant). The weights add up to 1, so the score is in [0, 1] and comparable
   across queries: that is what `min_confidence` cuts on.

Fast on thousands of entries: the linear parts are kept as postings (term → entries,
weights in flat arrays). A query first sums them over its weightiest terms, up to a budget
of postings read, then scores the best `CANDIDATES` entries exactly (the common terms left
out and the closest phrasing included). Building the index of a big library takes seconds,
so `scriptlab lookup` saves it next to faq.json (`SearchIndex.to_bytes`).
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import json
import math
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from scriptlab.lexicon import load
from scriptlab.text.thesaurus import GENERAL, search_concepts

GRAM_SIZES = (1, 2, 3)
# Weight of each kind of term (on top of its IDF). Single characters are ambiguous (发 in
# 发货, 发票, 头发); longer grams and thesaurus concepts say more.
GRAM_WEIGHTS = {1: 0.5, 2: 1.0, 3: 0.5}
LATIN_WEIGHT = 1.0  # a Latin/digit word: "xl", "sf", "59"
CONCEPT_WEIGHT = 3.0  # a thesaurus concept, e.g. "#运费" for 邮费 / 快递费 / 运费
GENERAL_WEIGHT = 2.0  # a general-language concept (thesaurus.GENERAL: 怎么, 什么, 今天)
CONCEPT_MARK = "#"  # concept terms are "#" + the group's canonical name (grams never start so)
# A query's weights are normalised by their sum, but by no less than this many times the
# IDF of an unseen term: a query of one common word ("在吗" → 在) cannot match "fully".
QUERY_FLOOR = 1.0
# A query term no entry holds (a model number, a city, 小米13) says nothing about which entry
# is meant: it weighs this share of an unseen term's IDF, so details in a question do not
# sink a right answer's score below `min_confidence` (ranking hardly changes).
UNSEEN_WEIGHT = 0.5
# Score = sum of these × part; they add up to 1 so the score stays in [0, 1].
WEIGHT_BEST = 0.3  # cosine with the closest single phrasing
WEIGHT_PHRASINGS = 0.4  # share of the query held by the entry's phrasings
WEIGHT_SCRIPT = 0.3  # share of the query held by the approved script
# BM25-style saturation: a term's weight in a field is tf / (tf + SATURATION × length norm),
# with length norm = 1 - LENGTH_NORM + LENGTH_NORM × length / average length.
SATURATION = 0.5
LENGTH_NORM = 0.5
# Candidate generation on big libraries: the query's terms are read weightiest first until
# about this many postings are read; the rest (low IDF: 的, 吗) only count in the exact
# scoring of the best CANDIDATES entries of that first pass.
POSTINGS_BUDGET = 10000
CANDIDATES = 50
# Saved indexes (`SearchIndex.to_bytes`) start with this and say their format number.
INDEX_MAGIC = b"scriptlab search index\n"
INDEX_FORMAT = 1

# Small talk, one list with mining (scriptlab/lexicon/small_talk.toml); the published page
# gets the same lists through `page_config`, so templates/faq_search.js strips alike.
_SMALL_TALK = load("small_talk")


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


# Stripped from the start of a message: greetings, ways to address the shop, fillers.
LEADING_SMALL_TALK = _longest_first(chain(
    _SMALL_TALK["greetings"], _SMALL_TALK["address"], _SMALL_TALK["lookup"]["leading_fillers"]))
# Stripped from the end: thanks and address words ("…发货呀亲", "…谢谢").
TRAILING_SMALL_TALK = _longest_first(chain(
    _SMALL_TALK["trailing_thanks"], _SMALL_TALK["lookup"]["trailing_extra"]))
# Words that start or end like small talk but are not (亲子装, 送给母亲): never stripped.
KEEP_LEADING = tuple(_SMALL_TALK["keep_leading"])
KEEP_TRAILING = tuple(_SMALL_TALK["keep_trailing"])
# Characters that separate words but carry no meaning: stripped next to small talk.
PUNCTUATION = " \t?!.,~。，！？、…;；:：\"'“”‘’()（）【】[]《》<>-—_*#"
# Sentence-final particles, dropped before punctuation or the end (包邮吗？ → 包邮), except
# where they end a question word (什么, 怎么, 干嘛).
PARTICLES = "吗呢吧啊呀嘛么哦啦哈噢嘞咯喔哇"
PARTICLE_KEEP_AFTER = "什怎那这多为干"
# Masked personal data as the mining stage stores it (<订单号>), with the label before it.
MASK_LABELS = ("订单号", "订单", "单号", "运单号", "快递单号", "手机号", "手机", "电话", "地址",
               "收货地址", "收件地址", "新地址", "收件人", "收货人", "姓名")


def _class_escape(chars: str) -> str:
    """`chars` written inside [...] for both Python and JavaScript regular expressions."""
    return "".join("\\" + c if c in "\\]^-[" else c for c in chars)


# The regular expressions are written so that JavaScript reads them the same way
# (`page_config` hands their sources to templates/faq_search.js).
_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
_EMOTE = re.compile(r"\[[^\[\]]{1,6}\]")  # Taobao-style [微笑] [抱拳]
_MASK = re.compile(
    "(?:" + "|".join(sorted(MASK_LABELS, key=lambda w: (-len(w), w))) + r")?[ :：]*<[^<>]{1,8}>"
    r"|[0-9]{6,}"  # an order or phone number typed out
)
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_PARTICLE = re.compile(
    f"(?<![{PARTICLE_KEEP_AFTER}])[{PARTICLES}]+(?=[{_class_escape(PUNCTUATION)}]|$)"
)
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")  # 包不包邮 → 包邮, 有没有 → 有


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


def concept_pattern(words: Sequence[str]) -> str:
    """A regular expression matching the longest of `words` at each position.

    Written as a trie (快递(?:费|公司)?), which both Python's `re` and JavaScript run fast;
    a Latin word only matches as a whole word ("sf", not the "sf" of "sfx").
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict, last: str) -> str:
        alts = [_escape(ch) + emit(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alts.append("(?![a-z0-9])" if _is_latin(last) else "")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    # Every branch starts with its literal first character (the Latin word-start check comes
    # right after it), so the regex engine can skip positions that start no word at all.
    alts = []
    for ch, child in sorted(trie.items()):
        start = f"(?<![a-z0-9]{_escape(ch)})" if _is_latin(ch) else ""
        alts.append(_escape(ch) + start + emit(child, ch))
    return "|".join(alts)


def _is_latin(ch: str) -> bool:
    return "a" <= ch <= "z" or "0" <= ch <= "9"


def _escape(ch: str) -> str:
    return "\\" + ch if ch in "^$\\.*+?()[]{}|/" else ch


def page_config(synonyms: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """Everything templates/faq_search.js needs to normalise and rank exactly like this module."""
    normalizer = Normalizer(synonyms)
    return {
        "gram_sizes": list(GRAM_SIZES),
        "gram_weights": {str(n): w for n, w in GRAM_WEIGHTS.items()},
        "latin_weight": LATIN_WEIGHT,
        "concept_weight": CONCEPT_WEIGHT,
        "general_weight": GENERAL_WEIGHT,
        "general_concepts": sorted(GENERAL),
        "concept_mark": CONCEPT_MARK,
        "weights": {"best": WEIGHT_BEST, "phrasings": WEIGHT_PHRASINGS, "script": WEIGHT_SCRIPT},
        "query_floor": QUERY_FLOOR,
        "unseen_weight": UNSEEN_WEIGHT,
        "saturation": SATURATION,
        "length_norm": LENGTH_NORM,
        "postings_budget": POSTINGS_BUDGET,
        "candidates": CANDIDATES,
        "leading": list(LEADING_SMALL_TALK),
        "trailing": list(TRAILING_SMALL_TALK),
        "keep_leading": list(KEEP_LEADING),
        "keep_trailing": list(KEEP_TRAILING),
        "punctuation": PUNCTUATION,
        "patterns": {
            "space": _SPACE.pattern, "emote": _EMOTE.pattern, "mask": _MASK.pattern,
            "particle": _PARTICLE.pattern, "a_not_a": _A_NOT_A.pattern, "run": _RUN.pattern,
            "concept": normalizer.pattern,
        },
        "concepts": {word: list(names) for word, names in normalizer.concepts.items()},
    }


class Normalizer:
    """Turns a message into normalised text, and that text into search terms.

    Parameters
    ----------
    synonyms:
        A shop's own thesaurus groups (canonical word → other words), added to the built-in
        `scriptlab.text.thesaurus`.
    """

    def __init__(self, synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        # A shop's words are folded like the texts they are looked for in (width, script).
        fold = _fold if synonyms else str
        self.concepts = search_concepts({fold(k): [fold(w) for w in v]
                                         for k, v in (synonyms or {}).items()})
        self._concept_terms = {w: [CONCEPT_MARK + c for c in cs] for w, cs in self.concepts.items()}
        words = sorted(self.concepts)
        self.pattern = concept_pattern(words) if words else ""
        self._pattern = re.compile(self.pattern) if words else None

    def __call__(self, text: str) -> str:
        return self.many([text])[0]

    def many(self, texts: Sequence[str]) -> list[str]:
        """Normalise many texts at once (one OpenCC call: much faster for a whole library)."""
        if not texts:
            return []
        folded = [_SPACE.sub(" ", unicodedata.normalize("NFKC", t)) for t in texts]
        simplified = to_simplified("\n".join(folded)).lower().split("\n")
        return [self._clean(t) for t in simplified]

    def _clean(self, text: str) -> str:
        text = _MASK.sub(" ", _EMOTE.sub(" ", text))
        text = strip_small_talk(text)
        text = _PARTICLE.sub(" ", text).strip(PUNCTUATION) or text
        return _A_NOT_A.sub(r"\1", text)

    def terms(self, text: str) -> list[str]:
        """The search terms of a normalised text: grams, then concepts, repeats kept."""
        out = grams(text)
        if self._pattern is not None:
            concepts = self._concept_terms
            for word in self._pattern.findall(text):
                out.extend(concepts[word])
        return out


def _fold(word: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", str(word))).lower()


def strip_small_talk(text: str) -> str:
    """Drop greetings from the start and thanks from the end; all small talk → kept as is."""
    core = text.strip(PUNCTUATION)
    if not core.startswith(LEADING_SMALL_TALK) and not core.endswith(TRAILING_SMALL_TALK):
        return core
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
    """Character 1-3-grams of each Chinese run; a Latin/digit run is one token ("xl", "15"),
    English words stemmed (refunds → refund)."""
    out: list[str] = []
    for run in _RUN.findall(text):
        if run[0] < "\u4e00":
            out.append(stem(run))
            continue
        for n in GRAM_SIZES:
            out += [run[i : i + n] for i in range(len(run) - n + 1)]
    return out


def stem(word: str) -> str:
    """A light English suffix stripper, so inflected words meet (shipped, shipping → ship;
    sizes → siz, like size; deliveries → delivery). Only letters-only words of 4+ letters
    change; both sides of a search are stemmed alike, so an odd stem does no harm."""
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif word.endswith("ing") and len(word) >= 6:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) >= 5:
        word = _undouble(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word[:-1] if word.endswith("e") and len(word) >= 4 else word


def _undouble(base: str) -> str:
    """shipp → ship, but not fall → fal or miss → mis."""
    if len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "aeioulsz":
        return base[:-1]
    return base


def term_weight(term: str) -> float:
    """The weight of a kind of term: a concept, a Latin word, or a gram of some length."""
    if term[0] == CONCEPT_MARK:
        return GENERAL_WEIGHT if term[1:] in GENERAL else CONCEPT_WEIGHT
    if term[0] < "\u4e00":
        return LATIN_WEIGHT
    return GRAM_WEIGHTS.get(len(term), 1.0)


class SearchIndex:
    """A precomputed index over entries; `search` ranks them for one query.

    Everything is kept in a few flat arrays (terms numbered in a vocabulary), so an index of
    thousands of entries is small, and `to_bytes` / `from_bytes` save and load it quickly
    (`scriptlab lookup` keeps it next to faq.json, see `scriptlab.library.lookup`).

    Parameters
    ----------
    docs:
        One `SearchDoc` per entry, in the order results refer to (`Hit.index`).
    synonyms:
        A shop's own thesaurus groups (canonical word → other words), applied to entries and
        queries on top of the built-in thesaurus.
    """

    def __init__(
        self, docs: Sequence[SearchDoc], synonyms: Mapping[str, Sequence[str]] | None = None,
        *, _arrays: dict[str, Any] | None = None,
    ) -> None:
        self.normalize = Normalizer(synonyms)
        self.docs = list(docs)
        if _arrays is not None:
            self._set(_arrays)
            return
        # Building allocates millions of small objects and no reference cycles: the cyclic
        # garbage collector would only slow it down (by about a third).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._set(self._build())
        finally:
            if collecting:
                gc.enable()

    def _set(self, arrays: dict[str, Any]) -> None:
        self._arrays = arrays
        self.size = len(self.docs)
        self.vocabulary: dict[str, int] = arrays["vocabulary"]
        self._df = arrays["df"]
        self._post_start, self._post_entry = arrays["post_start"], arrays["post_entry"]
        self._post_weight = arrays["post_weight"]
        self._text_start, self._text_terms = arrays["text_start"], arrays["text_terms"]
        self._text_norm = arrays["text_norm"]
        self._entry_start, self._entry_texts = arrays["entry_start"], arrays["entry_texts"]
        self._idf_unseen = idf(0, self.size)

    def _build(self) -> dict[str, Any]:
        # Each distinct text is normalised once (libraries repeat phrasings and scripts);
        # its terms are numbered in order of first appearance.
        unique: dict[str, int] = {}
        for doc in self.docs:
            for text in (*doc.phrasings, doc.script):
                unique.setdefault(text, len(unique))
        vocabulary: dict[str, int] = {}
        number = vocabulary.setdefault
        text_terms = [[number(t, len(vocabulary)) for t in self.normalize.terms(text)]
                      for text in self.normalize.many(list(unique))]
        text_sets = [list(dict.fromkeys(ids)) for ids in text_terms]  # first-appearance order
        n = len(self.docs)
        # Per entry: its phrasings (text ids), how many of them hold each term, the script's
        # term counts and length; per term, how many entries hold it.
        entry_texts: list[list[int]] = []
        held: list[Counter[int]] = []
        script_counts: list[Counter[int]] = []
        script_lengths: list[int] = []
        df = [0] * len(vocabulary)
        for doc in self.docs:
            ids = [unique[p] for p in doc.phrasings]
            counts = Counter(chain.from_iterable(map(text_sets.__getitem__, ids)))
            script = unique[doc.script]
            entry_texts.append(ids)
            held.append(counts)
            script_counts.append(Counter(text_terms[script]))
            script_lengths.append(len(text_terms[script]))
            for t in counts.keys() | set(text_sets[script]):
                df[t] += 1
        weights = list(vocabulary)  # term id → term, then its squared weight × IDF
        for t, term in enumerate(weights):
            w = term_weight(term) * idf(df[t], n)
            weights[t] = w * w
        norms = [0.0] * len(text_sets)
        for k in {k for ids in entry_texts for k in ids}:
            norms[k] = math.sqrt(_add(weights[t] for t in text_sets[k]))
        avg_rows = (_add(len(ids) for ids in entry_texts) / n if n else 1.0) or 1.0
        avg_script = (_add(script_lengths) / n if n else 1.0) or 1.0
        # The linear part as postings: term → entries (increasing), weights.
        post_entries: list[array] = [array("i") for _ in vocabulary]
        post_weights: list[array] = [array("d") for _ in vocabulary]
        wp, ws = WEIGHT_PHRASINGS, WEIGHT_SCRIPT
        for index in range(n):
            rnorm = SATURATION * (1.0 - LENGTH_NORM + LENGTH_NORM * len(entry_texts[index])
                                  / avg_rows)
            snorm = SATURATION * (1.0 - LENGTH_NORM + LENGTH_NORM * script_lengths[index]
                                  / avg_script)
            for t, c in held[index].items():
                post_entries[t].append(index)
                post_weights[t].append(wp * c / (c + rnorm))
            for t, c in script_counts[index].items():
                entries = post_entries[t]
                if entries and entries[-1] == index:  # the term is in a phrasing too
                    post_weights[t][-1] += ws * c / (c + snorm)
                else:
                    entries.append(index)
                    post_weights[t].append(ws * c / (c + snorm))
        return {
            "vocabulary": vocabulary,
            "df": array("i", df),
            "post_start": _starts(len(e) for e in post_entries),
            "post_entry": array("i", chain.from_iterable(post_entries)),
            "post_weight": array("d", chain.from_iterable(post_weights)),
            "text_start": _starts(map(len, text_sets)),
            "text_terms": array("i", chain.from_iterable(text_sets)),
            "text_norm": array("d", norms),
            "entry_start": _starts(map(len, entry_texts)),
            "entry_texts": array("i", chain.from_iterable(entry_texts)),
        }

    def query_weights(self, query: str) -> dict[str, float]:
        """The query's distinct terms → term weight × IDF, in order of first appearance."""
        out: dict[str, float] = {}
        vocabulary, df, n = self.vocabulary, self._df, self.size
        for t in self.normalize.terms(self.normalize(query)):
            if t not in out:
                k = vocabulary.get(t)
                out[t] = term_weight(t) * (UNSEEN_WEIGHT * self._idf_unseen if k is None
                                           else idf(df[k], n))
        return out

    def search(self, query: str, top: int = 3) -> list[Hit]:
        """The `top` best entries for `query`, best first (ties: earlier entry first).

        Entries sharing nothing with the query are left out, so fewer may come back.
        """
        if top <= 0:
            return []
        qw = self.query_weights(query)
        if not qw:
            return []
        total = max(_add(qw.values()), QUERY_FLOOR * self._idf_unseen)
        vocabulary, start = self.vocabulary, self._post_start
        entries, weights = self._post_entry, self._post_weight
        # 1. The linear part, summed over the postings of the query's weightiest terms until
        # about POSTINGS_BUDGET postings have been read; the other (low-IDF) terms wait.
        partial: dict[int, float] = {}
        rest = []
        read = 0
        for term, w in sorted(qw.items(), key=lambda item: (-item[1], item[0])):
            t = vocabulary.get(term)
            if t is None:
                continue
            a, b = start[t], start[t + 1]
            if read and read + b - a > POSTINGS_BUDGET:
                rest.append((a, b, w))
                continue
            read += b - a
            get = partial.get
            for entry, weight in zip(entries[a:b], weights[a:b], strict=True):
                partial[entry] = get(entry, 0.0) + w * weight
        candidates = _best(partial, max(CANDIDATES, top))
        # 2. Exact scores: the terms left out added, closest phrasing found.
        value = {entry: partial[entry] for entry in candidates}
        for a, b, w in rest:
            for entry in candidates:
                k = bisect_left(entries, entry, a, b)
                if k < b and entries[k] == entry:
                    value[entry] += w * weights[k]
        squares = {vocabulary[t]: w * w for t, w in qw.items() if t in vocabulary}
        qnorm = math.sqrt(_add(w * w for w in qw.values()))
        hits: list[Hit] = []
        floor = -1.0  # the top-th best score so far: entries that cannot reach it are skipped
        for entry in candidates:
            linear = value[entry] / total
            if linear + WEIGHT_BEST < floor - 1e-9:
                continue
            best, matched = self._closest(entry, squares, qnorm)
            hits.append(Hit(entry, min(linear + WEIGHT_BEST * best, 1.0), matched))
            if len(hits) >= top:
                hits.sort(key=lambda h: (-h.score, h.index))
                del hits[top:]
                floor = hits[-1].score
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits[:top]

    def _closest(self, entry: int, squares: dict[int, float], qnorm: float) -> tuple[float, str]:
        """The highest cosine between the query and one of the entry's phrasings."""
        best, position = 0.0, 0
        start, terms, norms = self._text_start, self._text_terms, self._text_norm
        texts = self._entry_texts
        first = self._entry_start[entry]
        for k in range(first, self._entry_start[entry + 1]):
            text = texts[k]
            norm = norms[text]
            if norm <= 0:
                continue
            dot = 0.0
            for t in terms[start[text]:start[text + 1]]:
                square = squares.get(t)
                if square is not None:
                    dot += square
            value = dot / (qnorm * norm)
            if value > best:
                best, position = value, k - first
        return best, self.docs[entry].phrasings[position]

    # -- saving and loading -------------------------------------------------------------

    def to_bytes(self, key: str) -> bytes:
        """The index as bytes (a JSON header, then the raw arrays), tagged with `key`."""
        arrays = {name: a for name, a in self._arrays.items() if isinstance(a, array)}
        header = {
            "format": INDEX_FORMAT, "key": key, "entries": self.size,
            "byteorder": sys.byteorder, "vocabulary": list(self.vocabulary),
            "arrays": [[name, a.typecode, len(a)] for name, a in arrays.items()],
        }
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return b"".join([INDEX_MAGIC, len(head).to_bytes(8, "little"), head,
                         *(a.tobytes() for a in arrays.values())])

    @classmethod
    def from_bytes(
        cls, data: bytes, key: str, docs: Sequence[SearchDoc],
        synonyms: Mapping[str, Sequence[str]] | None = None,
    ) -> SearchIndex:
        """Load what `to_bytes` wrote; ValueError if it is damaged or not for `key`."""
        if not data.startswith(INDEX_MAGIC):
            raise ValueError("not a scriptlab search index")
        offset = len(INDEX_MAGIC) + 8
        size = int.from_bytes(data[len(INDEX_MAGIC):offset], "little")
        header = json.loads(data[offset:offset + size].decode("utf-8"))
        if header.get("format") != INDEX_FORMAT or header.get("key") != key:
            raise ValueError("the index is for another faq.json or scriptlab version")
        if header["entries"] != len(docs):
            raise ValueError("the index does not match the entries")
        arrays: dict[str, Any] = {"vocabulary": {t: k for k, t in enumerate(header["vocabulary"])}}
        offset += size
        for name, typecode, count in header["arrays"]:
            values = array(typecode)
            end = offset + count * values.itemsize
            values.frombytes(data[offset:end])
            if len(values) != count:
                raise ValueError("the index is truncated")
            if header["byteorder"] != sys.byteorder:
                values.byteswap()
            arrays[name] = values
            offset = end
        _check(arrays, docs)
        return cls(docs, synonyms, _arrays=arrays)


def _check(arrays: dict[str, Any], docs: Sequence[SearchDoc]) -> None:
    """ValueError unless the loaded arrays fit together and fit `docs`."""
    terms, a = len(arrays["vocabulary"]), arrays
    phrasings = array("q", [0])
    for doc in docs:
        phrasings.append(phrasings[-1] + len(doc.phrasings))
    if not (len(a["df"]) == terms and len(a["post_start"]) == terms + 1
            and a["post_start"][-1] == len(a["post_entry"]) == len(a["post_weight"])
            and a["text_start"][-1] == len(a["text_terms"])
            and len(a["text_norm"]) == len(a["text_start"]) - 1
            and a["entry_start"] == phrasings
            and a["entry_start"][-1] == len(a["entry_texts"])):
        raise ValueError("the index is damaged")


def idf(count: int, entries: int) -> float:
    """BM25's inverse document frequency of a term held by `count` of `entries` entries."""
    return math.log(1.0 + (entries - count + 0.5) / (count + 0.5))


def index_key(docs: Sequence[SearchDoc], synonyms: Mapping[str, Sequence[str]] | None) -> str:
    """A digest of everything an index depends on: the entries, the thesaurus, the method."""
    digest = hashlib.sha256()
    method = [INDEX_FORMAT, "stem 1", GRAM_SIZES, GRAM_WEIGHTS, LATIN_WEIGHT, CONCEPT_WEIGHT,
              GENERAL_WEIGHT, WEIGHT_PHRASINGS, WEIGHT_SCRIPT, SATURATION, LENGTH_NORM,
              UNSEEN_WEIGHT,
              LEADING_SMALL_TALK, TRAILING_SMALL_TALK, KEEP_LEADING, KEEP_TRAILING,
              PUNCTUATION, PARTICLES, PARTICLE_KEEP_AFTER, MASK_LABELS,
              sorted(search_concepts(synonyms).items()), sorted(GENERAL)]
    digest.update(repr(method).encode("utf-8"))
    for doc in docs:
        digest.update(json.dumps([doc.phrasings, doc.script], ensure_ascii=False).encode())
    return digest.hexdigest()


def _best(scores: dict[int, float], keep: int) -> list[int]:
    """The `keep` entries with the highest scores (ties: lower entry first)."""
    if len(scores) <= keep:
        return sorted(scores)
    threshold = heapq.nlargest(keep, scores.values())[-1]
    above = [e for e, v in scores.items() if v > threshold]
    tied = sorted(e for e, v in scores.items() if v == threshold)
    return above + tied[: keep - len(above)]


def _add(values: Iterable[float]) -> float:
    """A plain left-to-right sum (as JavaScript adds; `sum` may compensate on Python 3.12+)."""
    total = 0.0
    for v in values:
        total += v
    return total


def _starts(lengths: Iterable[int]) -> array:
    """Offsets of consecutive slices of these lengths, with the end offset last."""
    starts = array("q", [0])
    for length in lengths:
        starts.append(starts[-1] + length)
    return starts
