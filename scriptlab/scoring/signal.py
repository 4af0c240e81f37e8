"""The one shape every automatic scoring signal returns: a 0-1 value and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signal:
    """One signal's verdict on one answer.

    Parameters
    ----------
    name
        Signal name (``reference``, ``consensus``, ``keypoints``, ``style``, ``ratings``).
    value
        0 (worst) to 1 (best).
    reason
        Human-readable explanation shown in the report, e.g. "misses: 48小时".
    applies
        False when the signal has nothing to judge (no reference, no key facts); the
        combination then drops it and renormalises the other weights.
    """

    name: str
    value: float
    reason: str
    applies: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.value <= 1.0:
            raise ValueError(f"signal {self.name} value {self.value} is outside 0-1")


def no_answer(name: str) -> Signal:
    """What every signal says about an empty answer: 0, because there is nothing to judge."""
    return Signal(name, 0.0, "no answer")
