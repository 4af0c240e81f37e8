"""The built-in customer-service thesaurus: its shape and the lookup table built from it."""

from __future__ import annotations

import ast
from pathlib import Path

from scriptlab.library import thesaurus as module
from scriptlab.library.thesaurus import GENERAL, GENERAL_GROUPS, GROUPS, PROTECTED, thesaurus


def test_groups_are_clean_data() -> None:
    groups = (*GROUPS, *GENERAL_GROUPS)
    assert len(groups) >= 150
    names = [g[0] for g in groups]
    assert len(names) == len(set(names)), "each group has its own canonical name"
    assert {g[0] for g in GENERAL_GROUPS} == GENERAL
    for group in groups:
        assert len(group) >= 2, group
        for word in group:
            assert word == word.strip().lower() and word, (group, word)


def test_table_maps_words_to_their_groups() -> None:
    table = thesaurus()
    assert table["快递费"] == ("运费",)
    assert table["运费"] == ("运费",)
    assert table["尺寸"] == ("尺码", "尺寸")  # in two groups, first group first
    assert table["多少"] == ()  # protected: not 少
    assert all(word in table for word in PROTECTED)


def test_shop_groups_extend_or_add() -> None:
    table = thesaurus({"运费": ["邮递费"], " 暖居 ": ["暖居小铺", " "], "": ["x"]})
    assert table["邮递费"] == ("运费",)
    assert table["暖居小铺"] == ("暖居",)
    assert table["暖居"] == ("暖居",)
    assert "" not in table and "x" not in table
    assert "邮递费" not in thesaurus()


def test_module_imports_nothing_but_the_standard_library() -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {n.module if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
                for a in (n.names if isinstance(n, ast.Import) else [n])}
    assert imported <= {"__future__", "collections.abc"}
