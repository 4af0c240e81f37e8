"""Fill-in variables ({买家昵称}, {订单号}, {发货时间}) through the whole path: answer import
(masking), scoring (similarity does not punish them), approval, publishing (faq.json, CSV/XLSX
through the formula guard, quick-reply files with each platform's syntax, the page)."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from scoring_fixtures import RETURN, SHIP, answer_csv, build_quiz, template_rows

from scriptlab.cells import safe_cell
from scriptlab.library import approval
from scriptlab.library.publish import publish
from scriptlab.library.render import script_parts
from scriptlab.scoring.answer_import import import_answers
from scriptlab.scoring.scorer import score_quiz
from scriptlab.scoring.similarity import _tfidf
from scriptlab.settings import settings_from_dict
from scriptlab.text.mask import mask_text
from scriptlab.text.variables import convert, variables, without_variables

SCRIPT = "亲爱的{买家昵称}，您的订单{订单号}已于{发货时间}发出，请留意物流信息哦~"


def cosine(a: str, b: str) -> float:
    m = _tfidf([a, b])
    return float(m[0].multiply(m[1]).sum())


def test_variables_found_converted_and_removed() -> None:
    assert variables(SCRIPT + "{订单号}") == ["买家昵称", "订单号", "发货时间"]
    assert variables("全角｛订单号｝也算，{not a var}、{}不算") == ["订单号"]
    assert convert(SCRIPT, "【{name}】").startswith("亲爱的【买家昵称】，您的订单【订单号】")
    assert convert(SCRIPT, "") == SCRIPT
    assert without_variables(SCRIPT) == "亲爱的，您的订单已于发出，请留意物流信息哦~"
    assert script_parts("{a}x{b}") == [("{a}", "a"), ("x", ""), ("{b}", "b")]


@pytest.mark.parametrize("text", [SCRIPT, "=订单{订单号}", "@{买家昵称} 您好"])
def test_masking_and_formula_guard_leave_variables_alone(text: str) -> None:
    assert variables(mask_text(text)) == variables(text)
    assert variables(safe_cell(text)) == variables(text)


def test_similarity_does_not_punish_variables() -> None:
    plain = "亲爱的，您的订单已于发出，请留意物流信息哦~"
    filled = "亲爱的小王，您的订单已于昨天下午发出，请留意物流信息哦~"
    # before slots were ignored, a pair like these scored 0.45 and 0.38 (names counted as words)
    assert cosine(SCRIPT, plain) > 0.99
    assert cosine(SCRIPT, filled) > 0.6


def test_variables_survive_import_scoring_approval_and_publishing(workspace, tmp_path) -> None:
    quiz = build_quiz(workspace, (SHIP, RETURN))
    texts = {(1, "kf_01"): SCRIPT, (1, "kf_02"): "亲，很快发货的", (1, "kf_03"): "不知道",
             (2, "kf_01"): "亲，支持7天无理由退换哦", (2, "kf_02"): "可以退"}
    import_answers(workspace, [answer_csv(tmp_path / "answers.csv", template_rows(quiz, texts))])
    score_quiz(workspace, quiz.week)
    candidates = {c.winner.question: c for c in approval.list_candidates(workspace)}
    winner = candidates[SHIP.question].winner
    assert winner.text == SCRIPT  # masking kept it; the slots did not cost it the win
    approval.approve(workspace, winner.topic_id, by="组长")
    ws = type(workspace)(root=workspace.root, settings=settings_from_dict({"library": {
        "quick_replies": {"qianniu": {"placeholder": "#{name}#"}}},
        "store": {"url": workspace.settings.store.url}}))
    result = publish(ws, by="组长")

    doc = json.loads((result.out_dir / "faq.json").read_text(encoding="utf-8"))
    entry = next(e for e in doc["entries"] if e["question"] == SHIP.question)
    assert entry["script"] == SCRIPT
    assert entry["variables"] == ["买家昵称", "订单号", "发货时间"]
    with (result.out_dir / "faq.csv").open(encoding="utf-8-sig", newline="") as f:
        assert SCRIPT in [row["script"] for row in csv.DictReader(f)]
    sheet = load_workbook(result.out_dir / "faq.xlsx", read_only=True).active
    assert SCRIPT in [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    qianniu, feige, _ = result.quick_replies
    got = {r[2] for r in load_workbook(qianniu.path).active.iter_rows(min_row=2, values_only=True)}
    assert convert(SCRIPT, "#{name}#") in got  # 千牛 with a placeholder syntax set
    got = {r[2] for r in load_workbook(feige.path).active.iter_rows(min_row=2, values_only=True)}
    assert SCRIPT in got  # no syntax known: kept for the agent to fill in
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert '<mark class="var" data-var="订单号">{订单号}</mark>' in html
    assert '<input type="text" data-var="发货时间" autocomplete="off">' in html
