"""A tiny phrasing grammar: templates with alternatives and shared slots.

Syntax (no escaping needed, Chinese text never uses these characters):

- ``[a|b|c]`` chooses one alternative; an empty alternative makes the group optional (``[呀|]``);
- ``{name}`` is replaced by one value of the shared slot ``name`` (slot values may themselves
  contain groups and slots);
- everything else is literal text.

A template expands to a finite set of phrasings. Each phrasing gets the probability of being
produced when every group and slot picks one of its alternatives uniformly at random, so the
generator can sample from the enumerated phrasings and still respect the grammar's structure
(a slot with 16 product names does not drown the other choices).
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# A parsed template is a list of nodes. A node is either literal text (str) or a tuple of
# alternatives, each alternative itself a list of nodes. Slots are resolved while parsing.


class GrammarError(ValueError):
    """A template is malformed or names an unknown slot."""


def _parse(
    text: str, slots: Mapping[str, Sequence[str]], depth: int = 0
) -> list:
    """Parse ``text`` into a node list, expanding ``{slot}`` references recursively."""
    if depth > 8:
        raise GrammarError(f"slot nesting too deep in {text!r}")
    nodes, _ = _parse_seq(text, 0, slots, depth, top=True)
    return nodes


def _parse_seq(
    text: str, i: int, slots: Mapping[str, Sequence[str]], depth: int, top: bool
) -> tuple[list, int]:
    nodes: list = []
    literal: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch in "|]":
            if top:
                raise GrammarError(f"unbalanced '{ch}' in {text!r}")
            break
        if ch == "[":
            if literal:
                nodes.append("".join(literal))
                literal = []
            alternatives = []
            i += 1
            while True:
                seq, i = _parse_seq(text, i, slots, depth, top=False)
                alternatives.append(seq)
                if i >= len(text):
                    raise GrammarError(f"missing ']' in {text!r}")
                if text[i] == "]":
                    i += 1
                    break
                i += 1  # skip '|'
            nodes.append(tuple(alternatives))
            continue
        if ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise GrammarError(f"missing '}}' in {text!r}")
            name = text[i + 1 : end]
            if name not in slots:
                raise GrammarError(f"unknown slot {{{name}}} in {text!r}")
            if literal:
                nodes.append("".join(literal))
                literal = []
            nodes.append(tuple(_parse(value, slots, depth + 1) for value in slots[name]))
            i = end + 1
            continue
        literal.append(ch)
        i += 1
    if literal:
        nodes.append("".join(literal))
    return nodes, i


def _expand_nodes(nodes: list) -> dict[str, float]:
    """All strings a node list produces, with their probabilities (merged when equal)."""
    out: dict[str, float] = {"": 1.0}
    for node in nodes:
        if isinstance(node, str):
            out = {prefix + node: p for prefix, p in out.items()}
            continue
        share = 1.0 / len(node)
        options: dict[str, float] = {}
        for alternative in node:
            for text, p in _expand_nodes(alternative).items():
                options[text] = options.get(text, 0.0) + p * share
        merged: dict[str, float] = {}
        for prefix, p in out.items():
            for text, q in options.items():
                key = prefix + text
                merged[key] = merged.get(key, 0.0) + p * q
        out = merged
    return out


def expand(template: str, slots: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """Enumerate every phrasing of one template.

    Parameters
    ----------
    template : str
        A template in the grammar syntax described in the module docstring.
    slots : Mapping[str, Sequence[str]]
        Shared slot values by slot name.

    Returns
    -------
    dict[str, float]
        Phrasing -> probability of producing it (sums to 1), in first-seen order.
    """
    return _expand_nodes(_parse(template, slots))


@dataclass(frozen=True)
class TemplateTable:
    """The enumerated phrasings of one template, ready for fast weighted sampling."""

    phrasings: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def build(cls, template: str, slots: Mapping[str, Sequence[str]]) -> TemplateTable:
        """Enumerate ``template`` and precompute its cumulative weights."""
        weights = expand(template, slots)
        phrasings = tuple(weights)
        running, cumulative = 0.0, []
        for text in phrasings:
            running += weights[text]
            cumulative.append(running)
        cumulative[-1] = 1.0 + 1e-9  # guard against rounding when u is close to 1
        return cls(phrasings, tuple(cumulative))

    def sample(self, rng: random.Random) -> str:
        """Draw one phrasing with the grammar's probabilities."""
        return self.phrasings[bisect.bisect(self.cumulative, rng.random())]
