"""Seeded generator of realistic Chinese e-commerce chat logs with ground-truth intents.

Use ``generate_chat_log`` for an in-memory sample, ``write_chat_log`` to stream millions of rows
to CSV, ``heldout_queries`` for unseen phrasings, and ``INTENTS`` for the intent catalogue with
model / mediocre / poor replies. ``python -m scriptlab.sample`` writes the committed sample files.
"""

from scriptlab.sample.generator import (
    AGENTS,
    LABEL_COLUMNS,
    LOG_COLUMNS,
    AgentProfile,
    generate_chat_log,
    intent_ranks,
    intent_weights,
    iter_log_chunks,
    phrasings,
    write_chat_log,
    write_gbk_sample,
)
from scriptlab.sample.holdout import HELDOUT_COLUMNS, heldout_queries
from scriptlab.sample.intents import INTENT_BY_KEY, INTENTS, NONE_LABEL, TRENDING, Intent
from scriptlab.sample.noise import NoiseLevels

__all__ = [
    "AGENTS",
    "HELDOUT_COLUMNS",
    "INTENTS",
    "INTENT_BY_KEY",
    "LABEL_COLUMNS",
    "LOG_COLUMNS",
    "NONE_LABEL",
    "TRENDING",
    "AgentProfile",
    "Intent",
    "NoiseLevels",
    "generate_chat_log",
    "heldout_queries",
    "intent_ranks",
    "intent_weights",
    "iter_log_chunks",
    "phrasings",
    "write_chat_log",
    "write_gbk_sample",
]
