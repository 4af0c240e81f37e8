"""The committed sample's files, written by one function shared by `python -m
scriptlab.sample`, `scriptlab sample` and `scriptlab demo`."""

from __future__ import annotations

from pathlib import Path

CHATS_NAME = "sample_chats.csv"
LABELS_NAME = "sample_labels.csv"
HELDOUT_NAME = "sample_heldout.csv"
GBK_NAME = "sample_chats_gbk.csv"


def write_sample(
    out: Path,
    n_messages: int = 6000,
    seed: int = 7,
    start: str = "2026-10-05",
    weeks: int = 6,
    *,
    heldout_per_intent: int = 5,
    heldout_seed: int = 99,
    gbk_messages: int = 300,
    gbk_seed: int = 8,
) -> list[Path]:
    """Write chats, labels, held-out queries and (optionally) the GB18030 copy into `out`.

    Returns the paths written, chat log first.
    """
    from scriptlab.sample.generator import write_chat_log, write_gbk_sample
    from scriptlab.sample.holdout import heldout_queries

    out.mkdir(parents=True, exist_ok=True)
    chats, labels = write_chat_log(
        out / CHATS_NAME, n_messages, seed, start, weeks,
        labels_path=out / LABELS_NAME, encoding="utf-8-sig",
    )
    heldout = heldout_queries(heldout_per_intent, heldout_seed)
    heldout.to_csv(out / HELDOUT_NAME, index=False, encoding="utf-8", lineterminator="\n")
    written = [Path(chats), Path(labels), out / HELDOUT_NAME]
    if gbk_messages:
        written.append(Path(write_gbk_sample(out / GBK_NAME, gbk_messages, gbk_seed, start, weeks)))
    return written
