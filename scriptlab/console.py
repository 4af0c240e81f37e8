"""Terminal plumbing shared by the command modules: the app class, common options,
progress bars and the error boundary. Library code never imports this module."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from scriptlab.errors import ScriptlabError


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a `ScriptlabError` into one red line and its exit code; no traceback.

    A file-system error the library did not word itself (a full disk, a read-only folder)
    gets the same treatment, naming the folder and the fix.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ScriptlabError as exc:
            error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except OSError as exc:
            from scriptlab.files import os_problem

            problem = os_problem(exc)
            error(str(problem))
            raise typer.Exit(int(problem.exit_code)) from None

    return wrapper


class App(typer.Typer):
    """A Typer app whose commands report `ScriptlabError` cleanly."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        kwargs.setdefault("pretty_exceptions_show_locals", False)  # locals may hold chat text
        kwargs.setdefault("add_completion", False)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        register = super().command(*args, **kwargs)
        return lambda func: register(_guard(func))


def _workspace_value(ctx: typer.Context, param: Any, value: Path | None) -> Path | None:
    """--workspace after the command wins; else `scriptlab -w DIR command` (the root's);
    else the environment variable or the current folder."""
    source = ctx.get_parameter_source(param.name)
    if source is not None and source.name == "COMMANDLINE":
        return value
    given = (ctx.find_root().obj or {}).get("workspace")
    return Path(given) if given else value


WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace", "-w", envvar="SCRIPTLAB_WORKSPACE", show_envvar=True,
        callback=_workspace_value,
        help="Workspace folder (default: the current folder); may also come before the "
        "command: scriptlab -w DIR ...",
    ),
]


def error(message: str) -> None:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)


def warn(message: str) -> None:
    typer.secho(f"Warning: {message}", fg=typer.colors.YELLOW, err=True)


def info(message: str) -> None:
    typer.echo(message)


def done(message: str) -> None:
    typer.secho(message, fg=typer.colors.GREEN)


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (only when it is a terminal); yields `advance(n)`."""
    if not sys.stderr.isatty():
        yield lambda _n: None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> None:
    """Print rows as a table (rich), falling back to plain text when piped."""
    from rich.console import Console
    from rich.table import Table

    out = Table(title=title, show_lines=False)
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console(soft_wrap=False).print(out)


def block(title: str, detail: str, body: str) -> None:
    """A bold title line, a detail line, then `body` indented and wrapped at full width
    (rich measures Chinese characters as two columns)."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    out = Console(soft_wrap=False, highlight=False)
    out.print(Text(title, style="bold"))
    out.print(Padding(Text(detail, style="dim"), (0, 0, 0, 2)))
    out.print(Padding(Text(body), (0, 0, 1, 4)))
