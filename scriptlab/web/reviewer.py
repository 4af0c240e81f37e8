"""The reviewer's desk: a blind queue of answer codes, one answer at a time with its
question and reference, 1-5 per rubric dimension plus a comment.

Nothing an agent wrote their name into reaches these pages: the library's review queue
has no field for the author, and the tests check every reviewer response for it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scriptlab.errors import ScriptlabError
from scriptlab.quiz.weeks import parse_week
from scriptlab.scoring import review_queue as rq
from scriptlab.scoring.quiz_data import QuizRef, find_quiz
from scriptlab.web.auth import Viewer, check_csrf, need

router = APIRouter()
REVIEWER = need("reviewer")


def _quiz(request: Request, week: str, team: str | None) -> QuizRef:
    try:
        return find_quiz(request.app.state.ws, parse_week(week), team or None)
    except ScriptlabError:
        raise HTTPException(status_code=404) from None


@router.get("/review")
def quizzes(request: Request, viewer: Viewer = REVIEWER) -> Response:
    from scriptlab.quiz.quizzes import list_quizzes

    ws = request.app.state.ws
    listed = []
    for row in list_quizzes(ws).itertuples():
        team = row.team if isinstance(row.team, str) else None
        quiz = find_quiz(ws, row.week, team)
        queue = rq.review_queue(ws, quiz.id, quiz.seed, viewer.user.name)
        if queue:
            listed.append({"week": quiz.week, "team": team, "label": quiz.label,
                           "done": sum(q.done for q in queue), "total": len(queue)})
    return request.app.state.pages.render(request, "review_list.html", {"quizzes": listed})


@router.get("/review/{week}")
def queue(request: Request, week: str, team: str = "", viewer: Viewer = REVIEWER) -> Response:
    quiz = _quiz(request, week, team)
    items = rq.review_queue(request.app.state.ws, quiz.id, quiz.seed, viewer.user.name)
    first_open = next((i.code for i in items if not i.done), None)
    return request.app.state.pages.render(request, "review_queue.html", {
        "quiz": quiz, "items": items, "done": sum(i.done for i in items),
        "first_open": first_open, "team": team,
    })


@router.get("/review/{week}/{code}")
def item(request: Request, week: str, code: str, team: str = "",
         viewer: Viewer = REVIEWER) -> Response:
    ws = request.app.state.ws
    quiz = _quiz(request, week, team)
    try:
        answer = rq.review_item(ws, quiz.id, quiz.seed, viewer.user.name, code)
    except ScriptlabError:
        raise HTTPException(status_code=404) from None
    return request.app.state.pages.render(request, "review_item.html", {
        "quiz": quiz, "item": answer, "rubric": list(ws.settings.scoring.rubric),
        "team": team, "saved": request.query_params.get("saved") == "1",
    })


@router.post("/review/{week}/{code}")
async def rate(request: Request, week: str, code: str, team: str = "",
               viewer: Viewer = REVIEWER) -> Response:
    form = await check_csrf(request, viewer.csrf)
    ws = request.app.state.ws
    rubric = list(ws.settings.scoring.rubric)
    values = {d: form.get(f"dim_{i}", "") for i, d in enumerate(rubric)}

    def work() -> tuple[QuizRef, rq.ReviewItem]:
        quiz = _quiz(request, week, team)
        answer = rq.review_item(ws, quiz.id, quiz.seed, viewer.user.name, code)
        with request.app.state.write_lock:
            rq.rate_answer(ws, quiz.id, viewer.user.name, answer.code, values,
                           form.get("comment", ""))
        return quiz, answer

    try:
        quiz, answer = await run_in_threadpool(work)
    except ScriptlabError as exc:
        if "No answer" in str(exc):
            raise HTTPException(status_code=404) from None
        raise
    suffix = f"?team={team}" if team else ""
    if answer.next_open is None:  # all rated: back to the queue
        return RedirectResponse(f"/review/{quiz.week}{suffix}", status_code=303)
    return RedirectResponse(f"/review/{quiz.week}/{answer.next_open}{suffix}", status_code=303)
