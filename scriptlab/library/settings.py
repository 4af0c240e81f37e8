"""Settings of the `[library]` section of scriptlab.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scriptlab.errors import ScriptlabError
from scriptlab.lexicon import load
from scriptlab.setting import setting

# Keyword → category rules for `library approve` (first category with the most hits wins):
# scriptlab/lexicon/categories.toml.
DEFAULT_CATEGORIES: dict[str, list[str]] = {k: list(v) for k, v in load("categories").items()}

# A shop's own thesaurus groups (canonical word → words customers use for it), added to the
# built-in one in `scriptlab.text.thesaurus`, which already covers the common wording of
# Chinese e-commerce customer service; none by default.
DEFAULT_SYNONYMS: dict[str, list[str]] = {}


@dataclass(frozen=True)
class LibrarySettings:
    """How the script library is approved, published and searched."""

    min_confidence: float = setting(
        0.21,
        "Below this lookup score (0-1), `scriptlab lookup` and the page say there is no good "
        "match (and still show the nearest entries). A right first answer to a reworded question "
        "typically scores 0.2-0.5: with 0.21, 75-100% of right first answers clear it, far fewer "
        "wrong ones do, and most questions no entry answers fall below it (python "
        "bench/lookup_quality.py prints these per query set).",
    )
    top: int = setting(3, "How many entries `scriptlab lookup` shows by default.")
    max_variants: int = setting(
        20,
        "At most this many real customer phrasings are stored per entry (most frequent first).",
    )
    max_tags: int = setting(5, "At most this many mining keywords become an entry's tags.")
    default_category: str = setting(
        "其他",
        "Category of an entry whose question matches none of the category keywords.",
    )
    categories: dict[str, list[str]] = setting(
        factory=lambda: dict(DEFAULT_CATEGORIES),
        help="Category name → keywords; an approved entry gets the category with the most keyword "
        "hits.",
    )
    synonyms: dict[str, list[str]] = setting(
        factory=lambda: dict(DEFAULT_SYNONYMS),
        help="Shop-specific thesaurus groups, canonical word → the other words customers use for "
        "it (search treats them as the same thing), on top of the built-in thesaurus.",
    )
    review_days: int = setting(
        90,
        "An entry not reviewed for this many days is due for a re-check (`scriptlab library due`; "
        "faq.json and the page mark it stale).",
    )
    review_rise: float = setting(
        0.5,
        "Also due: the question's share of all questions rose by this fraction (0.5 = +50%) from "
        "one mining run to the next since the last review …",
    )
    review_min_count: int = setting(
        2,
        "… or a mining run since then found a wording the entry has not seen, asked this often.",
    )
    quick_replies: dict[str, dict] = setting(
        factory=dict,
        help="Quick-reply import files (千牛, 抖店飞鸽, 京麦) written by `publish`, per "
        "platform, e.g. { qianniu = { max_length = 500, placeholder = \"{name}\", columns = "
        "{ group = \"分组\" } } } (see README, \"Quick-reply exports\"); platforms not named "
        "keep the built-in layout.",
    )


def word_table(value: object, setting: str) -> dict[str, list[str]]:
    """Check a ``name = ["word", ...]`` table setting (`categories`, `synonyms`)."""
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, list | tuple) and all(isinstance(w, str) for w in v)
        for k, v in value.items()
    ):
        raise ScriptlabError(
            f"scriptlab.toml: [library] {setting} should be a table of name = "
            f'["word", ...], e.g. {setting} = {{ "物流" = ["发货", "快递"] }}.'
        )
    return {k: list(v) for k, v in value.items()}
