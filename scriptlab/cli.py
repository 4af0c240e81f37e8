"""The `scriptlab` command line: parses arguments, calls the library, prints.

Each stage registers its own commands from `scriptlab/<stage>/cli.py`; heavy imports
(pandas, scikit-learn, jieba) happen inside commands so `--help` and `lookup` start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import __version__, console
from scriptlab.console import App
from scriptlab.library.cli import register as register_library
from scriptlab.logs.cli import logs_app
from scriptlab.mine.cli import register as register_mine
from scriptlab.people.cli import register as register_people
from scriptlab.quiz.cli import quiz_app
from scriptlab.quiz.cli import register as register_quiz
from scriptlab.scoring.cli import register as register_scoring
from scriptlab.store.cli import workspace_app
from scriptlab.topics.cli import register as register_topics
from scriptlab.web.cli import register as register_web

app = App(
    help="Turn customer-service chat logs into an approved reply-script library (话术库): "
    "mine frequent questions, quiz agents, score answers, publish the best.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scriptlab {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Workspace folder for the command (before or after it).",
        show_default=False)] = None,
) -> None:
    """scriptlab: from chat logs to the best reply scripts."""
    if workspace is not None:
        # `scriptlab -w shop quiz new` = `scriptlab quiz new -w shop` (see
        # `console.WorkspaceOption`; a -w after the command still wins).
        ctx.obj = {**(ctx.obj or {}), "workspace": str(workspace)}


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(
        metavar="FOLDER", help="Folder (default: current).")] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Keep the data in this database instead of scriptlab.db, "
                     "e.g. postgresql://user@host/dbname (password: $SCRIPTLAB_DB_PASSWORD)."),
    ] = None,
) -> None:
    """Create a workspace: scriptlab.toml (settings) and scriptlab.db (data).

    Example: scriptlab init my-shop
    Example: scriptlab init my-shop --db postgresql://trainer@db.example.com/shop
    """
    from scriptlab.store.workspace import init_workspace

    ws, created = init_workspace(directory, db_url=db)
    if created:
        where = f", data: {ws.display_db_url}" if db else ""
        console.done(f"Created workspace {ws.root} (settings: {ws.root / 'scriptlab.toml'}"
                     f"{where})")
    else:
        console.info(f"Workspace {ws.root} already exists; database is up to date.")


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("data"),
    messages: Annotated[int, typer.Option(help="How many messages.", min=10)] = 6000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files).")] = 7,
) -> None:
    """Generate realistic sample chat logs with ground-truth intents.

    Example: scriptlab sample --out /tmp/sample --messages 100000
    """
    from scriptlab.sample.files import write_sample

    with console.progress("Generating messages"):
        written = write_sample(out, n_messages=messages, seed=seed)
    for path in written:
        console.info(f"wrote {path}")


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Argument(metavar="FOLDER",
                             help="Folder for the demo workspace (recreated).")
    ] = Path("scriptlab-demo"),
) -> None:
    """Run every stage on the bundled sample data, into a fresh workspace.

    Example: scriptlab demo
    """
    from scriptlab.demo import run_demo

    for step in run_demo(directory):
        console.done(f"[{step.stage}] {step.summary}")
        for label, path in step.outputs:
            console.info(f"    {label}: {path}")


app.add_typer(logs_app, name="logs")
register_mine(app)
register_quiz(app)
register_scoring(app)
register_topics(app)
register_library(app)
register_people(app, quiz_app)
register_web(app)
app.add_typer(workspace_app, name="workspace")


def main() -> None:
    app()


