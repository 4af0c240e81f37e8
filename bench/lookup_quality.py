"""Lookup quality and speed on the bundled sample: hit@1 / hit@3 on held-out phrasings.

The library is built the way a team would build it: one entry per intent, its variants the
(masked) customer messages the sample log labels with that intent, most frequent first and
capped at `[library] max_variants`, its script the catalogue's model answer. Queries are
`data/sample_heldout.csv`, wordings the log grammar never produces.

Run from the repository root:

    python bench/lookup_quality.py                  # hit@k, score spread, speed
    python bench/lookup_quality.py --entries 5000   # p50/p99 query time on a big library
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from library_fixtures import (  # noqa: E402
    evaluate,  # noqa: E402
    sample_heldout,
    sample_library,
)

from scriptlab.library.faq import FaqEntry  # noqa: E402
from scriptlab.library.lookup import Searcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-variants", type=int, default=20)
    parser.add_argument("--entries", type=int, default=0,
                        help="Also time queries on a library grown to this many entries.")
    args = parser.parse_args()

    library = sample_library(max_variants=args.max_variants)
    queries = sample_heldout()
    start = time.perf_counter()
    searcher = Searcher(library)
    build = time.perf_counter() - start
    report = evaluate(searcher, queries)
    print(f"entries {len(library.entries)}, queries {report.queries}, "
          f"max_variants {args.max_variants}, index built in {build * 1000:.1f} ms")
    print(f"hit@1 {report.hit_at_1:.3f}  hit@3 {report.hit_at_3:.3f}  "
          f"below min_confidence {library.min_confidence}: {report.unconfident} "
          f"({report.unconfident_correct} of them ranked right)")
    for miss in report.misses:
        print(f"  miss: {miss}")
    if args.entries:
        time_big(library, queries, args.entries)


def time_big(library, queries, size: int) -> None:
    """Grow the library with shuffled copies of real entries, then time every query."""
    rng = random.Random(1)
    entries = list(library.entries)
    base = list(library.entries)
    while len(entries) < size:
        e = rng.choice(base)
        variants = list(e.variants)
        rng.shuffle(variants)
        words = list(e.question)
        rng.shuffle(words)
        entries.append(FaqEntry(**{**e.to_json(), "id": len(entries) + 1,
                                   "question": "".join(words), "tags": e.tags,
                                   "variants": tuple(variants[: rng.randint(3, 20)])}))
    from dataclasses import replace

    big = replace(library, entries=tuple(entries))
    start = time.perf_counter()
    searcher = Searcher(big)
    build = time.perf_counter() - start
    times = []
    for _ in range(3):
        for _intent, query in queries:
            t = time.perf_counter()
            searcher.lookup(query, top=3)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"{len(entries)} entries: index built in {build:.2f} s; query p50 "
          f"{statistics.median(times):.2f} ms, p99 {p99:.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
