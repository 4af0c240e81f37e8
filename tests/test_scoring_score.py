"""`scriptlab score`: stored scores, the HTML report, CSV/XLSX exports."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from scoring_fixtures import add_answers, add_ratings, build_quiz
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.files import MANIFEST
from scriptlab.scoring.export import write_exports
from scriptlab.scoring.report import render_report
from scriptlab.scoring.scorer import score_quiz
from scriptlab.store import schema

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden" / "scoring"
# Regenerate with: SCRIPTLAB_REGEN_GOLDEN=1 pytest tests/test_scoring_score.py
REGEN = os.environ.get("SCRIPTLAB_REGEN_GOLDEN") == "1"
DIMS = ["准确完整", "热情友好", "专业耐心", "简洁清晰", "诚实合规"]
TEXTS = {
    (1, "kf_01"): "亲，付款后48小时内发货，16:00前付款当天发出哦~还有其他问题随时找我~",
    (1, "kf_02"): "不知道，等着吧",
    (1, "kf_03"): "亲，一般两三天内会发货的",
    (1, "kf_04"): "",
    (2, "kf_01"): "亲，支持7天无理由退换，吊牌完好就可以，您在订单页申请售后就行哦",
    (2, "kf_02"): "可以退，保证没问题，绝对给你退",
    (2, "kf_03"): "亲，七天无理由的，吊牌完好就行，您申请一下",
    (2, "kf_04"): "=HYPERLINK(\"http://x\",\"点我\")",
    (3, "kf_01"): "亲，默认中通，需要顺丰的话补差价10元就可以哦~您看发中通还是顺丰呢？",
    (3, "kf_02"): "发什么就是什么",
    (3, "kf_03"): "亲，默认发中通，顺丰要补10元",
    (3, "kf_04"): "韵达",
}
# Reviewer marks per (position, agent): zhang is lenient, li harsh.
MARKS = {(1, "kf_01"): 5, (1, "kf_02"): 1, (1, "kf_03"): 3, (2, "kf_01"): 5,
         (2, "kf_02"): 2, (2, "kf_03"): 4, (2, "kf_04"): 1, (3, "kf_01"): 5, (3, "kf_02"): 1,
         (3, "kf_03"): 4, (3, "kf_04"): 2}


@pytest.fixture
def quiz(workspace):
    built = build_quiz(workspace)
    ids = add_answers(workspace, built, TEXTS)
    return built, ids


def rate(ws, ids, only=None) -> None:
    rows = []
    for key, mark in MARKS.items():
        if only and key not in only:
            continue
        rows += [(ids[key], "zhang", d, min(5, mark + 1)) for d in DIMS]
        rows += [(ids[key], "li", d, max(1, mark - 1)) for d in DIMS]
    add_ratings(ws, rows)


def stored_scores(ws) -> pd.DataFrame:
    s = schema.scores
    with ws.engine.connect() as conn:
        return pd.DataFrame([r._asdict() for r in conn.execute(sa.select(s))])


def test_without_ratings_scores_are_automatic_and_winners_unreviewed(workspace, quiz) -> None:
    result = score_quiz(workspace, "2026-W48")
    assert not result.reviewed
    scored = result.scored.set_index(["position", "agent_id"])
    assert scored.loc[(1, "kf_01"), "is_winner"]
    assert scored.loc[(2, "kf_01"), "is_winner"]
    assert set(result.scored.loc[result.scored["is_winner"], "winner_basis"]) == {"unreviewed"}
    assert scored.loc[(1, "kf_04"), "total"] == 0.0
    html = render_report(workspace, result)
    assert "No reviewer ratings yet: these scores use the automatic signals only" in html
    assert html.count('<span class="badge unreviewed">unreviewed</span>') == 3
    # The reference comes from the quiz (Q1), logged replies (Q2), the library (Q3).
    assert "(quiz reference)" in html and "(agent replies seen in the logs)" in html
    assert "(approved script (library))" in html


def test_with_ratings_reviewers_dominate_and_scores_are_replaced(workspace, quiz) -> None:
    built, ids = quiz
    score_quiz(workspace, "2026-W48")
    rate(workspace, ids)
    result = score_quiz(workspace, "2026-W48")
    stored = stored_scores(workspace)
    assert len(stored) == 12  # replaced, not appended
    assert set(stored["winner_basis"].dropna()) == {"reviewed"}
    winners = result.scored[result.scored["is_winner"]]
    assert winners["agent_id"].tolist() == ["kf_01", "kf_01", "kf_01"]
    row = stored.set_index("answer_id").loc[ids[(2, "kf_01")]]
    assert row["reviewers"] == 2 and row["rating"] > 0.8
    assert set(row["components"]) == {"reference", "consensus", "keypoints", "style", "ratings"}
    assert sum(c["contribution"] for c in row["components"].values()) == pytest.approx(
        row["total"], abs=1e-3)
    # Lenient and harsh cancel out: the corrected score sits between their raw marks.
    reviewers = result.ratings.reviewers.groupby("reviewer")["leniency"].mean()
    assert reviewers["zhang"] > 0 > reviewers["li"]


def test_report_structure(workspace, quiz) -> None:
    built, ids = quiz
    rate(workspace, ids)
    html = render_report(workspace, score_quiz(workspace, "2026-W48"))
    for section in ('id="leaderboard"', 'id="agreement"', 'id="disagreements"',
                    'id="questions"', 'id="q1"', 'id="q3"'):
        assert section in html
    assert html.count('<tr class="winner">') == 3
    assert html.count('<span class="badge win">winner</span>') == 3
    text = " ".join(html.split())
    assert "Krippendorff's alpha (ordinal, 1-5)" in text
    assert "70% reviewer score (bias-corrected) + 30% automatic signals" in text
    assert "Ties are broken by: higher total, then more reviewers, then higher automatic " \
           "score, then agent id (alphabetical)." in text
    # Each component's contribution and reason is shown.
    assert re.search(r"key points: 1\.00 × \d+% = 0\.\d+ · covers", html)
    assert "cold: 不知道" in html
    # Autoescaped: the formula-looking answer is text, not markup.
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;点我&#34;)" in html
    leaderboard = html.split('id="leaderboard"')[1].split("</table>")[0]
    assert leaderboard.index("kf_01") < leaderboard.index("kf_02")


def test_template_override_from_the_workspace(workspace, quiz) -> None:
    workspace.templates_dir.mkdir()
    (workspace.templates_dir / "score_report.html.j2").write_text(
        "{{ quiz.label }}: {{ leaderboard[0].agent_id }} <b>{{ '<x>' }}</b>", encoding="utf-8")
    html = render_report(workspace, score_quiz(workspace, "2026-W48"))
    assert html == "2026-W48: kf_01 <b>&lt;x&gt;</b>"


def test_exports_are_formula_safe_and_match_golden(workspace, quiz, tmp_path) -> None:
    built, ids = quiz
    rate(workspace, ids)
    result = score_quiz(workspace, "2026-W48")
    paths = write_exports(result, tmp_path)
    assert [p.name for p in paths] == ["score-2026-W48.csv", "score-2026-W48-leaderboard.csv",
                                       "score-2026-W48.xlsx"]
    csv_text = paths[0].read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    sheets = pd.read_excel(paths[2], sheet_name=None)
    assert list(sheets) == ["排行榜 leaderboard", "最佳答案 winners", "全部答案 answers",
                            "评审一致性 agreement"]
    answers = sheets["全部答案 answers"]
    assert answers["answer"].astype(str).str.startswith("=").sum() == 0
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(paths[2])["全部答案 answers"].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    # Golden: everything but the exact similarity numbers (jieba's dictionary, and so the
    # cosines, may move slightly between versions; ranks, winners and reasons must not).
    stable = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    stable = stable.drop(columns=["total", "automatic", "rating", "raw_rating", "reference",
                                  "consensus"])
    stable["reasons"] = stable["reasons"].str.replace(r"cosine \d\.\d\d", "cosine #",
                                                      regex=True)
    text = stable.to_csv(index=False, lineterminator="\n")
    golden = GOLDEN / "score-2026-W48.csv"
    if REGEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_trend_over_past_weeks(workspace) -> None:
    for week in ("2026-W46", "2026-W47", "2026-W48"):
        built = build_quiz(workspace, week=week, agents=[("kf_01", "小美"), ("kf_02", "阿强")])
        good = "亲，付款后48小时内发货哦~" if week != "2026-W47" else "不知道"
        add_answers(workspace, built, {(1, "kf_01"): good, (1, "kf_02"): "很快",
                                       (2, "kf_01"): "亲，支持7天无理由退换哦", (2, "kf_02"): "",
                                       (3, "kf_01"): "亲，默认中通，顺丰补10元", (3, "kf_02"): ""})
        result = score_quiz(workspace, week)
    board = result.leaderboard.set_index("agent_id")
    assert [w for w, _ in board.loc["kf_01", "trend"]] == ["2026-W46", "2026-W47", "2026-W48"]
    scores = [s for _, s in board.loc["kf_01", "trend"]]
    assert scores[1] < scores[0] and scores[2] > scores[1]
    assert board.loc["kf_01", "change"] == pytest.approx(scores[2] - scores[1], abs=1e-3)


def test_cli_score(workspace, quiz, tmp_path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["score", "--quiz", "2026-W48", "--out", str(out),
                                 "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert "No reviewer ratings yet: scores use the automatic signals only" in result.output
    assert f"Scored 12 answers; 3 winners. Report: {out / 'score-2026-W48.html'}" in \
        result.output
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST) == [
        "score-2026-W48-leaderboard.csv", "score-2026-W48.csv", "score-2026-W48.html",
        "score-2026-W48.xlsx"]
    for agent in ("kf_01", "kf_02", "kf_03", "kf_04"):  # every agent, none left out
        assert f"({agent})" in result.output
    assert "Blank or missing answers score 0 (the score is the mean over all questions): " \
        "kf_04 1 of 3." in result.output.replace("\n", " ")


def test_score_errors(workspace) -> None:
    build_quiz(workspace)
    with pytest.raises(ScriptlabError) as err:
        score_quiz(workspace, "2026-W48")
    assert str(err.value) == ("Quiz 2026-W48 has no answers yet; import the filled answer "
                              "files first: scriptlab answers import FILE...")
    bad_week = runner.invoke(app, ["score", "--quiz", "week 48", "-w", str(workspace.root)])
    assert bad_week.exit_code == 2
    assert "Week 'week 48' is not an ISO week; write it as YYYY-Www, e.g. 2026-W48." in \
        bad_week.output
    missing = runner.invoke(app, ["score", "--quiz", "2026-W40", "-w", str(workspace.root)])
    assert missing.exit_code == 1
    assert "No quiz for 2026-W40 (quizzes exist for 2026-W48)." in missing.output


def test_bad_scoring_settings_are_named(workspace, quiz) -> None:
    store = f'[store]\nurl = "{workspace.settings.store.url}"\n'  # keep the test's database
    (workspace.root / "scriptlab.toml").write_text(
        '[scoring]\nsignal_weights = { "reference" = 1.0, "vibes" = 2.0 }\n' + store,
        encoding="utf-8")
    result = runner.invoke(app, ["score", "--quiz", "2026-W48", "-w", str(workspace.root)])
    assert result.exit_code == 1
    assert ("scriptlab.toml [scoring] signal_weights: unknown name 'vibes'; known: reference, "
            "consensus, keypoints, style.") in result.output


def test_team_quiz_files_are_named_after_the_team(workspace, tmp_path) -> None:
    built = build_quiz(workspace, team="售前组")
    add_answers(workspace, built, {(1, "kf_01"): "亲，48小时内发货", (2, "kf_01"): "可以退"})
    result = runner.invoke(app, ["score", "--quiz", "2026-W48", "--team", "售前组", "--out",
                                 str(tmp_path), "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "score-2026-W48-售前组.html").exists()
    html = (tmp_path / "score-2026-W48-售前组.html").read_text(encoding="utf-8")
    assert "Quiz scores · 2026-W48 (team 售前组)" in html
