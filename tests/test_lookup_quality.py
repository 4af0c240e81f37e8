"""Lookup quality: libraries queried with wordings they have never seen.
Numbers: `python bench/lookup_quality.py`.

On the bundled sample (entries built from the logged phrasings):
- unseen: phrasings of the log's grammar that the library does not hold (the issue's
  protocol: built from one set of the generator's phrasings, queried with others);
- `data/sample_heldout.csv`: the generator's second, disjoint grammar (a stress test: it
  shares almost no characters with the library; never tuned on);
- `SAMPLE_PARAPHRASES` / `SAMPLE_DISTANT_PARAPHRASES` in tests/library_fixtures.py:
  hand-written customer wordings, the distant ones avoiding the library's own words.
On eight other shops (tests/data/lookup_shops*.json, written by people who never saw the
search code): small FAQ libraries (question, two variants, script) and customer wordings,
plus questions none of their entries answers. "shops" (electronics, beauty, food, home)
were written for the first thesaurus extension, "more" (baby, pets, shoes, sports) after it
(hit@1 0.713 on its test half then), before a second extension covered those domains too."""

from __future__ import annotations

import pytest
from library_fixtures import (
    SAMPLE_DIR,
    evaluate,
    evaluate_shops,
    sample_heldout,
    sample_library,
    sample_paraphrases,
    sample_unseen,
)

from scriptlab.library.lookup import Searcher

pytestmark = pytest.mark.skipif(
    not (SAMPLE_DIR / "sample_heldout.csv").exists(),
    reason="needs the bundled sample (python -m scriptlab.sample --out data/)",
)

# Measured with the method in scriptlab/library/search.py (hit@1, hit@3), a little below:
# a regression under these fails. Measured: unseen 0.961 / 0.992, heldout 0.588 / 0.773,
# paraphrases 0.926 / 0.980, distant paraphrases 0.804 / 0.902, shops dev 0.906 / 0.963,
# shops test 0.854 / 0.958, more dev 0.950 / 1.000, more test 0.796 / 0.950.
FLOORS = {
    "unseen": (0.93, 0.97),
    "heldout": (0.55, 0.74),
    "paraphrases": (0.90, 0.96),
    "distant": (0.77, 0.87),
    "shops dev": (0.86, 0.93),
    "shops test": (0.81, 0.93),
    "more dev": (0.92, 0.97),
    "more test": (0.76, 0.92),
}
QUERIES = {"unseen": 255, "heldout": 255, "paraphrases": 204, "distant": 102, "shops dev": 160,
           "shops test": 240, "more dev": 160, "more test": 240}


@pytest.fixture(scope="module")
def library():
    return sample_library()


@pytest.fixture(scope="module")
def shops():
    return {f"{collection} {half}": evaluate_shops(half, collection)
            for collection in ("shops", "more") for half in ("dev", "test")}


@pytest.fixture(scope="module")
def quality(library, shops):
    searcher = Searcher(library)
    return {
        "unseen": evaluate(searcher, sample_unseen(library)),
        "heldout": evaluate(searcher, sample_heldout()),
        "paraphrases": evaluate(searcher, sample_paraphrases()),
        "distant": evaluate(searcher, sample_paraphrases(distant=True)),
        **{name: report.quality for name, report in shops.items()},
    }


@pytest.mark.parametrize("name", list(FLOORS))
def test_quality_does_not_regress(quality, name: str) -> None:
    report = quality[name]
    print(f"{name}: hit@1 {report.hit_at_1:.3f} hit@3 {report.hit_at_3:.3f} "
          f"on {report.queries}")
    assert report.queries == QUERIES[name]
    assert report.hit_at_1 >= FLOORS[name][0]
    assert report.hit_at_3 >= FLOORS[name][1]


def test_sample_quality_meets_the_issue_bar(quality) -> None:
    """Issue 6: a library built from one set of the generator's phrasings, queried with
    phrasings of the same intents it does not hold: hit@1 >= 0.9, hit@3 >= 0.97."""
    assert quality["unseen"].hit_at_1 >= 0.9
    assert quality["unseen"].hit_at_3 >= 0.97


def test_most_right_answers_clear_the_confidence_threshold(quality) -> None:
    """`min_confidence` is calibrated so a right first answer to a hand-written paraphrase
    almost always clears it (a wrong one clears it about half the time)."""
    report = quality["paraphrases"]
    right = round(report.hit_at_1 * report.queries)
    assert (right - report.unconfident_correct) / right >= 0.9


def test_questions_no_entry_answers_mostly_get_no_match(shops) -> None:
    """The no-match path on the other shops: measured 10/12 and 15/16 (shops dev, test),
    9/12 and 13/16 (more dev, test) of the questions none of their entries answers fall
    below `min_confidence`."""
    for report in shops.values():
        assert report.unanswerable >= 12
        assert report.rejected / report.unanswerable >= 0.7


def test_right_answers_from_small_libraries_mostly_clear_the_threshold(shops) -> None:
    """Small libraries (question + 2 variants) score lower than the sample's; words no entry
    holds weigh half (`search.UNSEEN_WEIGHT`), so most right first answers still clear
    `min_confidence`: measured 123/145 and 172/205 (shops dev, test), 137/152 and 162/191
    (more dev, test)."""
    for report in shops.values():
        quality = report.quality
        right = round(quality.hit_at_1 * quality.queries)
        assert (right - quality.unconfident_correct) / right >= 0.8


@pytest.mark.xfail(
    strict=False,
    reason="the disjoint held-out grammar (a stress test beyond the issue's protocol) was "
           "written to share almost nothing with the log: 109 of its 255 queries share no "
           "character bigram with their entry (hand-written paraphrases: 17 of 204); lexical "
           "search with a thesaurus cannot reach 0.9 there, see README 'Quality'",
)
def test_disjoint_grammar_meets_the_bar_too(quality) -> None:
    assert quality["heldout"].hit_at_1 >= 0.9
    assert quality["heldout"].hit_at_3 >= 0.97
