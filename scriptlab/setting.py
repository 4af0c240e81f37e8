"""A settings field that carries its own help.

Every field of the ``[section]`` dataclasses is declared with `setting`, so its meaning lives
next to its default: `scriptlab init` writes it as a comment above the setting, and the
README's settings table is generated from it (`python -m scriptlab.settings README.md`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

MISSING: Any = dataclasses.MISSING


def setting(default: Any = MISSING, help: str = "", *,  # noqa: A002 - the word users know
            factory: Callable[[], Any] | None = None) -> Any:
    """A dataclass field with `default` (or a `factory` for mutable defaults) and `help`."""
    if not help:
        raise ValueError("every setting needs a help text")
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={"help": help})
    return dataclasses.field(default=default, metadata={"help": help})


def help_of(field: dataclasses.Field) -> str:
    """The help text of a settings field ("" when it has none)."""
    return str(field.metadata.get("help", ""))
