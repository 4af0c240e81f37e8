"""The agent's desk: this week's quiz, drafts saved while typing, submit and edit until
the quiz closes, then my answers beside the winners and my trend over the weeks.

The agent is always the session's: no route takes an agent id."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scriptlab.errors import ScriptlabError
from scriptlab.scoring import desk
from scriptlab.web.auth import Viewer, check_csrf, need

router = APIRouter()
AGENT = need("agent")


def _quiz(request: Request, viewer: Viewer, week: str) -> desk.DeskQuiz:
    try:
        return desk.agent_quiz(request.app.state.ws, viewer.user.agent_id or "", week)
    except ScriptlabError:
        raise HTTPException(status_code=404) from None


@router.get("/quiz")
def latest(request: Request, viewer: Viewer = AGENT) -> Response:
    quizzes = desk.agent_quizzes(request.app.state.ws, viewer.user.agent_id or "")
    if not quizzes:
        return request.app.state.pages.render(request, "no_quiz.html", {})
    return RedirectResponse(f"/quiz/{quizzes[0].week}", status_code=303)


@router.get("/quiz/{week}")
def quiz_page(request: Request, week: str, viewer: Viewer = AGENT) -> Response:
    ws = request.app.state.ws
    quiz = _quiz(request, viewer, week)
    questions = desk.desk_questions(ws, viewer.user.agent_id or "", quiz.id)
    others = [q for q in desk.agent_quizzes(ws, viewer.user.agent_id or "") if q.id != quiz.id]
    return request.app.state.pages.render(request, "quiz.html", {
        "quiz": quiz, "questions": questions, "others": others,
        "saved": request.query_params.get("saved") == "1", "limit": desk.MAX_ANSWER_CHARS,
    })


@router.post("/quiz/{week}/draft")
async def save_draft(request: Request, week: str, viewer: Viewer = AGENT) -> Response:
    form = await check_csrf(request, viewer.csrf)
    try:
        question_id = int(form.get("question_id", ""))
    except ValueError:
        raise HTTPException(status_code=400) from None

    def work() -> None:
        quiz = _quiz(request, viewer, week)
        with request.app.state.write_lock:
            desk.save_draft(request.app.state.ws, viewer.user.agent_id or "", quiz,
                            question_id, form.get("text", ""))

    await run_in_threadpool(work)
    return Response(status_code=204)


@router.post("/quiz/{week}")
async def submit(request: Request, week: str, viewer: Viewer = AGENT) -> Response:
    form = await check_csrf(request, viewer.csrf)
    texts: dict[int, str] = {}
    for key, value in form.items():
        if key.startswith("answer_"):
            try:
                texts[int(key.removeprefix("answer_"))] = value
            except ValueError:
                raise HTTPException(status_code=400) from None

    def work() -> desk.DeskQuiz:
        quiz = _quiz(request, viewer, week)
        with request.app.state.write_lock:
            desk.submit_answers(request.app.state.ws, viewer.user.agent_id or "", quiz, texts)
        return quiz

    quiz = await run_in_threadpool(work)
    return RedirectResponse(f"/quiz/{quiz.week}?saved=1", status_code=303)


@router.get("/quiz/{week}/results")
def results(request: Request, week: str, viewer: Viewer = AGENT) -> Response:
    ws = request.app.state.ws
    quiz = _quiz(request, viewer, week)
    mine = desk.my_results(ws, viewer.user.agent_id or "", quiz.id)
    trend = desk.my_trend(ws, viewer.user.agent_id or "")
    return request.app.state.pages.render(request, "results.html", {
        "quiz": quiz, "results": mine, "trend": trend,
        "rubric": list(ws.settings.scoring.rubric),
    })
