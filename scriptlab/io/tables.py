"""Whole tables in: a CSV/TSV/XLSX file read as text columns. (CSV out goes through the
formula guard, `scriptlab.cells.csv_text`; a file's hash is `scriptlab.files.file_sha256`.)"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scriptlab.errors import ScriptlabError

if TYPE_CHECKING:
    import pandas as pd

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")


def read_frame(path: Path, name: str) -> pd.DataFrame:
    """Every cell of a CSV/TSV (encoding guessed) or the first XLSX sheet, as text.

    `name` says what the file holds, for messages ("agents": "the agents CSV/XLSX file").
    The index holds the spreadsheet's own row numbers: the header is row 1.
    """
    import pandas as pd

    if not path.is_file():
        raise ScriptlabError(f"{path}: no such file. Give the path of the {name} CSV/XLSX file.")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix in (".csv", ".tsv"):
            from scriptlab.io.encoding import detect_encoding

            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding=detect_encoding(path),
                sep="\t" if suffix == ".tsv" else ",",
            )
        else:
            raise ScriptlabError(
                f"{path}: unsupported file type '{suffix}'; give a .csv or .xlsx {name} file."
            )
    except ScriptlabError:
        raise
    except Exception as exc:  # pandas/openpyxl raise many kinds for broken files
        raise ScriptlabError(f"{path}: cannot read the file ({exc}).") from exc
    frame.index = range(2, len(frame) + 2)
    return frame
