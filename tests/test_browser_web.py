"""`scriptlab serve` end to end: a real uvicorn process on 127.0.0.1 and a free port,
headless Debian Chromium driven by Playwright. Agents open their links on a 390-px phone
(and a desktop), answer, reload (the draft is kept), submit; two reviewers rate blind
with the keyboard; scoring then uses both. Every page is screenshotted, phone and desktop,
into $SCRIPTLAB_SCREENSHOTS when it is set (to look at them)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_fixtures import BROWSER_MARKS
from scoring_fixtures import AGENTS, build_quiz

from scriptlab.people.signin import invite_users
from scriptlab.people.users import add_user
from scriptlab.scoring.scorer import score_quiz

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WEEK = "2026-W48"
EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
AUTHORS = [s for pair in AGENTS for s in pair]

pytestmark = BROWSER_MARKS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path_factory.mktemp("serve") / "ws")
    quiz = build_quiz(ws)
    for name, role in (("kf_01", "agent"), ("kf_02", "agent"), ("评审甲", "reviewer"),
                       ("rev_b", "reviewer"), ("trainer_wu", "trainer")):
        add_user(ws, name, role)
    port = _free_port()
    log = tmp_path_factory.mktemp("log") / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "scriptlab", "serve", "-w", str(ws.root), "--host",
             "127.0.0.1", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)
    yield ws, quiz, base, log
    process.terminate()
    process.wait(timeout=10)


SHOTS = os.environ.get("SCRIPTLAB_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


class Person:
    """One browser context (phone or desktop) signed in through a personal link."""

    def __init__(self, browser, ws, base: str, name: str, viewport: dict) -> None:
        self.context = browser.new_context(viewport=viewport, is_mobile=viewport == PHONE,
                                           has_touch=viewport == PHONE)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.base = base
        self.kind = "phone" if viewport == PHONE else "desktop"
        self.token = invite_users(ws, [name])[0].token

    def sign_in(self, tag: str) -> None:
        self.page.goto(f"{self.base}/signin/{self.token}")
        shot(self.page, f"{tag}-signin-{self.kind}")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="登录").click()

    def close(self) -> None:
        assert self.errors == []  # no CSP violation, no script error
        self.context.close()


def test_agents_answer_reviewers_rate_and_scoring_uses_both(server, browser) -> None:
    ws, quiz, base, log = server
    q1, q2, q3 = quiz.question_ids

    # kf_01 on a phone: types, reloads (draft kept), submits.
    agent = Person(browser, ws, base, "kf_01", PHONE)
    agent.sign_in("agent")
    page = agent.page
    assert page.url.endswith(f"/quiz/{WEEK}")
    box = page.locator(f"#a{q1}")
    box.click()
    box.press_sequentially("亲，付款后48小时内发货哦")
    expect_text(page, f'[data-state-for="a{q1}"]', "草稿已保存")
    assert page.locator(f'[data-for="a{q1}"]').inner_text() == "13"
    shot(page, "agent-quiz-typing-phone")
    page.reload()
    assert page.locator(f"#a{q1}").input_value() == "亲，付款后48小时内发货哦"
    assert "草稿，未提交" in page.locator(f'[data-state-for="a{q1}"]').inner_text()
    page.locator(f"#a{q2}").fill("亲，支持7天无理由退换，吊牌完好就可以哦")
    page.locator(f"#a{q3}").fill("亲，默认发中通，需要顺丰补差价10元哦~")
    page.get_by_role("button", name="提交回答").click()
    page.wait_for_url(re.compile(r"saved=1"))
    assert "回答已提交" in page.content()
    assert page.locator(f"#a{q1}").input_value() == "亲，付款后48小时内发货哦"
    shot(page, "agent-quiz-submitted-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone

    # kf_02 on a desktop, with markup in an answer.
    other = Person(browser, ws, base, "kf_02", DESKTOP)
    other.sign_in("agent2")
    other.page.locator(f"#a{q1}").fill("很快就发")
    other.page.locator(f"#a{q2}").fill(EVIL)
    other.page.locator(f"#a{q3}").fill("中通")
    shot(other.page, "agent-quiz-desktop")
    other.page.get_by_role("button", name="提交回答").click()
    other.page.wait_for_url(re.compile(r"saved=1"))

    # Two reviewers rate everything blind, with the keyboard.
    rubric = list(ws.settings.scoring.rubric)
    for name, viewport, key in (("评审甲", DESKTOP, "4"), ("rev_b", PHONE, "5")):
        reviewer = Person(browser, ws, base, name, viewport)
        reviewer.sign_in(f"reviewer-{name}")
        rp = reviewer.page
        assert rp.url.endswith("/review")
        shot(rp, f"reviewer-list-{reviewer.kind}")
        rp.get_by_role("link", name=re.compile(WEEK)).click()
        shot(rp, f"reviewer-queue-{reviewer.kind}")
        rp.get_by_role("link", name="评下一条").click()
        rated = 0
        while "/review/" + WEEK + "/" in rp.url:
            content = rp.content()
            assert not [s for s in AUTHORS if s in content]
            assert rp.evaluate("window.__pwned") is None
            if rated == 0:
                shot(rp, f"reviewer-item-{reviewer.kind}")
            for _ in rubric:
                rp.keyboard.press(key)
            with rp.expect_navigation():
                rp.keyboard.press("Enter")
            rated += 1
            assert rated <= 6
        assert rated == 6 and "全部评完" in rp.content()
        shot(rp, f"reviewer-done-{reviewer.kind}")
        reviewer.close()

    result = score_quiz(ws, WEEK)
    filled = result.scored[~result.scored["no_answer"]]
    assert result.reviewed and set(filled["reviewers"]) == {2}
    assert set(filled["agent_id"]) == {"kf_01", "kf_02"}
    assert (filled["winner_basis"].dropna() == "reviewed").all()

    # After scoring: my answer beside the winner, my scores, my trend.
    for person, tag in ((agent, "phone"), (other, "desktop")):
        person.page.goto(f"{base}/quiz/{WEEK}/results")
        text = person.page.inner_text("main")
        assert "我的回答" in text and "评审平均分" in text and "我的成绩走势" in text
        shot(person.page, f"agent-results-{tag}")
    agent.close()
    other.close()

    # Other pages, for the screenshots: welcome, a refused link, the staff desk.
    for viewport in (PHONE, DESKTOP):
        kind = "phone" if viewport == PHONE else "desktop"
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(base + "/")
        shot(page, f"welcome-{kind}")
        page.goto(f"{base}/signin/{agent.token}")
        assert "已被使用" in page.content()
        shot(page, f"signin-used-{kind}")
        context.close()
        trainer = Person(browser, ws, base, "trainer_wu", viewport)
        trainer.sign_in(f"trainer-{kind}")
        shot(trainer.page, f"trainer-desk-{kind}")
        trainer.close()

    logged = log.read_text()
    assert "GET /signin/{token}" in logged
    assert agent.token not in logged and "48小时" not in logged


def expect_text(page, selector: str, text: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while text not in page.locator(selector).inner_text():
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector}: {page.locator(selector).inner_text()!r}")
        time.sleep(0.1)
