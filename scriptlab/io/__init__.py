"""Tables in and out, for every stage: the one place files people fill in are read and
spreadsheets are written.

- `encoding`: guess a text file's encoding (UTF-8 with or without BOM, GB18030, …);
- `spreadsheet`: read CSV/XLSX tables with loosely matched headers and Excel's row numbers;
- `tables`: read a whole CSV/TSV/XLSX file as text columns.

Writing goes through the formula guard in `scriptlab.cells` and the careful writer in
`scriptlab.files`, which also hashes a file (what an import is recognised by).

Recording an import in the workspace is the store's (`scriptlab.store.imports`).
"""
