"""Approval rules: candidates, approve / replace / edit / retire, and the recorded history."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from library_fixtures import INTENTS, NOW, build_workspace, intent_by_key, later

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.library import approval
from scriptlab.store import schema

TWO = (intent_by_key("ship_time"), intent_by_key("invoice"))


def test_candidates_are_the_winners_not_in_the_library(workspace) -> None:
    built = build_workspace(workspace, TWO)
    found = approval.list_candidates(workspace)
    assert [(c.winner.topic_id, c.winner.answer_id, c.reason) for c in found] == [
        (built.topic["ship_time"], built.answers["ship_time"][0], "new"),
        (built.topic["invoice"], built.answers["invoice"][0], "new"),
    ]
    assert found[0].winner.agent_name == "小美"
    assert found[0].winner.quiz_week == "2026-W48"
    approval.approve(workspace, built.topic["ship_time"], by="lead", now=NOW)
    assert [c.winner.topic_id for c in approval.list_candidates(workspace)] == [
        built.topic["invoice"]
    ]


def test_no_winner_no_candidate(workspace) -> None:
    build_workspace(workspace, TWO, winners=False)
    assert approval.list_candidates(workspace) == []


def test_approve_records_who_and_when_and_derives_category(workspace) -> None:
    built = build_workspace(workspace, TWO)
    change = approval.approve(workspace, built.topic["ship_time"], by="张三", now=NOW)
    assert (change.action, change.actor, change.at) == ("approve", "张三", NOW)
    (entry,) = approval.list_entries(workspace)
    intent = intent_by_key("ship_time")
    assert entry.script == intent.script
    assert entry.question == intent.question
    assert entry.variants == intent.variants  # mined group variants, most frequent first
    assert entry.tags == intent.keywords
    assert entry.category == "物流"
    assert (entry.author_agent_id, entry.score, entry.quiz_week) == ("A01", 0.8, "2026-W48")
    assert (entry.approved_by, entry.approved_at, entry.status) == ("张三", NOW, "active")
    (event,) = approval.history(workspace)
    assert (event.entry_id, event.action, event.actor, event.at) == (entry.id, "approve", "张三",
                                                                    NOW)
    assert event.detail["answer_id"] == built.answers["ship_time"][0]
    assert event.detail["edited"] is False


def test_default_actor_is_the_login_name(workspace, monkeypatch) -> None:
    monkeypatch.setenv("USER", "xiaoli")
    built = build_workspace(workspace, TWO)
    assert approval.approve(workspace, built.topic["invoice"]).actor == "xiaoli"


def test_explicit_category_and_edited_text(workspace) -> None:
    built = build_workspace(workspace, TWO)
    approval.approve(workspace, built.topic["invoice"], text="  亲，可以开电子发票哦~ ",
                     category="支付", by="lead", now=NOW)
    (entry,) = approval.list_entries(workspace)
    assert (entry.script, entry.category) == ("亲，可以开电子发票哦~", "支付")
    assert approval.history(workspace)[0].detail["edited"] is True


def test_approve_another_answer_then_the_winner_replaces_it(workspace) -> None:
    built = build_workspace(workspace, TWO)
    topic, (good, poor) = built.topic["invoice"], built.answers["invoice"]
    first = approval.approve(workspace, topic, answer_id=poor, by="lead", now=NOW)
    assert first.action == "approve"
    assert approval.list_entries(workspace)[0].script == "亲，稍等，我问一下。"
    # The poor answer scored 0.4, the winner 0.8: the winner is a candidate again.
    (candidate,) = [c for c in approval.list_candidates(workspace) if c.winner.topic_id == topic]
    assert candidate.reason == "better than current script (0.80 > 0.40)"
    assert candidate.entry_id == first.entry_id
    second = approval.approve(workspace, topic, by="lead", now=later(1))
    assert (second.action, second.entry_id) == ("replace", first.entry_id)
    (entry,) = approval.list_entries(workspace)
    assert (entry.answer_id, entry.approved_at) == (good, later(1))
    replace_event = approval.history(workspace, first.entry_id)[-1]
    assert replace_event.detail["previous_script"] == "亲，稍等，我问一下。"


def test_a_worse_later_winner_is_no_candidate_a_better_one_is(workspace) -> None:
    built = build_workspace(workspace, TWO, totals={"ship_time": 0.9})
    approval.approve(workspace, built.topic["ship_time"], by="lead", now=NOW)
    topics = {"ship_time": built.topic["ship_time"], "invoice": built.topic["invoice"]}
    build_workspace(workspace, TWO, week="2026-W49", topics=topics, created=later(7),
                    totals={"ship_time": 0.7, "invoice": 0.9})
    assert [(c.winner.topic_id, c.winner.quiz_week) for c in
            approval.list_candidates(workspace)] == [(built.topic["invoice"], "2026-W49")]
    build_workspace(workspace, TWO, week="2026-W50", topics=topics, created=later(14),
                    totals={"ship_time": 0.95})
    reasons = {c.winner.topic_id: c.reason for c in approval.list_candidates(workspace)}
    assert reasons[built.topic["ship_time"]] == "better than current script (0.95 > 0.90)"


def test_edit_the_approved_script(workspace) -> None:
    built = build_workspace(workspace, TWO)
    topic = built.topic["ship_time"]
    approval.approve(workspace, topic, by="lead", now=NOW)
    change = approval.approve(workspace, topic, text="48小时内发货哦", by="lead", now=later(1))
    assert change.action == "edit"
    assert approval.list_entries(workspace)[0].script == "48小时内发货哦"


def test_approving_the_same_answer_twice_is_refused(workspace) -> None:
    built = build_workspace(workspace, TWO)
    topic = built.topic["ship_time"]
    first = approval.approve(workspace, topic, by="lead", now=NOW)
    with pytest.raises(ScriptlabError) as err:
        approval.approve(workspace, topic, by="lead", now=later(1))
    assert str(err.value) == (
        f"Topic {topic} is already in the library with this answer (entry {first.entry_id}); "
        "nothing changed. To change its script use --edit or --text."
    )


def test_retire_and_reinstate(workspace) -> None:
    built = build_workspace(workspace, TWO)
    topic = built.topic["ship_time"]
    entry_id = approval.approve(workspace, topic, by="lead", now=NOW).entry_id
    change = approval.retire(workspace, entry_id, by="王五", reason="活动结束", now=later(1))
    assert (change.action, change.actor) == ("retire", "王五")
    assert approval.list_entries(workspace) == []
    (retired,) = approval.list_entries(workspace, include_retired=True)
    assert (retired.status, retired.updated_at) == ("retired", later(1))
    # The retired answer is not suggested again...
    assert all(c.winner.topic_id != topic for c in approval.list_candidates(workspace))
    with pytest.raises(ScriptlabError) as err:
        approval.retire(workspace, entry_id, by="lead")
    assert str(err.value) == (
        f"Library entry {entry_id} is already retired. To bring it back, approve its topic "
        f"again: scriptlab library approve {topic}"
    )
    # ...but approving it again brings the same entry back.
    back = approval.approve(workspace, topic, by="lead", now=later(2))
    assert (back.action, back.entry_id) == ("approve", entry_id)
    assert [e.action for e in approval.history(workspace, entry_id)] == [
        "approve", "retire", "approve"]
    assert approval.history(workspace, entry_id)[-1].detail["reinstated"] is True


def test_all_winners_in_one_go(workspace) -> None:
    build_workspace(workspace, INTENTS[:5])
    changes = approval.approve_all_winners(workspace, by="demo", now=NOW)
    assert [c.action for c in changes] == ["approve"] * 5
    assert len(approval.list_entries(workspace)) == 5
    assert approval.approve_all_winners(workspace, by="demo") == []


def test_variants_are_capped_and_deduplicated(workspace) -> None:
    from dataclasses import replace

    from scriptlab.store.workspace import Workspace

    settings = workspace.settings
    ws = Workspace(workspace.root, replace(
        settings, library=replace(settings.library, max_variants=2, max_tags=1)))
    intent = intent_by_key("courier")
    noisy = replace(intent, variants=(intent.question, *intent.variants, intent.variants[0]))
    built = build_workspace(ws, (noisy,))
    approval.approve(ws, built.topic["courier"], by="lead")
    (entry,) = approval.list_entries(ws)
    assert entry.variants == intent.variants[:2]
    assert entry.tags == intent.keywords[:1]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown group", "Unknown topic 999. See the topics with a winning answer with: "
                          "scriptlab library candidates"),
        ("no winner", "Topic {topic} (下单后多久发货？) has no winning answer yet. Score its quiz "
                      "first, or choose an answer yourself with --answer ID."),
        ("unknown answer", "Unknown answer 999. Answer ids are listed by scriptlab library "
                           "candidates (column answer)."),
        ("other topic", "Answer {other} answers group {other_topic}, not group {topic}. Approve "
                        "it with: scriptlab library approve {other_topic} --answer {other}"),
        ("empty text", "The script is empty; nothing was approved. Give the text to publish "
                       "with --text or --edit."),
        ("empty actor", "--by is empty: say who approves, e.g. --by 张三"),
        ("unknown entry", "Unknown library entry 999. See the entries with: scriptlab library "
                          "list --all"),
    ],
)
def test_bad_input_is_explained(workspace, case: str, message: str) -> None:
    built = build_workspace(workspace, TWO, winners=case != "no winner")
    topic, other_topic = built.topic["ship_time"], built.topic["invoice"]
    other = built.answers["invoice"][0]
    calls = {
        "unknown group": lambda: approval.approve(workspace, 999, by="lead"),
        "no winner": lambda: approval.approve(workspace, topic, by="lead"),
        "unknown answer": lambda: approval.approve(workspace, topic, answer_id=999, by="lead"),
        "other topic": lambda: approval.approve(workspace, topic, answer_id=other, by="lead"),
        "empty text": lambda: approval.approve(workspace, topic, text="  \n", by="lead"),
        "empty actor": lambda: approval.approve(workspace, topic, by=" "),
        "unknown entry": lambda: approval.retire(workspace, 999, by="lead"),
    }
    with pytest.raises(ScriptlabError) as err:
        calls[case]()
    assert str(err.value) == message.format(topic=topic, other=other, other_topic=other_topic)
    assert isinstance(err.value, UsageError) == (case == "empty actor")
    with workspace.engine.connect() as conn:  # nothing half-written
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.library_events)).scalar() == 0


def test_an_empty_answer_cannot_be_approved(workspace) -> None:
    built = build_workspace(workspace, TWO, scripts={"invoice": ""}, winners=False)
    answer = built.answers["invoice"][0]
    with pytest.raises(ScriptlabError) as err:
        approval.approve(workspace, built.topic["invoice"], answer_id=answer, by="lead")
    assert str(err.value) == (f"Answer {answer} is empty (the agent gave no answer); choose "
                              "another with --answer ID.")
