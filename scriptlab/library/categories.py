"""Give an approved entry a category (物流, 售后, 商品 …) from keywords in its question.

Agents filter the published page by category, so a sensible default matters more than a
clever one: count keyword hits in the question, its customer phrasings and its mining tags;
the category with the most hits wins (ties: the one listed first); none → the default.
A team lead can always set it explicitly with `scriptlab library approve --category`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def derive_category(
    texts: Iterable[str], rules: Mapping[str, Sequence[str]], default: str
) -> str:
    """The category whose keywords occur most often in `texts`.

    Parameters
    ----------
    texts:
        Question, customer phrasings and tags of one entry.
    rules:
        Category → keywords (``[library] categories`` in scriptlab.toml).
    default:
        Returned when no keyword occurs.

    Returns
    -------
    str
        The category name.
    """
    joined = "\n".join(t.lower() for t in texts)
    best, best_hits = default, 0
    for category, keywords in rules.items():
        hits = sum(joined.count(str(k).lower()) for k in keywords if str(k))
        if hits > best_hits:
            best, best_hits = category, hits
    return best
