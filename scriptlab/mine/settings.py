"""Settings of the `[mine]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

from scriptlab.setting import setting


@dataclass(frozen=True)
class MineSettings:
    """How questions are detected and grouped."""

    similarity_threshold: float = setting(
        0.55,
        "Cosine similarity (TF-IDF of words + character n-grams) at or above which two phrasings "
        "are taken as the same question. Higher: smaller, purer groups.",
    )
    reply_similarity: float = setting(
        0.5,
        "Also merge groups whose questions were answered with the same agent replies (the same "
        "reply script) when their reply profiles are at least this similar; 0 turns it off.",
    )
    reply_text_floor: float = setting(
        0.0,
        "Groups merged by their agent replies must also have questions at least this alike "
        "(text similarity). Replies that follow any kind of question (holding replies, 稍等) "
        "are ignored whatever this is.",
    )
    min_count: int = setting(3, "Groups with fewer messages than this are not reported.")
    top: int = setting(50, "How many groups `scriptlab mine` stores and reports by default.")
    dictionary: str = setting(
        "dictionary.txt",
        "Shop words never split when grouping (one per line), relative to the workspace.",
    )
    synonyms: str = setting(
        "synonyms.txt",
        "Shop synonyms, one `canonical=variant,variant` per line, relative to the workspace.",
    )
    builtin_synonyms: bool = setting(
        True,
        "Also use the built-in everyday variants (啥时候=什么时候, 咋=怎么 ...).",
    )
    variants: int = setting(10, "How many customer phrasings (variants) to keep per group.")
    replies: int = setting(5, "How many logged agent replies to keep per group.")
    topic_threshold: float = setting(
        0.5,
        "Similarity at or above which a group is the same topic as one from an earlier run.",
    )
