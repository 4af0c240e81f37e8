"""Settings of the `[service]` section of scriptlab.toml: the bands agents are judged by."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSettings:
    """Bands for the service metrics (time bands: lower is better; typing: higher)."""

    # First response time: seconds from a chat's first customer message to the first reply.
    first_response_good_s: float = 15.0
    first_response_pass_s: float = 30.0
    # Average response time: seconds from a customer's (first unanswered) message to a reply.
    response_good_s: float = 30.0
    response_pass_s: float = 60.0
    # A reply later than this (seconds) is a chat picked up again, not a response time.
    max_response_s: float = 900.0
    # Typing speed, characters per minute: 50-60 passes, 70-80 is good (training handbook).
    typing_good_cpm: float = 70.0
    typing_pass_cpm: float = 50.0
    # A reply counts towards typing speed only when the message before it in the chat came
    # at most this many seconds earlier (longer gaps measure waiting, not typing) …
    typing_window_s: float = 120.0
    # … and an agent needs this many such replies for a typing speed to be shown.
    typing_min_samples: int = 5
