"""Freshness: review interval, `library due`, `library reviewed`, mining-change flags and the
stale marks in faq.json, on a workspace with back-dated entries."""

from __future__ import annotations

import json
from datetime import timedelta

from library_fixtures import NOW, _insert, build_workspace, intent_by_key
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.library import approval
from scriptlab.library.freshness import due_entries, mark_reviewed
from scriptlab.library.publish import publish
from scriptlab.settings import settings_from_dict
from scriptlab.store import schema

THREE = tuple(intent_by_key(k) for k in ("ship_time", "invoice", "return"))
OLD = NOW - timedelta(days=120)  # longer ago than the default 90-day interval


def back_dated(ws):
    """ship_time approved 120 days ago, invoice and return approved at NOW."""
    built = build_workspace(ws, THREE, created=OLD)
    ids = {}
    for key, when in (("ship_time", OLD), ("invoice", NOW), ("return", NOW)):
        ids[key] = approval.approve(ws, built.topic[key], by="lead", now=when).entry_id
    return built, ids


def mining_run(ws, when, groups: dict[int, tuple[float, list[tuple[str, int]]]]) -> int:
    """A later mining run: topic → (share, [(wording, count)])."""
    with ws.engine.begin() as conn:
        run_id = _insert(conn, schema.mine_runs, created_at=when, sources=["later"], stats={},
                         settings={})
        for rank, (topic_id, (share, variants)) in enumerate(groups.items(), start=1):
            group_id = _insert(conn, schema.question_groups, run_id=run_id, topic_id=topic_id,
                               rank=rank, representative=variants[0][0], count=100, sessions=9,
                               customers=9, share=share, keywords=[])
            for text, count in variants:
                _insert(conn, schema.group_variants, group_id=group_id, text=text, count=count)
    return run_id


def test_entry_older_than_the_interval_is_due(workspace) -> None:
    _, ids = back_dated(workspace)
    due = due_entries(workspace, now=NOW + timedelta(days=1))
    assert [d.entry_id for d in due] == [ids["ship_time"]]
    assert due[0].due_at == OLD + timedelta(days=90)
    assert due[0].reasons == (f"last reviewed {OLD:%Y-%m-%d}, 121 days ago "
                              "(review every 90 days)",)


def test_review_interval_is_a_setting(workspace) -> None:
    _, ids = back_dated(workspace)
    ws = type(workspace)(root=workspace.root,
                         settings=settings_from_dict({"library": {"review_days": 180},
                                                     "store": {"url": workspace.settings.store.url}}))
    assert due_entries(ws, now=NOW) == []
    assert [d.entry_id for d in due_entries(ws, now=NOW + timedelta(days=181))] == sorted(
        ids.values())


def test_new_wordings_and_rising_share_flag_a_recent_entry(workspace) -> None:
    built, ids = back_dated(workspace)
    invoice, ret = built.topic["invoice"], built.topic["return"]
    known = intent_by_key("invoice").variants[0]
    run = mining_run(workspace, NOW + timedelta(days=3), {
        invoice: (0.05, [(known, 9), ("电子发票怎么下载", 4), ("发票抬头能改吗", 1)]),
        ret: (0.12, [(intent_by_key("return").variants[0], 20)]),  # was 0.05: +140%
    })
    due = {d.entry_id: d for d in due_entries(workspace, now=NOW + timedelta(days=4))}
    assert set(due) == {ids["ship_time"], ids["invoice"], ids["return"]}
    # one new wording asked often enough; the one asked once is noise
    assert due[ids["invoice"]].reasons == (f"1 new wording in mining run {run}: “电子发票怎么下载”",)
    assert due[ids["invoice"]].new_wordings == ("电子发票怎么下载",)
    first_run = built.run_id
    assert due[ids["return"]].reasons == (
        f"asked more often: 5.0% → 12.0% of questions (run {first_run} → {run})",)


def test_mining_before_the_review_does_not_flag(workspace) -> None:
    built, ids = back_dated(workspace)
    mining_run(workspace, NOW - timedelta(days=1), {
        built.topic["invoice"]: (0.2, [("电子发票怎么下载", 5)])})
    due = due_entries(workspace, now=NOW + timedelta(days=1))
    assert [d.entry_id for d in due] == [ids["ship_time"]]


def test_reviewed_restarts_the_interval_and_is_recorded(workspace) -> None:
    _, ids = back_dated(workspace)
    state = mark_reviewed(workspace, ids["ship_time"], by="组长", note="规则未变",
                          now=NOW + timedelta(days=1))
    assert not state.stale and state.due_at == NOW + timedelta(days=91)
    assert due_entries(workspace, now=NOW + timedelta(days=2)) == []
    event = approval.history(workspace, ids["ship_time"])[-1]
    assert (event.action, event.actor, event.detail) == ("review", "组长", {"note": "规则未变"})


def test_publish_marks_stale_entries_in_faq_json(workspace) -> None:
    _, ids = back_dated(workspace)
    result = publish(workspace, by="lead", now=NOW + timedelta(days=1))
    doc = json.loads((result.out_dir / "faq.json").read_text(encoding="utf-8"))
    by_id = {e["id"]: e for e in doc["entries"]}
    old = by_id[ids["ship_time"]]
    assert old["stale"] is True
    assert old["review_reasons"][0].startswith("last reviewed")
    assert old["reviewed_at"].startswith(f"{OLD:%Y-%m-%d}")
    assert old["review_due"].startswith(f"{OLD + timedelta(days=90):%Y-%m-%d}")
    fresh = by_id[ids["invoice"]]
    assert fresh["stale"] is False and fresh["review_reasons"] == []
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert html.count('<p class="stale">') == 1  # shown; the others carry `hidden`
    assert html.count('<p class="stale" hidden>') == 2


def test_cli_due_and_reviewed(workspace) -> None:
    built, ids = back_dated(workspace)
    runner = CliRunner()
    result = runner.invoke(app, ["library", "due", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert "1 due for review" in result.output
    assert "下单后多久发货" in result.output
    topic = built.topic["ship_time"]
    result = runner.invoke(app, ["library", "reviewed", str(topic), "--by", "组长",
                                 "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert f"Reviewed topic {topic} (library entry {ids['ship_time']})" in result.output
    result = runner.invoke(app, ["library", "due", "-w", str(workspace.root)])
    assert "Nothing is due for review" in result.output
    result = runner.invoke(app, ["library", "reviewed", "--entry", str(ids["invoice"]),
                                 "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["library", "reviewed", "999", "-w", str(workspace.root)])
    assert result.exit_code == 1
    assert "Topic 999 has no active script in the library" in result.output
    result = runner.invoke(app, ["library", "reviewed", "-w", str(workspace.root)])
    assert result.exit_code == 2 and "Give the TOPIC, or --entry N" in result.output
