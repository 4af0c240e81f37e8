"""`scriptlab serve`: run the web app for the team."""

from __future__ import annotations

from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import WorkspaceOption


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (behind a reverse proxy: "
                                      "keep 127.0.0.1).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    proxy: Annotated[bool, typer.Option(
        "--proxy/--no-proxy", help="Trust X-Forwarded-For/-Proto from 127.0.0.1 (set when "
        "nginx or caddy terminates https in front).")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the workspace in the browser: agents answer quizzes, reviewers rate blind.

    Example: scriptlab serve -w my-shop --port 8000
    """
    import logging

    import uvicorn

    from scriptlab.store.workspace import open_workspace
    from scriptlab.web.app import create_app

    ws = open_workspace(workspace)
    app = create_app(ws)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    console.done(f"Serving {ws.root} on http://{host}:{port} (links use {ws.settings.web.base_url};"
                 " Ctrl+C stops)")
    # uvicorn's own access log prints raw paths (sign-in tokens): ours logs route patterns.
    uvicorn.run(app, host=host, port=port, access_log=False, proxy_headers=proxy,
                forwarded_allow_ips="127.0.0.1" if proxy else None, log_level="info")
