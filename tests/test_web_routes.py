"""`scriptlab serve` routes through FastAPI's TestClient: every route × role, CSRF,
sign-in links (used, expired, revoked, unknown, rate-limited), agents kept to their own
answers, reviewers kept blind, escaping, CSP and a log without tokens or customer text."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from web_fixtures import AUTHORS, CSRF, USERS, build_team, csrf_of, link_token, signed_in

from scriptlab.people.signin import invite_users
from scriptlab.people.users import find_user, revoke_user
from scriptlab.quiz.closing import close_quiz
from scriptlab.store import schema

WEEK = "2026-W48"
EVIL = '<script>window.__pwned=1</script><img src=x onerror="x()">'
ROLES = ("anonymous", "agent", "reviewer", "trainer", "lead")


@pytest.fixture(scope="module")
def team(tmp_path_factory, module_store_url):
    """One team for the module (per backend); kf_02 has answered (so reviewers have a queue)."""
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path_factory.mktemp("web") / "ws", db_url=module_store_url() or None)
    built = build_team(ws)
    other = signed_in(built, "agent2")
    csrf = csrf_of(other, f"/quiz/{WEEK}")
    q1, q2, _ = built.quiz.question_ids
    done = other.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q1}": "二号的秘密回答：48小时内发货",
                                             f"answer_{q2}": EVIL})
    assert done.status_code == 303
    return built


@pytest.fixture(scope="module")
def clients(team):
    return {role: signed_in(team, role) for role in ROLES}


def _code(team, text_like: str) -> str:
    a = schema.answers
    with team.ws.engine.connect() as conn:
        return conn.execute(sa.select(a.c.code).where(a.c.text.like(f"%{text_like}%"))).scalar()


def _expected(path: str, role: str) -> int:
    if role == "anonymous":
        return 200 if path == "/" else 401
    if path == "/":
        return 303
    owner = {"/quiz": "agent", "/review": "reviewer", "/desk": "staff"}
    for prefix, who in owner.items():
        if path.startswith(prefix):
            mine = who == role or (who == "staff" and role in ("trainer", "lead"))
            if not mine:
                return 403
            return 303 if path == "/quiz" else 200
    raise AssertionError(path)


def test_every_get_route_checks_the_role(team, clients) -> None:
    code = _code(team, "秘密")
    paths = ["/", "/quiz", f"/quiz/{WEEK}", f"/quiz/{WEEK}/results", "/review",
             f"/review/{WEEK}", f"/review/{WEEK}/{code}", "/desk"]
    seen = {}
    for role in ROLES:
        for path in paths:
            seen[(path, role)] = clients[role].get(path).status_code
    assert seen == {(p, r): _expected(p, r) for p in paths for r in ROLES}


def test_every_post_route_checks_the_role(team, clients) -> None:
    code = _code(team, "秘密")
    q1 = team.quiz.question_ids[0]
    posts = {f"/quiz/{WEEK}": {f"answer_{q1}": "x"},
             f"/quiz/{WEEK}/draft": {"question_id": str(q1), "text": "x"},
             f"/review/{WEEK}/{code}": {"dim_0": "3"}}
    allowed = {f"/quiz/{WEEK}": "agent", f"/quiz/{WEEK}/draft": "agent",
               f"/review/{WEEK}/{code}": "reviewer"}
    for role in ROLES:
        client = clients[role]
        csrf = CSRF.search(client.get("/desk" if role in ("trainer", "lead") else
                                      "/review" if role == "reviewer" else
                                      f"/quiz/{WEEK}" if role == "agent" else "/").text or "")
        token = csrf.group(1) if csrf else ""
        for path, data in posts.items():
            status = client.post(path, data={"csrf": token, **data}).status_code
            if role == "anonymous":
                assert status == 401, (path, role)
            elif allowed[path] == role:
                assert status in (303, 204), (path, role, status)
            else:
                assert status == 403, (path, role, status)
    # what the reviewer saved, with the trainer's and agent's tries refused
    r = schema.ratings
    with team.ws.engine.connect() as conn:
        raters = set(conn.execute(sa.select(r.c.reviewer)).scalars())
    assert raters == {USERS["reviewer"]}


def test_forms_without_the_csrf_token_are_refused(team) -> None:
    agent = signed_in(team, "agent")
    q1 = team.quiz.question_ids[0]
    assert agent.post(f"/quiz/{WEEK}", data={f"answer_{q1}": "无令牌"}).status_code == 403
    assert agent.post(f"/quiz/{WEEK}", data={"csrf": "forged", f"answer_{q1}": "伪造"}
                      ).status_code == 403
    other = signed_in(team, "agent2")  # another session's valid token does not count
    stolen = csrf_of(other, f"/quiz/{WEEK}")
    assert agent.post(f"/quiz/{WEEK}", data={"csrf": stolen, f"answer_{q1}": "偷来的令牌"}
                      ).status_code == 403
    assert agent.post("/signout", data={}).status_code == 403
    with team.ws.engine.connect() as conn:
        texts = set(conn.execute(sa.select(schema.answers.c.text)).scalars())
    assert not texts & {"无令牌", "伪造", "偷来的令牌"}
    # the sign-in form needs the token its own page set in a cookie
    fresh = signed_in(team, "anonymous")
    token = link_token(team.ws, USERS["trainer"])
    assert fresh.post(f"/signin/{token}", data={"csrf": "guess"}).status_code == 403


def test_a_link_signs_in_once(team) -> None:
    client = signed_in(team, "anonymous")
    token = link_token(team.ws, USERS["lead"])
    page = client.get(f"/signin/{token}")
    assert page.status_code == 200 and USERS["lead"] in page.text
    assert "scriptlab_session" not in client.cookies  # a GET (a chat preview) uses nothing
    csrf = CSRF.search(page.text).group(1)
    done = client.post(f"/signin/{token}", data={"csrf": csrf})
    assert done.status_code == 303
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert client.get("/desk").status_code == 200
    again = signed_in(team, "anonymous").get(f"/signin/{token}")
    assert again.status_code == 400 and "已被使用" in again.text


def test_https_sets_a_secure_cookie(team) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(team.app, base_url="https://scriptlab.example", follow_redirects=False)
    token = link_token(team.ws, USERS["lead"])
    csrf = CSRF.search(client.get(f"/signin/{token}").text).group(1)
    done = client.post(f"/signin/{token}", data={"csrf": csrf})
    assert "Secure" in done.headers["set-cookie"]


def test_expired_revoked_and_unknown_links(team) -> None:
    long_ago = datetime.now() - timedelta(days=30)
    old = invite_users(team.ws, [USERS["trainer"]], days=7, now=long_ago)[0].token
    client = signed_in(team, "anonymous")
    assert client.get(f"/signin/{old}").status_code == 400
    assert "已过期" in client.get(f"/signin/{old}").text
    assert client.get("/signin/not-a-token").status_code == 404


def test_revoking_a_user_ends_links_and_sessions(workspace) -> None:
    ws = workspace
    team = build_team(ws)
    agent = signed_in(team, "agent")
    spare = link_token(ws, USERS["agent"])
    assert agent.get(f"/quiz/{WEEK}").status_code == 200
    assert revoke_user(ws, USERS["agent"]) == (1, 1)
    assert agent.get(f"/quiz/{WEEK}").status_code == 401
    page = signed_in(team, "anonymous").get(f"/signin/{spare}")
    assert page.status_code == 400 and "已被撤销" in page.text
    assert not find_user(ws, USERS["agent"]).active


def test_failed_sign_ins_are_rate_limited(workspace) -> None:
    ws = workspace
    team = build_team(ws)
    client = signed_in(team, "anonymous")
    limit = ws.settings.web.max_failed_signins
    for n in range(limit):
        assert client.get(f"/signin/guess-{n}").status_code == 404
    good = link_token(ws, USERS["agent"])
    refused = client.get(f"/signin/{good}")
    assert refused.status_code == 429 and "失败次数过多" in refused.text
    assert client.post(f"/signin/{good}", data={"csrf": "x"}).status_code == 429


def test_an_agent_sees_and_changes_only_their_own_answers(team) -> None:
    agent = signed_in(team, "agent")
    page = agent.get(f"/quiz/{WEEK}")
    assert "二号的秘密回答" not in page.text
    for probe in (f"/quiz/{WEEK}?agent_id=kf_02", f"/quiz/{WEEK}?agent=kf_02",
                  f"/quiz/{WEEK}/results?agent_id=kf_02"):
        assert "二号的秘密回答" not in agent.get(probe).text
    csrf = CSRF.search(page.text).group(1)
    q1 = team.quiz.question_ids[0]
    # agent_id in the form is ignored: the session decides whose answer it is
    assert agent.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q1}": "第一位客服的回答",
                                             "agent_id": "kf_02"}).status_code == 303
    # a question id that is not in this quiz (another quiz's, or made up) is refused
    for bad in ("999", "abc"):
        assert agent.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{bad}": "y"}
                          ).status_code == 400
        assert agent.post(f"/quiz/{WEEK}/draft", data={"csrf": csrf, "question_id": bad,
                                                       "text": "y"}).status_code == 400
    assert agent.get("/quiz/2026-W47").status_code == 404
    a = schema.answers
    with team.ws.engine.connect() as conn:
        rows = dict(conn.execute(sa.select(a.c.agent_id, a.c.text)
                                 .where(a.c.question_id == q1)).all())
    assert rows["kf_01"] == "第一位客服的回答"
    assert rows["kf_02"] == "二号的秘密回答：48小时内发货"


def test_drafts_survive_a_reload_and_submitting_replaces_them(team) -> None:
    agent = signed_in(team, "agent")
    csrf = csrf_of(agent, f"/quiz/{WEEK}")
    q3 = team.quiz.question_ids[2]
    saved = agent.post(f"/quiz/{WEEK}/draft", data={"csrf": csrf, "question_id": str(q3),
                                                    "text": "亲，默认中通，电话13812345678"})
    assert saved.status_code == 204
    page = agent.get(f"/quiz/{WEEK}").text
    assert "亲，默认中通" in page and "草稿，未提交" in page
    assert "13812345678" not in page  # masked before it is stored, like every answer
    agent.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q3}": "亲，默认发中通哦"})
    page = agent.get(f"/quiz/{WEEK}").text
    assert "亲，默认发中通哦" in page and "草稿，未提交" not in page


def test_browser_answers_land_like_imported_ones(team) -> None:
    """Same table, an imports row of kind answers, the same masking and codes."""
    a, i = schema.answers, schema.imports
    with team.ws.engine.connect() as conn:
        rows = conn.execute(sa.select(a.c.code, a.c.text, i.c.kind, i.c.source)
                            .select_from(a.join(i, i.c.id == a.c.import_id))
                            .where(a.c.agent_id == "kf_02")).all()
    assert {r.kind for r in rows} == {"answers"} and {r.source for r in rows} == {"web:kf_02"}
    assert all(re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{6}", r.code) for r in rows)


def test_a_closed_quiz_takes_no_more_answers(tmp_path) -> None:
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "ws")
    team = build_team(ws)
    agent = signed_in(team, "agent")
    csrf = csrf_of(agent, f"/quiz/{WEEK}")
    q1 = team.quiz.question_ids[0]
    assert agent.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q1}": "第一版"}
                      ).status_code == 303
    assert agent.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q1}": "第二版"}
                      ).status_code == 303
    close_quiz(ws, team.quiz.quiz_id, by="trainer")
    refused = agent.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q1}": "第三版"})
    assert refused.status_code == 400
    page = agent.get(f"/quiz/{WEEK}").text
    assert "第二版" in page and "readonly" in page and "提交回答" not in page


class BlindCheck:
    """A reviewer's client that fails on any response naming an agent."""

    def __init__(self, client) -> None:
        self.client = client
        self.responses = 0

    def __getattr__(self, name):
        method = getattr(self.client, name)
        if name not in ("get", "post"):
            return method

        def checked(*args, **kwargs):
            response = method(*args, **kwargs)
            self.responses += 1
            body = response.text + " ".join(response.headers.values())
            leaked = [s for s in AUTHORS if s in body]
            assert not leaked, (args, leaked)
            return response

        return checked


