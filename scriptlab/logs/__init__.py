"""Readers for exported chat logs (CSV, TSV, JSONL/JSON, XLSX; UTF-8 or GBK/GB18030).

The public names are loaded lazily so that importing the CLI (and `scriptlab lookup`)
does not pay for pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["STANDARD_COLUMNS", "ReadStats", "iter_chat_log", "read_chat_log", "read_chat_logs"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from scriptlab.logs import readers

        return getattr(readers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
