"""Imports run downward only (docs/architecture.md): a test that parses every module's imports.

Also a small script: ``python tests/test_architecture.py [SRC]`` prints the upward imports and
import cycles of the scriptlab tree under SRC (default: this checkout), so the layout can be
compared before and after a change.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The floors, lowest first; a module may import its own floor and the floors below it.
# Pipeline stages sit in pipeline order: a stage may use an earlier stage, never a later one.
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("errors", "cells", "files", "lexicon", "templating", "console", "setting",
                    "__init__")),
    ("tools", ("text", "io")),
    ("settings", ("settings", "*.settings")),
    ("store", ("store",)),
    ("queries", ("*.queries",)),
    ("logs", ("logs",)),
    ("service", ("service",)),
    ("mine", ("mine",)),
    ("topics", ("topics",)),
    ("quiz", ("quiz",)),
    ("scoring", ("scoring",)),
    ("library", ("library",)),
    ("people", ("people",)),
    ("sample", ("sample",)),
    ("evaluation", ("evaluation",)),
    ("demo", ("demo",)),
    ("entry points", ("cli", "__main__", "*.cli", "web")),
)


def floor_of(module: str) -> int:
    """The floor number of a dotted module name inside scriptlab (``scriptlab.mine.group``).

    A stage's ``settings`` and ``cli`` modules sit on the settings and entry-point floors.
    """
    parts = module.split(".")[1:] or ["__init__"]
    for wildcard in (True, False):
        for number, (_name, patterns) in enumerate(FLOORS):
            for pattern in patterns:
                if wildcard and pattern.startswith("*."):
                    if len(parts) > 1 and parts[-1] == pattern[2:]:
                        return number
                elif not wildcard and parts[0] == pattern:
                    return number
    raise AssertionError(f"{module}: no floor in FLOORS; add its package to docs/architecture.md")


def modules(src: Path) -> Iterator[tuple[str, Path]]:
    """(dotted name, path) of every module of the scriptlab package under `src`."""
    for path in sorted((src / "scriptlab").rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        yield ".".join(parts), path


def imports(module: str, path: Path) -> set[str]:
    """The scriptlab modules `module` imports (at the top or inside functions)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # ``from scriptlab import sample`` imports the submodule
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m == "scriptlab" or m.startswith("scriptlab.")}


def _known(name: str, names: set[str]) -> str | None:
    while name and name not in names:
        name = name.rpartition(".")[0]
    return name or None


def graph(src: Path) -> dict[str, set[str]]:
    """Module → the scriptlab modules it imports (names resolved to existing modules)."""
    found = dict(modules(src))
    names = set(found)
    return {m: {k for i in imports(m, p) if (k := _known(i, names)) and k != m}
            for m, p in found.items()}


def upward(src: Path) -> list[tuple[str, str]]:
    """(importer, imported) pairs where the imported module sits on a higher floor."""
    return sorted((m, i) for m, targets in graph(src).items() for i in targets
                  if floor_of(i) > floor_of(m))


def unit(module: str) -> str:
    """The package (or top-level module) a module belongs to: scriptlab.mine.group → mine."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def cycles(src: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a circle (Tarjan's SCCs)."""
    edges = graph(src)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def test_every_module_has_a_floor() -> None:
    for module, _path in modules(ROOT):
        floor_of(module)


def test_no_module_imports_upward() -> None:
    assert upward(ROOT) == []


# Import cycles left: approval.py imports codes.py inside a function, codes.py builds on
# approval.py. May only shrink.
KNOWN_CYCLES = [["scriptlab.library.approval", "scriptlab.library.codes"]]


def test_no_import_cycles() -> None:
    assert cycles(ROOT) == KNOWN_CYCLES


def test_production_code_never_imports_the_sample_generator() -> None:
    sample = floor_of("scriptlab.sample")
    offenders = sorted((m, i) for m, targets in graph(ROOT).items() for i in targets
                       if unit(i) == "sample" and floor_of(m) < sample)
    assert offenders == []


def test_the_sample_generator_needs_only_text_tools_and_the_answer_sheet_columns() -> None:
    """sample/ writes files in the formats the stages read; it runs none of their code."""
    tools = floor_of("scriptlab.text")
    used = {i for m, targets in graph(ROOT).items() if unit(m) == "sample" for i in targets
            if unit(i) != "sample" and floor_of(i) > tools}
    assert used == {"scriptlab.quiz.template_columns"}


