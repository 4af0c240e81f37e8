"""Service metrics per agent: first and average response time, reply length, typing speed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from scriptlab.service.metrics import from_reader_frame, service_metrics
from scriptlab.service.settings import ServiceSettings

T0 = datetime(2026, 11, 2, 10, 0, 0)


def frame(rows: list[tuple[str, int, str, str, str]]) -> pd.DataFrame:
    """(session, seconds after T0, role, agent id, text)."""
    return from_reader_frame(pd.DataFrame(
        [{"session_id": s, "timestamp": T0 + timedelta(seconds=t), "role": r, "agent_id": a,
          "text": x} for s, t, r, a, x in rows]))


def test_response_times_and_lengths() -> None:
    rows = [
        ("s1", 0, "customer", "", "在吗"),
        ("s1", 5, "customer", "", "什么时候发货"),
        ("s1", 20, "agent", "kf_01", "亲，48小时内发货"),      # first response 20 s
        ("s1", 60, "customer", "", "能开发票吗"),
        ("s1", 100, "agent", "kf_01", "可以的亲"),             # response 40 s
        ("s2", 0, "customer", "", "包邮吗"),
        ("s2", 50, "agent", "kf_02", "包邮"),                  # first response 50 s
        ("s2", 55, "agent", "kf_02", "偏远地区除外"),
    ]
    by_agent = {a.agent_id: a for a in service_metrics(frame(rows))}
    kf1, kf2 = by_agent["kf_01"], by_agent["kf_02"]
    assert (kf1.sessions, kf1.replies, kf1.first_response_s, kf1.response_s) == (1, 2, 20, 30)
    assert (kf1.first_response_band, kf1.response_band) == ("pass", "good")
    assert (kf2.first_response_s, kf2.response_s, kf2.first_response_band) == (50, 50, "below")
    assert kf2.reply_chars == 4.0
    assert kf1.chars_per_minute is None  # too few replies to estimate typing


def test_typing_speed_needs_samples_and_seconds_and_uses_the_bands() -> None:
    rows = []
    for i in range(6):  # 30 characters typed 30 s after the customer's message: 60/min
        rows += [(f"s{i}", 0, "customer", "", "尺码偏大吗"), (f"s{i}", 30, "agent", "kf_01",
                                                            "亲" * 30)]
    (kf1,) = service_metrics(frame(rows))
    assert (kf1.chars_per_minute, kf1.typing_band) == (60.0, "pass")
    strict = ServiceSettings(typing_pass_cpm=65, typing_good_cpm=90)
    assert service_metrics(frame(rows), strict)[0].typing_band == "below"
    minutes_only = [(s, t * 2, r, a, x) for s, t, r, a, x in rows]  # 0 and 60 s: no seconds
    assert service_metrics(frame(minutes_only))[0].chars_per_minute is None
    assert service_metrics(frame([("s", 0, "customer", "", "在吗")])) == []


def test_mine_report_and_agents_stats_show_the_metrics(tmp_path) -> None:
    import sys
    from pathlib import Path

    from typer.testing import CliRunner

    from scriptlab.cli import app

    sys.path.insert(0, str(Path(__file__).parent))
    from mine_fixtures import write_chat_log

    runner = CliRunner()
    ws = tmp_path / "ws"
    log = tmp_path / "chats.csv"
    write_chat_log(log, sessions=120)  # agent replies 30 s after each question
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    mined = runner.invoke(app, ["mine", str(log), "-w", str(ws)], env={"COLUMNS": "120"})
    assert mined.exit_code == 0, mined.output
    assert "Service by agent" in mined.output and "30 s pass" in mined.output
    html = (ws / "reports" / "mine-1.html").read_text(encoding="utf-8")
    assert 'id="service"' in html and "agent1" in html
    assert runner.invoke(app, ["logs", "import", str(log), "-w", str(ws)]).exit_code == 0
    stats = runner.invoke(app, ["agents", "stats", "-w", str(ws)], env={"COLUMNS": "120"})
    assert stats.exit_code == 0, stats.output
    for agent in ("agent1", "agent2", "agent3"):
        assert agent in stats.output
    assert "30 s pass" in stats.output
