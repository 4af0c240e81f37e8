"""What each quiz question carries: customer phrasings as context, a reference answer.

The phrasings show agents how customers really ask (not just the tidy representative);
the reference answer is what scoring compares against: the approved library script when
there is one, else the reply agents sent most often in the logs, ignoring replies that
are only small talk ("亲，在的", "好的") or too short to answer anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from scriptlab.text.normalize import clean, strip_small_talk


def context_phrasings(
    representative: str, variants: Sequence[tuple[str, int]], limit: int
) -> list[str]:
    """Up to `limit` distinct real phrasings, most frequent first, other than the representative.

    Parameters
    ----------
    representative
        The group's representative question (already shown as the question itself).
    variants
        (text, count) pairs of the group's phrasings.
    limit
        How many to keep.
    """
    seen = {clean(representative)}
    out: list[str] = []
    for text, _count in sorted(variants, key=lambda v: -v[1]):
        key = clean(text)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(text.strip())
        if len(out) >= limit:
            break
    return out


def reference_answer(
    replies: Sequence[tuple[str, int]], approved_script: str | None, *, min_chars: int
) -> str | None:
    """The approved script, else the most common substantive logged reply (None if none).

    A reply is substantive when, without greetings and acknowledgements, at least
    `min_chars` characters remain. Equal counts: the longer reply (it usually says more).
    """
    if approved_script:
        return approved_script
    good = [
        (text.strip(), count) for text, count in replies
        if len(strip_small_talk(clean(text))) >= min_chars
    ]
    if not good:
        return None
    return max(good, key=lambda r: (r[1], len(r[0])))[0]
