"""Settings of the `[service]` section of scriptlab.toml: the bands agents are judged by."""

from __future__ import annotations

from dataclasses import dataclass

from scriptlab.setting import setting


@dataclass(frozen=True)
class ServiceSettings:
    """Bands for the service metrics (time bands: lower is better; typing: higher)."""

    first_response_good_s: float = setting(
        15.0, "First response (median seconds from a chat's first customer message to the "
        "first reply) at or below this is good.")
    first_response_pass_s: float = setting(30.0, "… at or below this passes.")
    response_good_s: float = setting(
        30.0, "Average response (mean seconds from a customer's first unanswered message to "
        "the reply) at or below this is good.")
    response_pass_s: float = setting(60.0, "… at or below this passes.")
    max_response_s: float = setting(
        900.0, "A reply later than this (seconds) is a chat picked up again, not a response "
        "time; left out of both times.")
    typing_good_cpm: float = setting(
        70.0, "Typing speed (characters per minute) at or above this is good (70-80 in the "
        "training handbook).")
    typing_pass_cpm: float = setting(50.0, "… at or above this passes (50-60 in the handbook).")
    typing_window_s: float = setting(
        120.0, "A reply counts towards typing speed only when the message before it came at "
        "most this many seconds earlier (longer gaps measure waiting).")
    typing_min_samples: int = setting(
        5, "Replies an agent needs for a typing speed to be shown.")
