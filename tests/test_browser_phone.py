"""The pages people open on a phone, at 390 px in headless Debian Chromium: the search page
(with a long category, fill-in variables and a stale entry), the quiz sheet, the mine report
and the score report. Nothing may run off the screen, bars keep a visible length, and the
search page's fill-in and stale marks work. Screenshots go to the test's temp folder
(SCRIPTLAB_PHONE_SHOTS=DIR keeps them elsewhere, to look at)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from browser_fixtures import BROWSER_MARKS
from library_fixtures import INTENTS, NOW, build_workspace
from mine_fixtures import mined_workspace
from quiz_fixtures import NOW as QUIZ_NOW
from quiz_fixtures import G, standard_workspace
from scoring_fixtures import add_answers, add_ratings, build_quiz

from scriptlab.library import approval
from scriptlab.library.publish import publish

WIDTH = 390
LONG_CATEGORY = "售后与退换货服务（含七天无理由退货、换货与质量问题处理）"
SCRIPT = "亲爱的{买家昵称}，您的订单{订单号}已于{发货时间}发出，请留意物流信息哦~"
DIMS = ["准确完整", "热情友好", "专业耐心", "简洁清晰", "诚实合规"]

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Each page, rendered by the code path a team uses."""
    from scriptlab.quiz.new import new_quiz
    from scriptlab.quiz.output import render_quiz
    from scriptlab.quiz.sheets import Agent
    from scriptlab.scoring.report import write_report
    from scriptlab.scoring.scorer import score_quiz
    from scriptlab.store.workspace import init_workspace

    root = tmp_path_factory.mktemp("phone")
    found: dict[str, Path] = {}

    ws, _ = init_workspace(root / "library")
    built = build_workspace(ws, INTENTS, created=NOW - timedelta(days=200),
                            scripts={"ship_time": SCRIPT})
    for n, intent in enumerate(INTENTS):
        when = NOW - timedelta(days=120) if n == 0 else NOW
        approval.approve(ws, built.topic[intent.key], by="lead", now=when,
                         category=LONG_CATEGORY if intent.key == "return" else None)
    found["search"] = publish(ws, by="lead", now=NOW).out_dir / "index.html"

    quiz_ws = standard_workspace(root / "quiz")
    quiz_ws.add_run((
        G("什么时候发货？顾客问了很多次的一个很长很长的问题，想知道具体的发货时间安排", 120,
          (("亲，什么时候发货呀", 40), ("今天能发货吗", 30), ("几天发货", 20))),
        G("能便宜点吗？", 90, (("有优惠吗", 9), ("满减活动", 3))),
        G("查一下快递 <订单号>", 50),
    ))
    quiz = new_quiz(quiz_ws.ws, week="2026-W48", size=3, seed=11, now=QUIZ_NOW).quiz
    files = render_quiz(quiz, [Agent("kf_01", "王小丽", "售前组")], shuffle=False,
                        answer_lines=3, templates_dir=None)
    found["quiz"] = root / "quiz-sheet.html"
    found["quiz"].write_bytes(files["quiz-2026-W48.html"])

    _, _, outcome = mined_workspace(root / "mine")
    found["mine"] = outcome.files.html

    score_ws, _ = init_workspace(root / "score")
    scored = build_quiz(score_ws)
    texts = {(1, "kf_01"): "亲，付款后48小时内发货，16:00前付款当天发出哦~还有其他问题随时找我~",
             (1, "kf_02"): "不知道，等着吧", (2, "kf_01"): "亲，支持7天无理由退换，吊牌完好就可以",
             (2, "kf_02"): "可以退", (3, "kf_01"): "亲，默认中通，需要顺丰的话补差价10元",
             (3, "kf_03"): "韵达"}
    ids = add_answers(score_ws, scored, texts)
    add_ratings(score_ws, [(ids[k], reviewer, d, v) for k in texts for d in DIMS
                           for reviewer, v in (("zhang", 5), ("li", 2 if k[1] == "kf_02" else 4))])
    found["score"] = write_report(score_ws, score_quiz(score_ws, scored.week), root / "score")
    return found


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844},
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    yield context
    context.close()


def open_page(phone, path: Path, shots: Path, name: str):
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    return page, errors


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("SCRIPTLAB_PHONE_SHOTS")
    path = Path(keep) if keep else tmp_path_factory.mktemp("shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def overflowing(page) -> list[str]:
    """Elements whose box ends right of the screen (outside boxes that scroll themselves)."""
    return page.evaluate("""width => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        let scroller = el.parentElement, inside = false;
        while (scroller) {
          const s = getComputedStyle(scroller).overflowX;
          if (s === 'auto' || s === 'scroll' || s === 'hidden') { inside = true; break; }
          scroller = scroller.parentElement;
        }
        const box = el.getBoundingClientRect();
        if (!inside && box.width > 0 && box.right > width + 0.5)
          out.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
      }
      return out;
    }""", WIDTH)


@pytest.mark.parametrize("name", ["search", "quiz", "mine", "score"])
def test_page_fits_a_phone(phone, pages, shots, name) -> None:
    page, errors = open_page(phone, pages[name], shots, name)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH
    assert overflowing(page) == []
    assert errors == []
    page.close()


def test_mine_bars_keep_their_length(phone, pages, shots) -> None:
    page, _ = open_page(phone, pages["mine"], shots, "mine-bars")
    widths = page.eval_on_selector_all(".bar", "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and widths[0] > WIDTH / 2  # the most asked question: (nearly) a full bar
    assert all(w > 1 for w in widths)
    assert widths == sorted(widths, reverse=True)  # ranked by count
    page.close()


def test_search_page_category_menu_fill_in_and_stale_mark_on_a_phone(phone, pages, shots) -> None:
    from playwright.sync_api import expect

    page, errors = open_page(phone, pages["search"], shots, "search-fill")
    menu = page.locator("#category").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= WIDTH
    page.select_option("#category", LONG_CATEGORY)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH
    page.select_option("#category", "")

    article = page.locator("article", has=page.locator("mark.var")).first
    assert article.locator("mark.var").count() == 3
    assert article.locator(".stale").is_visible()  # approved 120 days ago
    assert page.locator("article .stale:visible").count() == 1
    button = article.locator("button.copy")
    button.click()
    expect(button).to_have_text("先填写 Fill in 买家昵称、订单号、发货时间")
    for name, value in (("买家昵称", "小王"), ("订单号", "<订单号>"), ("发货时间", "12月1日")):
        article.locator(f'.fill input[data-var="{name}"]').fill(value)
    assert article.locator(".script").text_content() == (
        "亲爱的小王，您的订单<订单号>已于12月1日发出，请留意物流信息哦~")
    expect(button).to_have_text("复制 Copy")  # all filled: the warning is gone
    article.locator('.fill input[data-var="订单号"]').fill("")
    assert "{订单号}" in article.locator(".script").text_content()
    page.screenshot(path=str(shots / "search-filled.png"))
    assert errors == []
    page.close()
