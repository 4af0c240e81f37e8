"""Who is asking: the session cookie, the role each route needs, CSRF on every form,
and the sign-in routes (a one-time link → confirm → session cookie)."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scriptlab.people.signin import (
    Session,
    SignInError,
    end_session,
    link_state,
    redeem_link,
    session_user,
)
from scriptlab.people.users import User

SESSION_COOKIE = "scriptlab_session"
PRE_COOKIE = "scriptlab_pre"  # CSRF token of a visitor not signed in yet (double submit)
WINDOW_SECONDS = 600

router = APIRouter()


@dataclass(frozen=True)
class Viewer:
    """The signed-in person of a request."""

    user: User
    session: Session

    @property
    def csrf(self) -> str:
        return self.session.csrf


class FailedSignIns:
    """Failed sign-ins per client address in a sliding window (one process, in memory)."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())


def current_viewer(request: Request) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    session = session_user(request.app.state.ws, token)
    return Viewer(session.user, session) if session else None


class NotSignedIn(Exception):
    """Raised by `need` for anonymous visitors; the app answers with a 401 page."""


def need(*roles: str):
    """A dependency: the viewer, if signed in with one of `roles` (else 401 / 403)."""

    def check(request: Request) -> Viewer:
        viewer = current_viewer(request)
        if viewer is None:
            raise NotSignedIn()
        if viewer.user.role not in roles:
            raise HTTPException(status_code=403)
        request.state.viewer = viewer
        return viewer

    return Depends(check)


async def check_csrf(request: Request, expected: str) -> dict[str, str]:
    """The posted form, if its `csrf` field matches `expected`; else 403."""
    form = await request.form()
    given = str(form.get("csrf", "")) or request.headers.get("x-csrf-token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="csrf")
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _refuse(request: Request, reason: str, status: int) -> Response:
    request.app.state.failed.failed(_client(request))
    return request.app.state.pages.render(request, "signin_failed.html", {"reason": reason},
                                          status_code=status)


@router.get("/signin/{token}")
def signin_page(request: Request, token: str) -> Response:
    """Confirm page: a GET never uses the link (chat apps open links to preview them)."""
    pages = request.app.state.pages
    if request.app.state.failed.blocked(_client(request)):
        return pages.render(request, "signin_failed.html", {"reason": "blocked"},
                            status_code=429)
    try:
        user = link_state(request.app.state.ws, token)
    except SignInError as exc:
        return _refuse(request, exc.reason, 400 if exc.reason != "unknown" else 404)
    pre = secrets.token_urlsafe(24)
    response = pages.render(request, "signin.html", {"name": user.name, "role": user.role,
                                                     "csrf": pre, "token": token})
    response.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="lax", secure=_secure(request),
                        path="/signin")
    return response


@router.post("/signin/{token}")
async def signin(request: Request, token: str) -> Response:
    if request.app.state.failed.blocked(_client(request)):
        return request.app.state.pages.render(request, "signin_failed.html",
                                              {"reason": "blocked"}, status_code=429)
    await check_csrf(request, request.cookies.get(PRE_COOKIE, ""))
    settings = request.app.state.ws.settings.web

    def work() -> Session:
        with request.app.state.write_lock:
            return redeem_link(request.app.state.ws, token, hours=settings.session_hours)

    try:
        session = await run_in_threadpool(work)
    except SignInError as exc:
        return _refuse(request, exc.reason, 400 if exc.reason != "unknown" else 404)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session.token, max_age=settings.session_hours * 3600,
                        httponly=True, samesite="lax", secure=_secure(request))
    response.delete_cookie(PRE_COOKIE, path="/signin")
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    viewer = await run_in_threadpool(current_viewer, request)
    if viewer is None:
        raise NotSignedIn()
    await check_csrf(request, viewer.csrf)

    def work() -> None:
        with request.app.state.write_lock:
            end_session(request.app.state.ws, viewer.session.token)

    await run_in_threadpool(work)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
