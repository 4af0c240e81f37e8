"""千牛 (Qianniu / AliWangwang) chat-record text exports.

A record is a header line naming the buyer, then blocks of a "nickname time" line and the
message lines under it::

    与 tb_buyer01 的聊天记录
    tb_buyer01 2026-11-02 14:03:05
    在吗，什么时候发货
    暖居旗舰店:小美 2026-11-02 14:03:30
    亲，48小时内发货

One file may hold one conversation or many (a merged export: one header per buyer). The
buyer named in the header is the customer; every other nickname is an agent (the part
after the shop name and colon is kept as the agent id). A file without a header takes
the buyer from its name (``与tb_buyer01的聊天记录.txt``) or, failing that, treats the first
nickname as the customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

HEADER = re.compile(r"^\s*[-=—]*\s*与\s*(?P<buyer>.+?)\s*的(?:聊天|消息)记录\s*[-=—]*\s*$")
TIME = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+\d{1,2}:\d{2}(?::\d{2})?"
BLOCK = re.compile(rf"^\s*(?P<name>\S.*?)\s*[(（]?(?P<time>{TIME})[)）]?\s*$")
SEPARATOR = re.compile(r"^\s*[-=—_*]{3,}\s*$")
NOISE = re.compile(r"^\s*(?:消息记录|聊天记录导出|导出时间|-{3,}|={3,}).*$")
SNIFF_LINES = 40


def looks_like_transcript(path: Path, encoding: str) -> bool:
    """A .txt export whose first lines hold a 与…的聊天记录 header or "nickname time" lines."""
    try:
        with open(path, encoding=encoding, errors="replace") as fh:
            lines = [line for _, line in zip(range(SNIFF_LINES), fh, strict=False)]
    except OSError:
        return False
    if any(HEADER.match(line) for line in lines):
        return True
    blocks = sum(1 for line in lines if BLOCK.match(line) and "," not in line)
    return blocks >= 2


def _agent_name(name: str) -> str:
    """`暖居旗舰店:小美` → `小美` (the shop's sub-account); plain nicknames stay."""
    return re.split(r"[:：]", name, maxsplit=1)[-1].strip() or name


def read_transcript(path: Path, encoding: str,
                    chunksize: int) -> Iterator[tuple[pd.DataFrame, int]]:
    """Yield standard-column chunks (with a ``__line__`` column of source line numbers)."""
    from_name = HEADER.match(path.stem.replace("_", " "))
    buyer = from_name.group("buyer").strip() if from_name else ""
    session = buyer or path.stem
    records: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    conversations = 0

    def flush() -> None:
        if current is not None:
            current["text"] = "\n".join(current.pop("lines")).strip()  # type: ignore[arg-type]
            records.append(current)

    with open(path, encoding=encoding, errors="strict") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            header = HEADER.match(line)
            if header:
                flush()
                current = None
                conversations += 1
                buyer = header.group("buyer").strip()
                session = f"{buyer}#{conversations}"
                continue
            block = BLOCK.match(line)
            if block:
                flush()
                name = block.group("name").strip()
                if not buyer:
                    buyer = name
                is_customer = name == buyer
                current = {
                    "session_id": session,
                    "timestamp": re.sub(r"[年月]", "-", block.group("time")).replace("日", ""),
                    "role": "customer" if is_customer else "agent",
                    "agent_id": "" if is_customer else _agent_name(name),
                    "lines": [],
                    "__line__": number,
                }
                continue
            if current is not None and not SEPARATOR.match(line):
                current["lines"].append(line)  # type: ignore[union-attr]
            if len(records) >= chunksize:
                yield pd.DataFrame.from_records(records), int(records[0]["__line__"])
                records = []
    flush()
    yield (pd.DataFrame.from_records(records, columns=["session_id", "timestamp", "role",
                                                       "agent_id", "text", "__line__"]),
           int(records[0]["__line__"]) if records else 1)
