"""Guess a text file's encoding, so users never have to say it.

Chinese exports come as UTF-8 (often with a BOM, for Excel) or GBK/GB18030.
GB18030 is a superset of GBK and GB2312, so it is the one name we use for all three.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from scriptlab.errors import ScriptlabError

SAMPLE_BYTES = 1 << 20


def detect_encoding(path: Path) -> str:
    """Return `utf-8-sig`, `utf-8`, `gb18030` or charset-normalizer's best guess."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    complete = len(sample) < SAMPLE_BYTES
    mixed = _utf8_then_not(sample, final=complete)
    if mixed is not None:
        found = first_bad_line(path, "utf-8")
        line, where = found if found else (sample[:mixed].count(b"\n") + 1, mixed)
        raise mixed_encoding_error(path, "UTF-8", line, where)
    for encoding in ("utf-8", "gb18030"):
        if _decodes(sample, encoding, final=complete):
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise ScriptlabError(
            f"{path}: cannot tell the text encoding (not UTF-8, not GBK/GB18030). "
            "Save the file as UTF-8 (Excel: 'CSV UTF-8') and try again."
        )
    return best.encoding


def _utf8_then_not(sample: bytes, *, final: bool) -> int | None:
    """Where UTF-8 breaks in a sample that is clearly UTF-8 (Chinese) before that, else None.

    Such a file mixes encodings; read as GB18030 it would come out garbled without error.
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
    except UnicodeDecodeError as exc:
        before = sample[: exc.start].decode("utf-8", errors="ignore")
        if sum(1 for ch in before if "\u4e00" <= ch <= "\u9fff") >= 4:
            return exc.start
    return None


def _decodes(sample: bytes, encoding: str, *, final: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        # A sample cut mid-character is fine: only a complete file must end cleanly.
        decoder.decode(sample, final=final)
    except UnicodeDecodeError:
        return False
    return True


# A chat-log table starts with a short header row; a first line longer than this is not one.
MAX_HEADER_BYTES = 1 << 16


def check_first_line(path: Path) -> None:
    """Refuse at once a text file whose first line is huge (one 200 MB line is no table)."""
    with open(path, "rb") as fh:
        head = fh.read(MAX_HEADER_BYTES)
    if len(head) == MAX_HEADER_BYTES and b"\n" not in head and b"\r" not in head:
        size = path.stat().st_size
        raise ScriptlabError(
            f"{path}: the first line is longer than {MAX_HEADER_BYTES // 1024} KB (the file "
            f"has {size:,} bytes and no line break there), so it is not a chat-log table. "
            "Export the chat log again as CSV with a header row and one message per row."
        )


def first_bad_line(path: Path, encoding: str) -> tuple[int, int] | None:
    """(line number, byte offset) of the first line that is not valid `encoding`, or None."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    offset = 0
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode(codec)
            except UnicodeDecodeError as exc:
                return number, offset + exc.start
            offset += len(line)
    return None


def mixed_encoding_error(path: Path, encoding: str, line: int, where: int) -> ScriptlabError:
    name = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030"}.get(encoding, encoding)
    return ScriptlabError(
        f"{path} line {line}: not valid {name} at byte {where:,} while the lines before "
        "it are (the file mixes encodings, e.g. UTF-8 and GBK rows). Save the whole file in "
        "one encoding (UTF-8) and try again."
    )
