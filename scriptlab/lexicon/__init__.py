"""Word lists shipped as data: one TOML file per list, read with `importlib.resources`.

A reviewer reads a change to a word list as a data diff. The files:

- ``thesaurus.toml``: thesaurus groups, general-language groups, protected words, broader
  links and the everyday variants mining applies to text (`scriptlab.text.thesaurus`,
  `scriptlab.text.tokenize`);
- ``small_talk.toml``: greetings, address words and thanks, one list for mining and lookup;
- ``categories.toml``: the default category keywords of ``[library] categories``;
- ``style.toml``: the default style phrase lists of ``[scoring]``.

Standard library only: the lookup path imports this.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed ``<name>.toml`` of this package (cached: the lists never change at run time)."""
    return tomllib.loads(files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
