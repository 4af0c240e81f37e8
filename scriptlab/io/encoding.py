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


def _decodes(sample: bytes, encoding: str, *, final: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        # A sample cut mid-character is fine: only a complete file must end cleanly.
        decoder.decode(sample, final=final)
    except UnicodeDecodeError:
        return False
    return True