def table_owners() -> dict[str, str]:
    """Table name → the stage that owns it, from the section comments of store/schema.py."""
    owners: dict[str, str] = {}
    stage = ""
    for line in (ROOT / "scriptlab" / "store" / "schema.py").read_text("utf-8").splitlines():
        if match := re.match(r"# -- (\w+)", line):
            stage = match.group(1)
        elif match := re.match(r"^(\w+) = sa\.Table\(", line):
            owners[match.group(1)] = stage
    return owners


def cross_reads(src: Path) -> dict[str, list[str]]:
    """Module → the other stages' tables it names (``schema.<table>``)."""
    owners = table_owners()
    found: dict[str, list[str]] = {}
    for module, path in modules(src):
        if module == "scriptlab.store.migrations":  # creates every stage's tables
            continue
        tables = set(re.findall(r"schema\.(\w+)", path.read_text(encoding="utf-8")))
        other = sorted(t for t in tables
                       if owners.get(t, unit(module)) not in (unit(module), "bookkeeping"))
        if other:
            found[module] = other
    return found


# Stages reading another stage's tables instead of asking its queries module: what is left
# (scoring's answers hang on quiz questions; the demo seeds data; the web desk's tables).
# This list may only shrink.
KNOWN_CROSS_READS = {
    "scriptlab.demo.quiz": ["mine_runs"],
    "scriptlab.demo.scoring": ["agents", "quizzes"],
    "scriptlab.demo.serve": ["agents"],
    "scriptlab.people.signin": ["agents", "quizzes"],
    "scriptlab.people.users": ["agents"],
    "scriptlab.library.freshness": ["group_variants", "mine_runs", "question_groups"],
    "scriptlab.quiz.closing": ["quiz_closures"],
    "scriptlab.quiz.edit": ["answers"],
    "scriptlab.quiz.quizzes": ["answers"],
    "scriptlab.scoring.answer_import": ["agents", "quiz_questions", "quizzes"],
    "scriptlab.scoring.desk": ["agents", "answer_drafts", "quiz_questions", "quizzes"],
    "scriptlab.scoring.queries": ["agents", "quiz_questions", "quizzes"],
    "scriptlab.scoring.quiz_data": ["agents", "quiz_questions"],
    "scriptlab.scoring.ratings_import": ["quizzes"],
    "scriptlab.scoring.scorer": ["quiz_questions", "quizzes"],
    "scriptlab.store.topic_rules": ["topics"],
    "scriptlab.topics.decisions": ["question_groups", "topics"],
}


def test_stages_ask_each_other_instead_of_reading_tables() -> None:
    """library/approval.py and quiz/source.py read only their own tables now."""
    assert cross_reads(ROOT) == KNOWN_CROSS_READS


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    """The test would fail on a text module importing a stage, or a stage the demo."""
    (tmp_path / "scriptlab" / "text").mkdir(parents=True)
    (tmp_path / "scriptlab" / "mine").mkdir()
    (tmp_path / "scriptlab" / "__init__.py").write_text("")
    (tmp_path / "scriptlab" / "demo.py").write_text("")
    (tmp_path / "scriptlab" / "text" / "__init__.py").write_text("")
    (tmp_path / "scriptlab" / "mine" / "__init__.py").write_text("")
    (tmp_path / "scriptlab" / "text" / "words.py").write_text(
        "def f():\n    from scriptlab.mine import group\n")
    (tmp_path / "scriptlab" / "mine" / "group.py").write_text("from .. import demo\n")
    assert upward(tmp_path) == [("scriptlab.mine.group", "scriptlab.demo"),
                                ("scriptlab.text.words", "scriptlab.mine"),
                                ("scriptlab.text.words", "scriptlab.mine.group")]
    assert cycles(tmp_path) == []


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    arrows = upward(src)
    for importer, imported in arrows:
        print(f"{importer} -> {imported}")
    edges = {(unit(m), unit(i)) for m, t in graph(src).items() for i in t if unit(m) != unit(i)}
    print(f"{len(list(modules(src)))} modules, {len(edges)} arrows between packages; "
          f"{len(arrows)} upward imports; import cycles: {cycles(src) or 'none'}")
