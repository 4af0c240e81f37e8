"""Readers for exported chat logs (CSV, TSV, JSONL/JSON, XLSX; UTF-8 or GBK/GB18030)."""

from scriptlab.logs.readers import (
    STANDARD_COLUMNS,
    ReadStats,
    iter_chat_log,
    read_chat_log,
    read_chat_logs,
)

__all__ = ["STANDARD_COLUMNS", "ReadStats", "iter_chat_log", "read_chat_log", "read_chat_logs"]
