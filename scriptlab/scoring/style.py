"""Style rules from the domain articles, all configurable in ``[scoring]``.

Points are earned for politeness markers (您/请/亲/感谢), a length inside the bounds,
closing with an offer of further help and offering the customer a choice; they are
weighted by ``style_weights``. Cold phrases (不知道/没办法/不归我管) and over-promising
(保证/绝对/肯定没问题) then multiply the score down, once per phrase found, because one
dismissive sentence spoils an otherwise polite reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from scriptlab.scoring.settings import ScoringSettings
from scriptlab.scoring.signal import Signal, no_answer
from scriptlab.text.normalize import clean

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class StyleRules:
    """The rule lists and weights, taken from `ScoringSettings`."""

    politeness: tuple[str, ...]
    neutral: tuple[str, ...]
    cold: tuple[str, ...]
    overpromise: tuple[str, ...]
    closing: tuple[str, ...]
    choices: tuple[str, ...]
    min_chars: int
    max_chars: int
    weights: tuple[tuple[str, float], ...]
    cold_penalty: float
    overpromise_penalty: float

    @classmethod
    def from_settings(cls, s: ScoringSettings) -> StyleRules:
        def low(words: Sequence[str]) -> tuple[str, ...]:
            return tuple(clean(w) for w in words if w)

        return cls(low(s.politeness_markers), low(s.neutral_words), low(s.cold_phrases),
                   low(s.overpromise_phrases), low(s.closing_phrases), low(s.choice_phrases),
                   s.min_chars, s.max_chars, tuple(s.style_weights.items()), s.cold_penalty,
                   s.overpromise_penalty)


def content_length(text: str) -> int:
    """Characters that carry content (CJK, letters, digits): what the length bounds count."""
    return len(_CONTENT.findall(text))


def style_signal(text: str, rules: StyleRules) -> Signal:
    """Score one answer's style, naming every rule that fired."""
    if not text.strip():
        return no_answer("style")
    prepared = clean(text)
    for word in rules.neutral:
        prepared = prepared.replace(word, " ")
    found = {
        "politeness": _found(prepared, rules.politeness),
        "closing": _found(prepared, rules.closing),
        "choices": _found(prepared, rules.choices),
    }
    length = content_length(prepared)
    parts = {
        "politeness": 1.0 if found["politeness"] else 0.0,
        "closing": 1.0 if found["closing"] else 0.0,
        "choices": 1.0 if found["choices"] else 0.0,
        "length": _length_score(length, rules.min_chars, rules.max_chars),
    }
    weights = dict(rules.weights)
    total_weight = sum(weights.values()) or 1.0
    earned = sum(weights.get(name, 0.0) * value for name, value in parts.items()) / total_weight
    cold = _found(prepared, rules.cold)
    promises = _found(prepared, rules.overpromise)
    value = earned * (1 - rules.cold_penalty) ** len(cold)
    value *= (1 - rules.overpromise_penalty) ** len(promises)
    reasons = [
        _listed("polite", found["politeness"], "no politeness marker"),
        _length_reason(length, rules.min_chars, rules.max_chars),
        _listed("offers more help", found["closing"], "no closing offer of help"),
        _listed("offers a choice", found["choices"], "no choice offered"),
    ]
    if cold:
        reasons.append("cold: " + ", ".join(cold))
    if promises:
        reasons.append("over-promises: " + ", ".join(promises))
    return Signal("style", float(min(1.0, max(0.0, value))), "; ".join(reasons))


def style_signals(answers: pd.DataFrame, settings: ScoringSettings) -> pd.Series:
    """`style_signal` for every answer (column ``text``), indexed like `answers`."""
    rules = StyleRules.from_settings(settings)
    return pd.Series([style_signal(str(t or ""), rules) for t in answers["text"]],
                     index=answers.index, dtype=object)


def _found(text: str, phrases: Sequence[str]) -> list[str]:
    """Phrases present, in order of appearance, not counting one inside a longer one."""
    hits: list[str] = []
    for phrase in sorted(phrases, key=len, reverse=True):
        if phrase in text and not any(phrase in longer for longer in hits):
            hits.append(phrase)
    return sorted(hits, key=text.find)


def _length_score(length: int, low: int, high: int) -> float:
    if length < low:
        return length / low
    if length > high:
        return high / length
    return 1.0


def _length_reason(length: int, low: int, high: int) -> str:
    if length < low:
        return f"too short ({length} < {low} characters)"
    if length > high:
        return f"too long ({length} > {high} characters)"
    return f"length {length} characters"


def _listed(label: str, hits: list[str], missing: str) -> str:
    return f"{label} ({', '.join(hits)})" if hits else missing
