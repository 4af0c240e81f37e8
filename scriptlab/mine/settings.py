"""Settings of the `[mine]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MineSettings:
    """How questions are detected and grouped."""

    # Cosine similarity (TF-IDF) above which two phrasings are the same question.
    similarity_threshold: float = 0.5
    # Groups with fewer messages than this are not reported.
    min_count: int = 3
    # How many groups `scriptlab mine` reports by default.
    top: int = 50
