"""Settings of the `[mine]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MineSettings:
    """How questions are detected and grouped."""

    # Cosine similarity (TF-IDF of words + character n-grams) at or above which two
    # phrasings are taken as the same question. Higher: smaller, purer groups.
    similarity_threshold: float = 0.55
    # Also merge groups whose questions were answered with the same agent replies (the same
    # reply script) when their reply profiles are at least this similar; 0 turns it off.
    reply_similarity: float = 0.5
    # ... and only if their questions are at least this alike (text similarity). Replies that
    # follow any kind of question (holding replies, 稍等) are ignored whatever this is.
    reply_text_floor: float = 0.0
    # Groups with fewer messages than this are not reported.
    min_count: int = 3
    # How many groups `scriptlab mine` stores and reports by default.
    top: int = 50
    # Shop words never split when grouping (one per line), relative to the workspace.
    dictionary: str = "dictionary.txt"
    # Shop synonyms, one `canonical=variant,variant` per line, relative to the workspace.
    synonyms: str = "synonyms.txt"
    # Also use the built-in everyday variants (啥时候=什么时候, 咋=怎么 ...).
    builtin_synonyms: bool = True
    # How many phrasings (variants) and agent replies to keep per group.
    variants: int = 10
    replies: int = 5
    # Similarity at or above which a group is the same topic as one from an earlier run.
    topic_threshold: float = 0.5
