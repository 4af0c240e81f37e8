"""Key-point coverage: does the answer state the facts that matter?

A question's key points are the distinctive facts of its reference (numbers with units
such as 48小时 or 3-5天, and policy terms such as 7天无理由 or 顺丰) plus the facts most
of the *other* agents state (leave-one-out consensus, so an agent cannot vote their own
facts in). Chinese numerals are read as digits first, so 七天 and 7天 are the same fact.
An answer that gives a different number for the same unit (15天 where the team says
7天) and none of the expected ones gets a conflict, which costs more than a miss.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from scriptlab.scoring.signal import Signal, no_answer
from scriptlab.text.normalize import clean

CONFLICT_COST = 0.5  # a conflicting fact costs half a covered one, on top of the miss
MIN_SUPPORT = 2  # a consensus fact needs at least two other agents stating it

# (pattern, canonical unit), longest first; 日 only as a time limit (7日内), never a date.
_UNITS: list[tuple[str, str]] = [
    ("个工作日", "工作日"), ("工作日", "工作日"), ("个小时", "小时"), ("小时", "小时"),
    ("分钟", "分钟"), ("天", "天"), ("日(?=内|之内|以内|后|左右)", "天"), ("个星期", "周"),
    ("星期", "周"), ("周", "周"), ("个月", "个月"), ("年", "年"), ("块钱", "元"), ("块", "元"),
    ("元", "元"), ("折", "折"), ("%", "%"), ("件", "件"), ("厘米", "cm"), ("cm", "cm"),
    ("公斤", "kg"), ("kg", "kg"), ("斤", "斤"), ("毫升", "ml"), ("ml", "ml"), ("码", "码"),
]
_UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNITS)
_NUMBER = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*(?:-|~|～|到|至)\s*(\d+(?:\.\d+)?))?\s*(?:个(?!月|星期|小时|工作日))?"
    rf"\s*({_UNIT_RE})"
)
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-4])[:：]([0-5]\d)(?![\d:])")  # 16:00, 9:00
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(
    rf"[零〇一二两三四五六七八九十百]+(?=\s*(?:个)?\s*(?:{_UNIT_RE})|\s*(?:-|~|到|至)\s*"
    r"[零〇一二两三四五六七八九十百\d])"
)


@dataclass(frozen=True)
class Fact:
    """A canonical fact: ``text`` as shown (48小时, 7天无理由) and its unit ('' for terms)."""

    text: str
    unit: str


def cn_number(token: str) -> int | None:
    """Read a Chinese numeral up to the hundreds (七 → 7, 二十四 → 24, 三百五十 → 350)."""
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = current * 10 + _CN_DIGITS[ch] if current and ch != "零" else _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def digits(text: str) -> str:
    """Cleaned text with Chinese numerals before a unit or range written as digits."""
    text = clean(text)

    def _replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if len(token) == 2 and all(ch in _CN_DIGITS for ch in token):
            return f"{_CN_DIGITS[token[0]]}-{_CN_DIGITS[token[1]]}"  # 两三天 = 2-3天
        value = cn_number(token)
        return token if value is None else str(value)

    return _CN_NUMBER.sub(_replace, text)


def _canonical_unit(raw: str) -> str:
    for pattern, unit in _UNITS:
        if re.fullmatch(pattern.split("(?=")[0], raw):
            return unit
    return raw


def _number(raw: str) -> str:
    return raw.rstrip("0").rstrip(".") if "." in raw else str(int(raw))


@lru_cache(maxsize=32)
def _canonical_terms(policy_terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in (digits(term) for term in policy_terms) if t)


def extract_facts(text: str, policy_terms: Iterable[str]) -> list[Fact]:
    """The facts stated in `text`, in order of appearance, without repeats."""
    return _facts(digits(text), _canonical_terms(tuple(policy_terms)))


def _facts(prepared: str, terms: tuple[str, ...]) -> list[Fact]:
    spans: dict[str, tuple[int, int]] = {}
    found: dict[str, Fact] = {}
    for match in _NUMBER.finditer(prepared):
        low, high, unit = match.group(1), match.group(2), _canonical_unit(match.group(3))
        key = _number(low) + (f"-{_number(high)}" if high else "") + unit
        if key not in found:
            found[key], spans[key] = Fact(key, unit), match.span()
    for match in _CLOCK.finditer(prepared):
        key = f"{int(match.group(1))}:{match.group(2)}"
        if key not in found:
            found[key], spans[key] = Fact(key, "clock"), match.span()
    term_spans: list[tuple[int, int]] = []
    for term in sorted(terms, key=len, reverse=True):
        at = prepared.find(term)
        if at < 0 or term in found:
            continue
        span = (at, at + len(term))
        if any(a < span[1] and span[0] < b for a, b in term_spans):
            continue  # 无理由退换 inside 7天无理由退换 is the same fact
        term_spans.append(span)
        found[term], spans[term] = Fact(term, ""), span
        # 7天无理由 already says 7天: keep the term, not the number inside it.
        for key in [k for k, f in found.items() if f.unit and spans[k][0] >= span[0]
                    and spans[k][1] <= span[1]]:
            del found[key]
    return sorted(found.values(), key=lambda f: spans[f.text])


def coverage_signal(answer: str, key_points: Sequence[Fact], policy_terms: Iterable[str],
                    *, source: str = "the reference") -> Signal:
    """Score one answer against its question's key points."""
    prepared = digits(answer)
    stated = _facts(prepared, _canonical_terms(tuple(policy_terms)))
    return _coverage(answer, prepared, stated, key_points, source)


