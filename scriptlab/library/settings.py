"""Settings of the `[library]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LibrarySettings:
    """How the script library is published and searched."""

    # Below this lookup score, `scriptlab lookup` says there is no good match.
    min_confidence: float = 0.3
