"""`lookup`: ranking, the no-match path, finding the library, bad input, and a light start."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_fixtures import INTENTS, NOW, entry_json, faq_document, faq_entries, write_faq

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.library.faq import load_faq, parse_faq
from scriptlab.library.lookup import Searcher, lookup, resolve_library
from scriptlab.library.settings import DEFAULT_SYNONYMS

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "sklearn", "jieba", "sqlalchemy", "numpy", "scipy")


@pytest.fixture
def faq(tmp_path: Path) -> Path:
    return write_faq(tmp_path / "faq.json")


def searcher() -> Searcher:
    return Searcher(parse_faq(faq_document(faq_entries(), synonyms=DEFAULT_SYNONYMS)))


def test_hand_written_paraphrases_rank_their_entry_first() -> None:
    """Unseen, hand-written wordings (not from the sample generator) of 15 questions."""
    s = searcher()
    queries = [(n, q) for n, intent in enumerate(INTENTS, start=1) for q in intent.heldout]
    firsts = [s.lookup(q).matches[0].entry.id == n for n, q in queries]
    top3 = [n in [m.entry.id for m in s.lookup(q).matches] for n, q in queries]
    assert sum(firsts) / len(queries) >= 0.88
    assert sum(top3) / len(queries) >= 0.95


@pytest.mark.parametrize(
    ("query", "question", "confident"),
    [
        ("亲，在吗？拍下后几天能发货呀", "下单后多久发货？", True),  # greetings, particles
        ("請問可以開發票嗎", "可以开发票吗？", True),  # traditional characters
        ("ＳＦ顺丰能发吗？？？", "发什么快递？", True),  # full width, repeated punctuation
        ("七天无理由", "可以退货吗？", True),  # words of the script
        ("邮费要另外出吗", "包邮吗？", True),  # only the thesaurus links 邮费 to 包邮 / 运费
        # The entry never says 偏大 (only the thesaurus links 尺寸 to 尺码); a word no entry
        # holds weighs half, so the right answer still clears the threshold.
        ("尺寸偏大吗[微笑]", "尺码怎么选？", True),
    ],
)
def test_ranking_survives_chat_noise(query: str, question: str, confident: bool) -> None:
    result = searcher().lookup(query)
    assert result.matches[0].entry.question == question
    assert result.confident is confident


def test_scores_are_ranked_in_0_1_and_name_the_matched_phrasing() -> None:
    result = searcher().lookup("几天能发货", top=5)
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert [m.rank for m in result.matches] == [1, 2, 3, 4, 5]
    assert result.matches[0].matched == "几天能发货"


def test_no_good_match_still_shows_the_nearest() -> None:
    result = searcher().lookup("今天天气怎么样", top=3)
    assert not result.confident
    assert 0 < len(result.matches) <= 3
    assert result.matches[0].score < result.min_confidence
    nothing = searcher().lookup("abc xyz")
    assert (nothing.confident, nothing.matches) == (False, ())


def test_threshold_override() -> None:
    assert not searcher().lookup("几天能发货", min_confidence=1.0).confident
    assert searcher().lookup("今天天气怎么样", min_confidence=0.0).confident


def test_json_result_carries_the_entry() -> None:
    doc = searcher().lookup("能开发票吗", top=1).to_json()
    assert doc["confident"] is True
    assert doc["matches"][0]["entry"]["question"] == "可以开发票吗？"
    assert doc["matches"][0]["rank"] == 1
    json.dumps(doc, ensure_ascii=False)


def test_library_is_found_from_file_folder_or_workspace(tmp_path: Path, monkeypatch) -> None:
    published = tmp_path / "ws" / "reports" / "library-latest"
    published.mkdir(parents=True)
    path = write_faq(published / "faq.json")
    assert resolve_library(path) == path.resolve()
    assert resolve_library(published) == path.resolve()
    assert resolve_library(tmp_path / "ws") == path.resolve()
    assert resolve_library(None, tmp_path / "ws") == path.resolve()
    monkeypatch.setenv("SCRIPTLAB_WORKSPACE", str(tmp_path / "ws"))
    assert resolve_library(None) == path.resolve()
    assert lookup("几天发货").library.source == str(path.resolve())


def test_missing_library_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ScriptlabError) as err:
        resolve_library(None, tmp_path)
    assert str(err.value) == (
        f"No published library in workspace {tmp_path.resolve()} (no "
        f"{tmp_path.resolve() / 'reports' / 'library-latest' / 'faq.json'}). Publish one with "
        "`scriptlab publish`, or pass --library path/to/faq.json."
    )
    with pytest.raises(ScriptlabError) as err:
        resolve_library(tmp_path)
    assert str(err.value) == (
        f"{tmp_path.resolve()} has no faq.json and is not a workspace with a published library. "
        "Pass --library path/to/faq.json, or publish first with `scriptlab publish`."
    )
    with pytest.raises(ScriptlabError) as err:
        lookup("几天发货", tmp_path / "nope.json")
    assert str(err.value) == (
        f"{(tmp_path / 'nope.json').resolve()}: no such file. Give the faq.json of a published "
        "library (scriptlab publish writes one) or a workspace folder."
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not a readable faq.json (Expecting property name enclosed in double "
                      "quotes: line 1 column 2 (char 1))"),
        ("[]", "not a valid scriptlab faq.json (the top level must be an object)"),
        ('{"entries": []}', "not a valid scriptlab faq.json (missing field 'schema_version')"),
        ('{"schema_version": 9, "library": {}, "entries": []}',
         "not a valid scriptlab faq.json (schema_version 9 is newer than this scriptlab "
         "understands (1); upgrade scriptlab)"),
        ('{"schema_version": 1, "library": {"version": 1, "published_at": "x"}, '
         '"entries": [{"id": 1, "script": "s"}]}',
         "not a valid scriptlab faq.json (missing field 'entries[0].question')"),
        ('{"schema_version": 1, "library": {"version": 1, "published_at": "x"}, '
         '"entries": [{"id": 1, "question": "q", "script": "s", "variants": "v"}]}',
         "not a valid scriptlab faq.json (entries[0].variants must be a list of strings)"),
    ],
)
def test_invalid_faq_json_is_explained(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "faq.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        load_faq(path)
    assert str(err.value) == f"{path}: {reason}. Publish it again with: scriptlab publish"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "  "}, 'The query is empty: give the customer\'s words, e.g. scriptlab lookup '
                          '"几天能发货"'),
        ({"query": "发货", "top": 0}, "--top must be at least 1, got 0."),
        ({"query": "发货", "min_confidence": 1.5},
         "--min-confidence must be between 0 and 1, got 1.5."),
    ],
)
def test_bad_lookup_options(faq: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError) as err:
        lookup(library=faq, **kwargs)
    assert str(err.value) == message


def test_empty_library_finds_nothing(tmp_path: Path) -> None:
    result = lookup("几天发货", write_faq(tmp_path / "faq.json", entries=[]))
    assert (result.matches, result.confident) == ((), False)


def test_duplicate_phrasings_tie_break_by_position() -> None:
    entries = [entry_json(1, "包邮吗？", [], "满59包邮"), entry_json(2, "包邮吗？", [], "满59包邮")]
    result = Searcher(parse_faq(faq_document(entries))).lookup("包邮吗")
    assert [m.entry.id for m in result.matches] == [1, 2]
    assert result.matches[0].score == result.matches[1].score


LIGHT_IMPORTS = f"""
import sys, time
start = time.perf_counter()
from scriptlab.library.lookup import lookup
result = lookup("几天能发货", sys.argv[1])
assert result.matches
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(repr(heavy), time.perf_counter() - start)
"""


def test_lookup_path_imports_nothing_heavy(faq: Path) -> None:
    out = subprocess.run([sys.executable, "-c", LIGHT_IMPORTS, str(faq)], capture_output=True,
                         text=True, check=True, cwd=REPO).stdout.split()
    assert out[0] == "[]", f"heavy modules imported on the lookup path: {out[0]}"
    # The time it took is a benchmark figure (bench/run.py), not a unit-test bound.
    print(f"lookup path imports and first lookup: {float(out[1]):.2f} s")


def test_cli_lookup_cold_start(faq: Path) -> None:
    """The whole `scriptlab lookup` process: measured, and reported if it is slow."""
    command = [sys.executable, "-m", "scriptlab", "lookup", "几天能发货", "--library", str(faq)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert "下单后多久发货？" in done.stdout
    print(f"scriptlab lookup cold start: {elapsed:.2f} s")
    assert elapsed < 5.0  # generous: CI machines vary; the target (1 s) is in the README


def test_published_dates_round_trip(faq: Path) -> None:
    library = load_faq(faq)
    assert library.entries[0].approved_at == NOW.isoformat()
    assert library.source == str(faq)


# -- the saved index next to faq.json --------------------------------------------------------


def big_enough(monkeypatch, entries: int = 1) -> None:
    """Treat libraries of `entries` entries as big (saved index) in this test."""
    from scriptlab.library import lookup as module

    monkeypatch.setattr(module, "SAVE_INDEX_FROM", entries)


def test_a_big_library_saves_its_index_and_loads_it_next_time(faq: Path, monkeypatch) -> None:
    from scriptlab.library import search

    big_enough(monkeypatch)
    first = Searcher.from_path(faq)
    saved = faq.with_name("faq.index")
    assert saved.exists()
    monkeypatch.setattr(search.SearchIndex, "_build", lambda self: pytest.fail("rebuilt"))
    again = Searcher.from_path(faq)
    for query in ("几天能发货", "邮费要另外出吗", "今天天气怎么样", "请问开专票吗"):
        assert again.index.search(query, 5) == first.index.search(query, 5)
    assert not [p for p in faq.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_a_stale_or_damaged_index_is_rebuilt(faq: Path, monkeypatch) -> None:
    big_enough(monkeypatch)
    Searcher.from_path(faq)
    saved = faq.with_name("faq.index")
    first = saved.read_bytes()
    entries = faq_entries()
    entries[0]["script"] = "下单后24小时内发货。"
    write_faq(faq, entries)
    assert Searcher.from_path(faq).lookup("几天能发货").matches[0].entry.script == (
        "下单后24小时内发货。")
    assert saved.read_bytes() != first
    for damage in (b"", b"garbage", saved.read_bytes()[:-9]):
        saved.write_bytes(damage)
        assert Searcher.from_path(faq).lookup("几天能发货").matches
        assert saved.read_bytes() != damage


def test_a_small_library_or_read_only_folder_saves_nothing(faq: Path, monkeypatch) -> None:
    assert Searcher.from_path(faq).lookup("几天能发货").matches  # 15 entries: no index file
    assert not faq.with_name("faq.index").exists()
    big_enough(monkeypatch)
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied")))
    assert Searcher.from_path(faq).lookup("几天能发货").matches
    assert not faq.with_name("faq.index").exists()


def test_index_bytes_must_match_their_library() -> None:
    from scriptlab.library.search import SearchIndex, index_key

    s = searcher()
    docs = s.index.docs
    key = index_key(docs, {})
    data = s.index.to_bytes(key)
    loaded = SearchIndex.from_bytes(data, key, docs)
    assert loaded.search("能开发票吗", 3) == s.index.search("能开发票吗", 3)
    with pytest.raises(ValueError, match="another faq.json"):
        SearchIndex.from_bytes(data, index_key(docs, {"运费": ["邮递费"]}), docs)
    with pytest.raises(ValueError, match="does not match"):
        SearchIndex.from_bytes(data, key, docs[:-1])
    with pytest.raises(ValueError, match="not a scriptlab search index"):
        SearchIndex.from_bytes(b"{}", key, docs)
