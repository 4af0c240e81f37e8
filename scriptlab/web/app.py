"""The ASGI app: pages rendered on the server, strict security headers, a log without
customer text or tokens, and one lock so this process writes to SQLite one at a time
(readers never wait: the database is in WAL mode)."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from importlib import resources
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from scriptlab.errors import ScriptlabError
from scriptlab.store.workspace import Workspace
from scriptlab.templating import environment
from scriptlab.web import agent, auth, reviewer
from scriptlab.web.i18n import translations

log = logging.getLogger("scriptlab.web")
STAFF = auth.need("trainer", "lead")
HOME = {"agent": "/quiz", "reviewer": "/review", "trainer": "/desk", "lead": "/desk"}


class Pages:
    """Renders templates with the request's CSP nonce, CSRF token and translations."""

    def __init__(self, ws: Workspace) -> None:
        self.env = environment("scriptlab.web", ws.templates_dir)
        self.env.add_extension("jinja2.ext.i18n")
        self.language = ws.settings.ui.language
        self.env.install_gettext_translations(translations(self.language), newstyle=True)

    def render(self, request: Request, name: str, context: dict[str, Any],
               status_code: int = 200) -> HTMLResponse:
        viewer = getattr(request.state, "viewer", None)
        html = self.env.get_template(name).render(
            nonce=request.state.nonce, viewer=viewer, lang=self.language,
            csrf=context.pop("csrf", viewer.csrf if viewer else ""), **context)
        return HTMLResponse(html, status_code=status_code)


def _csp(nonce: str) -> str:
    return ("default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'")


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task group): a CSP nonce per response, strict
    headers, and one log line per request with the route's pattern, never its path."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce
        started = time.perf_counter()
        status = [0]
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", _csp(nonce).encode()),
                            (b"x-content-type-options", b"nosniff"),
                            # sign-in links stay private
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            # The route's pattern: /signin/{token} keeps the token out of the log.
            log.info("%s %s %s %.1fms", scope["method"], getattr(route, "path", "-"),
                     status[0], 1000 * (time.perf_counter() - started))


def _server_sqlite(ws: Workspace) -> None:
    """``synchronous=NORMAL`` for the server's connections: in WAL mode a commit then skips
    its fsync (checkpoints still sync), so one quiz answer costs well under a millisecond
    of disk wait instead of ~13 ms. The database cannot be corrupted this way; a power cut
    (not a crash of the server) may lose the last commits before it."""
    engine = ws.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _normal_sync(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    engine.dispose()  # connections opened before this listener get it on reconnect


def create_app(ws: Workspace) -> FastAPI:
    """The app serving `ws`; every route checks the viewer's role itself."""
    translations(ws.settings.ui.language)  # a bad [ui] language fails now, not per page
    _server_sqlite(ws)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ws = ws
    app.state.pages = Pages(ws)
    app.state.write_lock = threading.Lock()
    app.state.failed = auth.FailedSignIns(ws.settings.web.max_failed_signins)

    @app.exception_handler(auth.NotSignedIn)
    async def _anonymous(request: Request, _exc: Exception) -> Response:
        return app.state.pages.render(request, "error.html", {"status": 401}, status_code=401)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return app.state.pages.render(request, "error.html", {"status": exc.status_code},
                                      status_code=exc.status_code)

    @app.exception_handler(ScriptlabError)
    async def _library(request: Request, exc: ScriptlabError) -> Response:
        return app.state.pages.render(request, "error.html",
                                      {"status": 400, "message": str(exc)}, status_code=400)

    @app.get("/")
    def home(request: Request) -> Response:
        viewer = auth.current_viewer(request)
        if viewer is None:
            return app.state.pages.render(request, "welcome.html", {})
        return RedirectResponse(HOME[viewer.user.role], status_code=303)

    @app.get("/desk")
    def desk(request: Request, viewer: auth.Viewer = STAFF) -> Response:
        return app.state.pages.render(request, "desk.html", {})

    app.add_middleware(SecurityHeaders)
    static = resources.files("scriptlab.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(auth.router)
    app.include_router(agent.router)
    app.include_router(reviewer.router)
    return app
