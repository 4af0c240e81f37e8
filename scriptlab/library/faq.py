"""The published library file, `faq.json`: its entries, reading it back, checking it.

This is the contract with everything downstream of `scriptlab publish` (the HTML page,
`scriptlab lookup`, a shop's own tools), documented as a JSON Schema in `faq.schema.json`
next to this module. Reading it must stay cheap: `scriptlab lookup` loads it on every call,
so this module imports nothing heavier than `json` (the full schema check with
`jsonschema` is for tests and `publish`, not for every lookup).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from scriptlab.errors import ScriptlabError
from scriptlab.library.settings import LibrarySettings

SCHEMA_VERSION = 1
FAQ_FILE = "faq.json"
SCHEMA_FILE = Path(__file__).with_name("faq.schema.json")
LATEST_DIR = "library-latest"  # reports/library-latest/: the newest version, for `lookup`


@dataclass(frozen=True)
class FaqEntry:
    """One approved script as published (see faq.schema.json for each field)."""

    id: int
    topic_id: int | None
    category: str
    tags: tuple[str, ...]
    question: str
    variants: tuple[str, ...]
    script: str
    author_agent_id: str | None
    author_agent_name: str | None
    score: float | None
    quiz_week: str | None
    version: int
    approved_by: str
    approved_at: str
    updated_at: str
    # Optional in faq.json (added without a schema_version change; see faq.schema.json).
    code: str = ""
    reviewed_at: str = ""
    review_due: str = ""
    stale: bool = False
    review_reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        from scriptlab.text.variables import variables

        data = asdict(self)
        data["tags"] = list(self.tags)
        data["variants"] = list(self.variants)
        data["review_reasons"] = list(self.review_reasons)
        data["variables"] = variables(self.script)
        for name in ("code", "reviewed_at", "review_due"):  # absent rather than empty
            if not data[name]:
                del data[name]
        return data

    @property
    def content(self) -> tuple[Any, ...]:
        """What agents see: a change here is a "changed" entry in the changelog."""
        return (self.category, self.tags, self.question, self.variants, self.script)


@dataclass(frozen=True)
class FaqLibrary:
    """A published library version: metadata, search settings and entries."""

    version: int
    published_at: str
    published_by: str
    changelog: dict[str, list[dict[str, Any]]]
    min_confidence: float
    synonyms: dict[str, list[str]]
    entries: tuple[FaqEntry, ...]
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        """The faq.json document (without `source`, which is where it was read from)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "library": {
                "version": self.version,
                "published_at": self.published_at,
                "published_by": self.published_by,
                "entry_count": len(self.entries),
                "changelog": self.changelog,
            },
            "search": {"min_confidence": self.min_confidence, "synonyms": self.synonyms},
            "entries": [e.to_json() for e in self.entries],
        }

    @property
    def categories(self) -> list[str]:
        """Categories in first-seen order."""
        return list(dict.fromkeys(e.category for e in self.entries))


def dumps(library: FaqLibrary) -> str:
    """faq.json text: UTF-8 Chinese kept readable, stable key order."""
    return json.dumps(library.to_json(), ensure_ascii=False, indent=2) + "\n"


def load_faq(path: Path) -> FaqLibrary:
    """Read and check a faq.json; any problem is a `ScriptlabError` naming the file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScriptlabError(
            f"{path}: no such file. Give the faq.json of a published library "
            "(scriptlab publish writes one) or a workspace folder."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScriptlabError(
            f"{path}: not a readable faq.json ({exc}). Publish it again with: scriptlab publish"
        ) from None
    try:
        library = parse_faq(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise ScriptlabError(
            f"{path}: not a valid scriptlab faq.json ({_reason(exc)}). Publish it again with: "
            "scriptlab publish"
        ) from None
    return replace(library, source=str(path))


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def parse_faq(raw: Any) -> FaqLibrary:
    """A `FaqLibrary` from parsed JSON; raises KeyError/TypeError/ValueError if malformed."""
    if not isinstance(raw, dict):
        raise TypeError("the top level must be an object")
    version = raw["schema_version"]
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"schema_version must be a positive whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise ValueError(
            f"schema_version {version} is newer than this scriptlab understands "
            f"({SCHEMA_VERSION}); upgrade scriptlab"
        )
    # `publish` writes every field; a shop's own file needs only schema_version and entries
    # with id, question and script (the library and search blocks then take defaults).
    meta, search, entries = raw.get("library", {}), raw.get("search", {}), raw["entries"]
    for name, value in (("library", meta), ("search", search)):
        if not isinstance(value, dict):
            raise TypeError(f"'{name}' must be an object")
    if not isinstance(entries, list):
        raise TypeError("'entries' must be a list")
    return FaqLibrary(
        version=_int(meta.get("version", 1), "library.version"),
        published_at=_str(meta.get("published_at", ""), "library.published_at"),
        published_by=_str(meta.get("published_by", ""), "library.published_by"),
        changelog=meta.get("changelog") or {"added": [], "changed": [], "retired": []},
        min_confidence=float(search.get("min_confidence", LibrarySettings.min_confidence)),
        synonyms={str(k): [str(w) for w in v] for k, v in (search.get("synonyms") or {}).items()},
        entries=tuple(entry_from_json(e, n) for n, e in enumerate(entries)),
    )


def entry_from_json(raw: Any, n: int = 0) -> FaqEntry:
    """One entry of faq.json (`n` is its position, for error messages)."""
    where = f"entries[{n}]"
    if not isinstance(raw, dict):
        raise TypeError(f"{where} must be an object")
    try:
        return FaqEntry(
            id=_int(raw["id"], f"{where}.id"),
            topic_id=raw.get("topic_id"),
            category=_str(raw.get("category") or "", f"{where}.category"),
            tags=tuple(_strs(raw.get("tags", []), f"{where}.tags")),
            question=_str(raw["question"], f"{where}.question"),
            variants=tuple(_strs(raw.get("variants", []), f"{where}.variants")),
            script=_str(raw["script"], f"{where}.script"),
            author_agent_id=raw.get("author_agent_id"),
            author_agent_name=raw.get("author_agent_name"),
            score=raw.get("score"),
            quiz_week=raw.get("quiz_week"),
            version=_int(raw.get("version", 1), f"{where}.version"),
            approved_by=_str(raw.get("approved_by", ""), f"{where}.approved_by"),
            approved_at=_str(raw.get("approved_at", ""), f"{where}.approved_at"),
            updated_at=_str(raw.get("updated_at", ""), f"{where}.updated_at"),
            code=_str(raw.get("code", ""), f"{where}.code"),
            reviewed_at=_str(raw.get("reviewed_at", ""), f"{where}.reviewed_at"),
            review_due=_str(raw.get("review_due", ""), f"{where}.review_due"),
            stale=raw.get("stale", False) is True,
            review_reasons=tuple(_strs(raw.get("review_reasons", []), f"{where}.review_reasons")),
        )
    except KeyError as exc:
        raise KeyError(f"{where}.{exc.args[0]}") from None


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{where} must be a whole number, got {value!r}")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{where} must be a string, got {value!r}")
    return value


def _strs(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{where} must be a list of strings")
    return value


def latest_faq_path(ws_root: Path) -> Path:
    """Where `scriptlab publish` leaves the newest faq.json of a workspace."""
    return ws_root / "reports" / LATEST_DIR / FAQ_FILE
