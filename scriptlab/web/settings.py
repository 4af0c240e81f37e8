"""The `[ui]` and `[web]` sections of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

from scriptlab.setting import setting

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class UiSettings:
    """How pages speak."""

    language: str = setting("zh", "Page language: \"zh\" (Chinese, the default) or \"en\".")


@dataclass(frozen=True)
class WebSettings:
    """`scriptlab serve` and the sign-in links."""

    base_url: str = setting(
        "http://127.0.0.1:8000",
        "The address people open, as printed in sign-in links (behind a proxy: its https URL).",
    )
    link_days: int = setting(7, "Days a sign-in link stays valid (it works once).")
    session_hours: int = setting(168, "Hours a browser stays signed in.")
    max_failed_signins: int = setting(
        10,
        "Failed sign-ins one address may make per 10 minutes before it is refused for a while.",
    )
