"""``python -m scriptlab.sample``: write the sample chat log, labels, held-out queries and GBK copy.

Example: python -m scriptlab.sample --messages 6000 --seed 7 --out data/
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (all have the defaults of the committed sample)."""
    parser = argparse.ArgumentParser(
        prog="python -m scriptlab.sample",
        description="Generate a seeded Chinese e-commerce chat log with ground-truth intents.",
    )
    parser.add_argument("--messages", type=int, default=6000, help="rows in the chat log")
    parser.add_argument("--seed", type=int, default=7, help="seed of the chat log")
    parser.add_argument("--start", default="2026-10-05", help="first day (ISO date)")
    parser.add_argument("--weeks", type=int, default=6, help="length of the period in weeks")
    parser.add_argument("--out", type=Path, default=Path("data"), help="output folder")
    parser.add_argument("--heldout-per-intent", type=int, default=5,
                        help="held-out queries per intent")
    parser.add_argument("--heldout-seed", type=int, default=99, help="seed of the held-out queries")
    parser.add_argument("--gbk-messages", type=int, default=300,
                        help="rows of the GB18030 copy (0: don't write it)")
    parser.add_argument("--gbk-seed", type=int, default=8, help="seed of the GB18030 copy")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Write the sample files into ``--out`` and print what was written."""
    args = build_parser().parse_args(argv)
    if args.messages < 0 or args.weeks < 1 or args.heldout_per_intent < 1 or args.gbk_messages < 0:
        print("error: --messages/--gbk-messages must be >= 0, --weeks and --heldout-per-intent "
              ">= 1", file=sys.stderr)
        return 2
    from scriptlab.sample.files import write_sample

    began = time.perf_counter()
    written = write_sample(
        args.out, args.messages, args.seed, args.start, args.weeks,
        heldout_per_intent=args.heldout_per_intent, heldout_seed=args.heldout_seed,
        gbk_messages=args.gbk_messages, gbk_seed=args.gbk_seed,
    )
    elapsed = time.perf_counter() - began
    for path in written:
        print(f"wrote {path}")
    print(f"{args.messages} messages in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