def test_a_reviewer_rates_blind(team) -> None:
    reviewer = BlindCheck(signed_in(team, "reviewer2"))
    listing = reviewer.get("/review")
    assert f"/review/{WEEK}" in listing.text
    queue = reviewer.get(f"/review/{WEEK}")
    codes = re.findall(r"<code>([2-9A-Z]{6})</code>", queue.text)
    assert codes and len(codes) == len(set(codes))
    for code in codes:
        page = reviewer.get(f"/review/{WEEK}/{code}")
        assert page.status_code == 200
        csrf = CSRF.search(page.text).group(1)
        done = reviewer.post(f"/review/{WEEK}/{code}",
                             data={"csrf": csrf, "dim_0": "4", "dim_1": "5", "comment": "不错"})
        assert done.status_code == 303
        reviewer.get(done.headers["location"])
    assert "全部评完" in reviewer.get(f"/review/{WEEK}").text
    assert reviewer.responses >= 2 + 3 * len(codes)
    r = schema.ratings
    with team.ws.engine.connect() as conn:
        mine = conn.execute(sa.select(r.c.dimension, r.c.value)
                            .where(r.c.reviewer == USERS["reviewer2"])).all()
    assert len(mine) == 2 * len(codes) and {v for _, v in mine} == {4, 5}


