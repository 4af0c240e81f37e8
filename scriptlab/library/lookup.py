"""`scriptlab lookup`: the approved script for a customer's own words, from faq.json alone.

Agents use this mid-chat, so it must answer in well under a second from a cold start: it
reads one JSON file and ranks in pure Python (`scriptlab.library.search`); nothing here may
import pandas, scikit-learn, jieba or SQLAlchemy (tests/test_lookup.py checks). A big
library's search index is saved next to its faq.json (faq.index, written by `publish` and
refreshed by `lookup` whenever faq.json or scriptlab changed), so it is not rebuilt on every
call; deleting it is always safe.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.library.faq import FAQ_FILE, FaqEntry, FaqLibrary, latest_faq_path, load_faq
from scriptlab.library.search import SearchDoc, SearchIndex, index_key

WORKSPACE_ENV = "SCRIPTLAB_WORKSPACE"
INDEX_SUFFIX = ".index"
INDEX_FILE = Path(FAQ_FILE).with_suffix(INDEX_SUFFIX).name  # faq.index, next to faq.json
# Building the index of a few hundred entries takes a noticeable part of a second; from this
# many entries on, the index is saved next to faq.json and loaded from there.
SAVE_INDEX_FROM = 200


@dataclass(frozen=True)
class Match:
    """One ranked entry: its score (0-1) and the phrasing that matched best."""

    rank: int
    score: float
    matched: str
    entry: FaqEntry


@dataclass(frozen=True)
class LookupResult:
    """Ranked entries for a query; `confident` is False below the library's threshold."""

    query: str
    matches: tuple[Match, ...]
    confident: bool
    min_confidence: float
    library: FaqLibrary

    def to_json(self) -> dict[str, Any]:
        lib = self.library
        return {
            "query": _masked(self.query),
            "confident": self.confident,
            "min_confidence": self.min_confidence,
            "library": {"version": lib.version, "published_at": lib.published_at,
                        "source": lib.source},
            "matches": [
                {"rank": m.rank, "score": round(m.score, 4), "matched": m.matched,
                 "entry": m.entry.to_json()}
                for m in self.matches
            ],
        }


def resolve_library(library: Path | str | None, workspace: Path | str | None = None) -> Path:
    """The faq.json to search: a file as given, a published folder's, or a workspace's newest.

    Parameters
    ----------
    library:
        A faq.json, a folder holding one (reports/library-v3), or a workspace folder.
    workspace:
        Used when `library` is not given (else $SCRIPTLAB_WORKSPACE, else the current folder).
    """
    if library is None:
        root = Path(workspace or os.environ.get(WORKSPACE_ENV) or ".")
        path = latest_faq_path(root.expanduser().resolve())
        if not path.exists():
            raise ScriptlabError(
                f"No published library in workspace {root.expanduser().resolve()} (no {path}). "
                "Publish one with `scriptlab publish`, or pass --library path/to/faq.json."
            )
        return path
    library = Path(library).expanduser().resolve()
    if library.is_dir():
        for path in (library / FAQ_FILE, latest_faq_path(library)):
            if path.exists():
                return path
        raise ScriptlabError(
            f"{library} has no faq.json and is not a workspace with a published library. "
            "Pass --library path/to/faq.json, or publish first with `scriptlab publish`."
        )
    return library


def check_options(query: str, top: int, min_confidence: float | None) -> None:
    """Reject a bad command line before any file is read."""
    if not query.strip():
        raise UsageError('The query is empty: give the customer\'s words, e.g. '
                         'scriptlab lookup "几天能发货"')
    if top < 1:
        raise UsageError(f"--top must be at least 1, got {top}.")
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise UsageError(f"--min-confidence must be between 0 and 1, got {min_confidence}.")


def search_docs(library: FaqLibrary) -> list[SearchDoc]:
    """What the index searches for each entry: question and variants, and the script."""
    return [SearchDoc((e.question, *e.variants), e.script) for e in library.entries]


def index_path(faq_path: Path) -> Path:
    """Where the saved search index of a faq.json lives: next to it (faq.json → faq.index)."""
    return faq_path.with_suffix(INDEX_SUFFIX)


def load_index(faq_path: Path, library: FaqLibrary) -> SearchIndex:
    """The search index of `library` (read from `faq_path`): loaded from the saved index
    next to it when that is there and current, else built (and saved, for a big library,
    when the folder is writable; a read-only shared folder just means building each time)."""
    docs = search_docs(library)
    key = index_key(docs, library.synonyms)
    path = index_path(faq_path)
    try:
        return SearchIndex.from_bytes(path.read_bytes(), key, docs, library.synonyms)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass  # missing, stale or damaged: build it
    index = SearchIndex(docs, library.synonyms)
    if len(docs) >= SAVE_INDEX_FROM:
        save_index(index, key, path)
    return index


def write_index(library: FaqLibrary, faq_path: Path) -> Path:
    """Build and save the search index for `library`, to be published next to `faq_path`."""
    docs = search_docs(library)
    index = SearchIndex(docs, library.synonyms)
    path = index_path(faq_path)
    path.write_bytes(index.to_bytes(index_key(docs, library.synonyms)))
    return path


def save_index(index: SearchIndex, key: str, path: Path) -> bool:
    """Write the index atomically (temp file, then rename); False if the folder refuses."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(index.to_bytes(key))
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        return False
    return True


class Searcher:
    """A loaded library with its search index, for one or many lookups."""

    def __init__(self, library: FaqLibrary, index: SearchIndex | None = None) -> None:
        self.library = library
        self.index = index or SearchIndex(search_docs(library), library.synonyms)

    @classmethod
    def from_path(cls, path: Path) -> Searcher:
        """The library in a faq.json, with its saved index when there is a current one."""
        library = load_faq(path)
        return cls(library, load_index(path, library))

    def lookup(
        self, query: str, top: int = 3, min_confidence: float | None = None
    ) -> LookupResult:
        """Rank the entries for `query`.

        Parameters
        ----------
        query:
            The customer's words, as typed.
        top:
            How many entries to return at most.
        min_confidence:
            Override the library's threshold (0-1).

        Returns
        -------
        LookupResult
            Best first; ``confident`` says whether the best one clears the threshold.
        """
        check_options(query, top, min_confidence)
        threshold = self.library.min_confidence if min_confidence is None else min_confidence
        hits = self.index.search(query, top)
        matches = tuple(
            Match(n, h.score, h.matched, self.library.entries[h.index])
            for n, h in enumerate(hits, start=1)
        )
        confident = bool(matches) and matches[0].score >= threshold
        return LookupResult(query, matches, confident, threshold, self.library)


def lookup(
    query: str,
    library: Path | str | None = None,
    *,
    workspace: Path | str | None = None,
    top: int = 3,
    min_confidence: float | None = None,
) -> LookupResult:
    """Find the scripts for `query` in a published library (see `resolve_library`)."""
    check_options(query, top, min_confidence)
    searcher = Searcher.from_path(resolve_library(library, workspace))
    return searcher.lookup(query, top=top, min_confidence=min_confidence)


def _masked(query: str) -> str:
    """The query as echoed back: a customer's words may hold a phone number or a name."""
    from scriptlab.text.mask import mask_text

    return mask_text(query)
