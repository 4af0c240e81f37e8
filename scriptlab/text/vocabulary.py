"""A shop's own words: the user dictionary and synonym list kept in the workspace.

Both are plain UTF-8 text files a trainer edits (paths in ``[mine]`` of scriptlab.toml):

- ``dictionary.txt``: one word per line (product names, shop jargon: 小金瓶, 顺丰包邮), so
  jieba never splits them;
- ``synonyms.txt``: ``canonical=variant,variant`` per line (``包邮=免运费,不要运费``), so
  grouping treats the variants as the same word. Built-in everyday variants
  (啥时候=什么时候, 咋=怎么 …) apply too unless ``builtin_synonyms = false``.

`ensure_vocabulary_files` writes commented, empty starters the first time, so the trainer
finds them next to the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from scriptlab.errors import ScriptlabError
from scriptlab.text.tokenize import BUILTIN_SYNONYMS, add_words, parse_synonyms

DICTIONARY_STARTER = """\
# scriptlab user dictionary: one word per line, never split when grouping questions.
# Product names and shop jargon work best, e.g.:
# 小金瓶
# 顺丰包邮
"""
SYNONYMS_STARTER = """\
# scriptlab synonyms: the word to use, '=', then its variants separated by commas.
# Questions using a variant are grouped as if they used the first word, e.g.:
# 包邮=免运费,不要运费
# 小金瓶=精华液,金瓶精华
"""


class VocabularySettings(Protocol):
    """Where a workspace keeps its word lists (the ``[mine]`` settings carry these)."""

    dictionary: str
    synonyms: str
    builtin_synonyms: bool


@dataclass(frozen=True)
class Vocabulary:
    """Synonyms (variant → canonical) and extra words in force for one mining run."""

    synonyms: Mapping[str, str] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def vocabulary_paths(root: Path, settings: VocabularySettings) -> tuple[Path, Path]:
    """The dictionary and synonym files of a workspace (relative paths are in `root`)."""
    return root / settings.dictionary, root / settings.synonyms


def ensure_vocabulary_files(root: Path, settings: VocabularySettings) -> None:
    """Write commented starter files where none exist yet."""
    for path, starter in zip(vocabulary_paths(root, settings),
                             (DICTIONARY_STARTER, SYNONYMS_STARTER), strict=True):
        if not path.exists() and path.parent.is_dir():
            path.write_text(starter, encoding="utf-8")


def load_vocabulary(root: Path, settings: VocabularySettings) -> Vocabulary:
    """Read the workspace's dictionary and synonyms (missing files mean none).

    The dictionary words, synonym variants and canonical forms are added to jieba so they
    are segmented as whole words.
    """
    dictionary, synonym_file = vocabulary_paths(root, settings)
    synonyms: dict[str, str] = dict(BUILTIN_SYNONYMS) if settings.builtin_synonyms else {}
    words: list[str] = []
    sources: list[str] = []
    if dictionary.is_file():
        words = [line.split()[0] for line in _read(dictionary).splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
        sources.append(str(dictionary))
    if synonym_file.is_file():
        synonyms.update(parse_synonyms(_read(synonym_file), str(synonym_file)))
        sources.append(str(synonym_file))
    add_words([*words, *synonyms, *set(synonyms.values())])
    return Vocabulary(synonyms=synonyms, words=tuple(words), sources=tuple(sources))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptlabError(
            f"{path}: cannot read it as UTF-8 text ({exc.__class__.__name__}). Save it as "
            "UTF-8, one entry per line."
        ) from exc