def test_each_reviewer_has_their_own_order(team) -> None:
    orders = []
    for who in ("reviewer", "reviewer2"):
        text = signed_in(team, who).get(f"/review/{WEEK}").text
        orders.append(re.findall(r"<code>([2-9A-Z]{6})</code>", text))
    assert sorted(orders[0]) == sorted(orders[1])


def test_user_text_is_escaped_everywhere(team) -> None:
    code = _code(team, "window.__pwned")
    reviewer = signed_in(team, "reviewer")
    for page in (reviewer.get(f"/review/{WEEK}/{code}").text,
                 signed_in(team, "agent2").get(f"/quiz/{WEEK}").text):
        assert "<script>window.__pwned" not in page and "<img src=x" not in page
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page


def test_pages_carry_a_strict_content_security_policy(team, clients) -> None:
    response = clients["agent"].get(f"/quiz/{WEEK}")
    policy = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy and "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert scripts == [f'<script src="/static/desk.js" nonce="{nonce}">']
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    other = clients["agent"].get(f"/quiz/{WEEK}").headers["content-security-policy"]
    assert other != policy  # a new nonce per response


def test_the_log_holds_neither_tokens_nor_customer_text(tmp_path, caplog) -> None:
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "ws")
    team = build_team(ws)
    caplog.set_level(logging.DEBUG)
    token = link_token(ws, USERS["agent"])
    client = signed_in(team, "anonymous")
    csrf = CSRF.search(client.get(f"/signin/{token}").text).group(1)
    client.post(f"/signin/{token}", data={"csrf": csrf})
    csrf = csrf_of(client, f"/quiz/{WEEK}")
    q1 = team.quiz.question_ids[0]
    client.post(f"/quiz/{WEEK}/draft", data={"csrf": csrf, "question_id": str(q1),
                                              "text": "草稿里的顾客地址"})
    client.post(f"/quiz/{WEEK}", data={"csrf": csrf, f"answer_{q1}": "提交的回答文本"})
    client.get(f"/signin/{token}")
    # everything the server side logs (httpx's lines are the test client's own requests)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert "/signin/{token}" in logged and "POST /quiz/{week}" in logged
    session = client.cookies.get("scriptlab_session")
    for secret in (token, csrf, session, "草稿里的顾客地址", "提交的回答文本", "今天拍什么时候发"):
        assert secret not in logged


def test_english_pages_from_the_same_templates(tmp_path) -> None:
    from scriptlab.store.workspace import init_workspace

    root = tmp_path / "ws"
    init_workspace(root)
    (root / "scriptlab.toml").write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    from scriptlab.store.workspace import open_workspace

    team = build_team(open_workspace(root))
    page = signed_in(team, "agent").get(f"/quiz/{WEEK}").text
    assert "Submit answers" in page and "How customers asked" in page and "提交回答" not in page


def test_an_unknown_language_is_one_clear_error(tmp_path) -> None:
    from scriptlab.errors import ScriptlabError
    from scriptlab.store.workspace import init_workspace
    from scriptlab.web.app import create_app
    from scriptlab.web.i18n import translations

    root = tmp_path / "ws"
    ws, _ = init_workspace(root)
    (root / "scriptlab.toml").write_text('[ui]\nlanguage = "fr"\n', encoding="utf-8")
    from scriptlab.store.workspace import open_workspace

    translations.cache_clear()
    with pytest.raises(ScriptlabError, match=r"\[ui\] language = 'fr' is not available; use "
                       "one of zh, en."):
        create_app(open_workspace(root))