def _coverage(answer: str, prepared: str, stated: Sequence[Fact], key_points: Sequence[Fact],
              source: str) -> Signal:
    if not answer.strip():
        return no_answer("keypoints")
    if not key_points:
        return Signal("keypoints", 0.0, "no key facts (numbers, time limits, policy terms) "
                      "in the reference or the team's answers", applies=False)
    stated_texts = {f.text for f in stated}
    covered = [k for k in key_points if k.text in stated_texts or
               (not k.unit and k.text in prepared)]
    missed = [k for k in key_points if k not in covered]
    conflicts = _conflicts(stated, key_points, covered)
    score = max(0.0, len(covered) - CONFLICT_COST * len(conflicts)) / len(key_points)
    parts = [f"covers {len(covered)}/{len(key_points)} key points of {source}"
             + (f" ({', '.join(k.text for k in covered)})" if covered else "")]
    if missed:
        parts.append("misses " + ", ".join(k.text for k in missed))
    if conflicts:
        parts.append("conflicts: " + ", ".join(conflicts))
    return Signal("keypoints", float(min(1.0, score)), "; ".join(parts))


def _conflicts(stated: Sequence[Fact], key_points: Sequence[Fact],
               covered: Sequence[Fact]) -> list[str]:
    """Numbers the answer gives for a unit where it states none of the expected values."""
    out: list[str] = []
    covered_units = {k.unit for k in covered if k.unit}
    for unit in dict.fromkeys(k.unit for k in key_points if k.unit):
        if unit in covered_units:
            continue
        wrong = [f.text for f in stated if f.unit == unit]
        if wrong:
            expected = "/".join(k.text for k in key_points if k.unit == unit)
            out.append(f"says {'/'.join(wrong)} where {expected} is expected")
    return out


def keypoint_signals(
    answers: pd.DataFrame,
    references: pd.DataFrame,
    *,
    policy_terms: Sequence[str],
    consensus_share: float = 0.5,
) -> pd.Series:
    """Key-point coverage for every answer of a quiz.

    Parameters
    ----------
    answers
        Columns ``question_id`` and ``text``.
    references
        Columns ``question_id`` and ``text``, best reference first per question (the first
        row of each question supplies the reference facts).
    policy_terms
        Terms that count as facts when present (settings ``policy_terms``).
    consensus_share
        A fact stated by at least this share of the other answers is a key point.

    Returns
    -------
    Series of `Signal`, indexed like `answers`.
    """
    terms = _canonical_terms(tuple(policy_terms))
    ref_facts = {
        qid: _facts(digits(text), terms)
        for qid, text in references.groupby("question_id", sort=False)["text"].first().items()
    }
    texts = answers["text"].fillna("").astype(str).tolist()
    prepared = [digits(t) if t.strip() else "" for t in texts]
    facts = [_facts(p, terms) for p in prepared]
    questions = answers["question_id"].tolist()
    counts: dict[object, Counter] = {}
    filled: Counter = Counter()
    for qid, answer_facts, text in zip(questions, facts, texts, strict=True):
        if text.strip():
            filled[qid] += 1
            counts.setdefault(qid, Counter()).update(answer_facts)
    out: list[Signal] = []
    for qid, answer_facts, text, prep in zip(questions, facts, texts, prepared, strict=True):
        keys = _key_points(ref_facts.get(qid, []), counts.get(qid, Counter()), set(answer_facts),
                           filled[qid] - 1, consensus_share)
        source = "the reference and the team" if qid in ref_facts else "the team's answers"
        out.append(_coverage(text, prep, answer_facts, keys, source))
    return pd.Series(out, index=answers.index, dtype=object)


def _key_points(reference: list[Fact], counts: Counter, own: set[Fact], others: int,
                share: float) -> list[Fact]:
    """Reference facts, then facts at least `share` of the other answers state."""
    keys = list(reference)
    if others >= 2:
        seen = set(keys)
        for fact, count in counts.most_common():
            if fact in seen:
                continue
            support = count - (fact in own)
            if support >= MIN_SUPPORT and support / others >= share:
                keys.append(fact)
                seen.add(fact)
    return keys
