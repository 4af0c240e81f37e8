"""The desks' library (scriptlab.scoring.desk, review_queue): answers typed in the browser
and imported answers score the same way, and the message catalogue is complete."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from scoring_fixtures import answer_csv, build_quiz, template_rows

from scriptlab.scoring import desk
from scriptlab.scoring import review_queue as rq
from scriptlab.scoring.answer_import import import_answers
from scriptlab.scoring.scorer import score_quiz
from scriptlab.store import schema

TEXTS = {(1, "kf_01"): "亲，付款后48小时内发货，16:00前付款当天发出哦~",
         (2, "kf_01"): "亲，支持7天无理由退换，吊牌完好就可以哦",
         (3, "kf_01"): "亲，默认发中通，需要顺丰补差价10元哦~",
         (1, "kf_02"): "很快就发", (2, "kf_02"): "可以退", (3, "kf_02"): "中通"}


def _typed(ws, quiz) -> None:
    for agent in ("kf_01", "kf_02"):
        mine = desk.agent_quiz(ws, agent, quiz.week)
        desk.submit_answers(ws, agent, mine, {quiz.question_ids[p - 1]: t
                                              for (p, a), t in TEXTS.items() if a == agent})


def _scores(ws) -> pd.DataFrame:
    a, s = schema.answers, schema.scores
    with ws.engine.connect() as conn:
        rows = conn.execute(sa.select(a.c.agent_id, a.c.question_id, a.c.code, s.c.total,
                                      s.c.reviewers)
                            .select_from(s.join(a, a.c.id == s.c.answer_id))).all()
    return pd.DataFrame([r._asdict() for r in rows]).sort_values(["question_id", "agent_id"])


def test_typed_and_imported_answers_score_the_same(make_workspace, tmp_path) -> None:
    typed = make_workspace(tmp_path / "typed")
    imported = make_workspace(tmp_path / "imported")
    quiz_t, quiz_i = build_quiz(typed), build_quiz(imported)
    _typed(typed, quiz_t)
    import_answers(imported, [answer_csv(tmp_path / "a.csv", template_rows(quiz_i, TEXTS))])
    score_quiz(typed, quiz_t.week)
    score_quiz(imported, quiz_i.week)
    pd.testing.assert_frame_equal(_scores(typed).reset_index(drop=True),
                                  _scores(imported).reset_index(drop=True))


def test_browser_ratings_count_in_the_score(workspace) -> None:
    quiz = build_quiz(workspace)
    _typed(workspace, quiz)
    for reviewer, value in (("rev_a", "5"), ("rev_b", "4")):
        queue = rq.review_queue(workspace, quiz.quiz_id, quiz.seed, reviewer)
        assert len(queue) == 6 and not any(item.done for item in queue)
        for item in queue:
            rq.rate_answer(workspace, quiz.quiz_id, reviewer, item.code,
                           {d: value for d in workspace.settings.scoring.rubric}, "好")
        assert all(i.done for i in rq.review_queue(workspace, quiz.quiz_id, quiz.seed,
                                                   reviewer))
    result = score_quiz(workspace, quiz.week)
    assert result.reviewed and set(result.scored["reviewers"]) == {2}
    mine = desk.my_results(workspace, "kf_02", quiz.quiz_id)
    assert [r.position for r in mine] == [1, 2, 3]
    assert all(r.winner is not None and not r.is_winner for r in mine)  # kf_01's won
    assert mine[0].dimensions == {d: 4.5 for d in workspace.settings.scoring.rubric}
    assert mine[0].comments == ["好"]
    (week, score), = desk.my_trend(workspace, "kf_02")
    assert week == quiz.week and 0 < score < 1


def test_review_items_name_no_author(workspace) -> None:
    quiz = build_quiz(workspace)
    _typed(workspace, quiz)
    queue = rq.review_queue(workspace, quiz.quiz_id, quiz.seed, "rev_a")
    item = rq.review_item(workspace, quiz.quiz_id, quiz.seed, "rev_a", queue[0].code)
    text = repr(item) + repr(queue)
    assert "kf_0" not in text and "小美" not in text and "阿强" not in text
    assert item.reference  # the question's reference (or logged reply) is shown


def test_the_chinese_catalogue_covers_every_message() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from scriptlab.web.i18n import DYNAMIC_MSGIDS, catalogue_path

    with catalogue_path("zh").open("rb") as fh:
        catalog = read_po(fh)
    from scriptlab import web

    used = {m[2] for m in extract_from_dir(
        web.__path__[0], method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}})}
    used |= set(DYNAMIC_MSGIDS)
    missing = sorted(m for m in used if not (catalog.get(m) and catalog.get(m).string))
    assert not missing
