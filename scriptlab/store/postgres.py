"""PostgreSQL as the workspace database: a team's shared store on a server.

Everything PostgreSQL-specific lives here, so the stages run unchanged on either backend:

- the driver is psycopg 3 (`pip install "scriptlab[postgres]"`); `postgresql://` URLs are
  pointed at it, and a missing driver or an unreachable server is one clear line;
- the password never sits in `scriptlab.toml`: it comes from an environment variable
  (`[store] password_env`, default `SCRIPTLAB_DB_PASSWORD`), or from libpq's own
  `PGPASSWORD` / `~/.pgpass`;
- writers are serialised as SQLite serialises them: every `engine.begin()` block first takes
  one transaction-scoped advisory lock, waiting at most `[store] busy_timeout` seconds, and reads
  that a writer made before it got the lock cannot go stale (read committed, after the lock);
- readers (`engine.connect()` blocks) see one snapshot (repeatable read), as a SQLite reader
  in WAL mode does, and never wait for a writer;
- rows come back in SQLite's order: `ORDER BY` puts NULLs first ascending (PostgreSQL puts
  them last) and sorts text by code point, whatever collation the database was created with.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.sql import operators

from scriptlab.errors import ScriptlabError

DRIVER = "postgresql+psycopg"
PASSWORD_ENV = "SCRIPTLAB_DB_PASSWORD"
# One lock per database: "scriptlab" spelled as a 63-bit key for pg_advisory_xact_lock.
WRITER_LOCK = int.from_bytes(b"scriptlb", "big") >> 1
_PENDING_AUTOBEGIN = "scriptlab_autobegin"


def is_postgres_url(url: str) -> bool:
    """True for `postgresql://…` and `postgresql+driver://…` (also the `postgres://` alias)."""
    return url.split(":", 1)[0].split("+", 1)[0] in {"postgresql", "postgres"}


def parse_url(url: str) -> URL:
    """The URL pointed at psycopg 3; refuses a password written into it."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ScriptlabError(f"Not a database URL: {url!r} ({exc}).") from exc
    if parsed.password is not None:
        raise ScriptlabError(
            "The database URL holds a password; remove it from the URL and set it in the "
            f"environment instead ({PASSWORD_ENV}=…), so it is never written to scriptlab.toml."
        )
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername=DRIVER)
    return parsed


def display_url(url: str) -> str:
    """The URL as users may see it (no password, whatever the input)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return "the configured database"
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


def require_driver() -> None:
    """Fail with the install command when psycopg 3 is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ScriptlabError(
            'PostgreSQL needs the psycopg driver: pip install "scriptlab[postgres]".'
        ) from exc


def make_postgres_engine(
    url: str, *, password_env: str = PASSWORD_ENV, busy_timeout: float = 30.0,
    busy_error: type[ScriptlabError] = ScriptlabError, busy_message: str = "{seconds:g}",
) -> Engine:
    """An engine for a PostgreSQL workspace database (see the module docstring)."""
    require_driver()
    import psycopg

    parsed = parse_url(url)
    password = os.environ.get(password_env) if password_env else None
    if password:
        parsed = parsed.set(password=password)
    engine = sa.create_engine(parsed, pool_pre_ping=True)
    shown = display_url(url)
    timeout_ms = max(1, round(busy_timeout * 1000))

    @sa.event.listens_for(engine, "before_execute")
    def _mark_autobegin(conn, *_args):  # noqa: ANN001, ANN002
        # A statement run outside a transaction starts one implicitly: that is a reader
        # (`engine.connect()`); `engine.begin()` begins explicitly before any statement.
        if not conn.in_transaction():
            conn.info[_PENDING_AUTOBEGIN] = True

    @sa.event.listens_for(engine, "before_execute", retval=True)
    def _sqlite_order(conn, statement, multiparams, params, _options):  # noqa: ANN001
        return in_sqlite_order(statement), multiparams, params

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        # On the driver's own cursor: the block's execution options (a streaming read's
        # server-side cursor) must not apply to these statements.
        with conn.connection.dbapi_connection.cursor() as cursor:
            if conn.info.pop(_PENDING_AUTOBEGIN, False):
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return
            cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms}")
            try:
                cursor.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
            except psycopg.errors.LockNotAvailable:
                raise busy_error(busy_message.format(seconds=busy_timeout)) from None

    @sa.event.listens_for(engine, "handle_error")
    def _translate(ctx):  # noqa: ANN001
        if isinstance(ctx.original_exception, psycopg.errors.LockNotAvailable):
            raise busy_error(busy_message.format(seconds=busy_timeout)) from None
        if ctx.connection is None or ctx.is_disconnect:  # connecting failed, or the link broke
            raise ScriptlabError(
                f"Cannot use the PostgreSQL database {shown}: "
                f"{_first_line(ctx.original_exception)}. Check that the server is running and "
                f"[store] url in scriptlab.toml (password: ${password_env} or ~/.pgpass)."
            ) from ctx.original_exception

    return engine


def in_sqlite_order(statement: Any) -> Any:
    """The statement with each top-level ORDER BY term sorted as SQLite sorts it."""
    terms = getattr(statement, "_order_by_clauses", None)
    if not terms or not isinstance(statement, sa.Select | sa.CompoundSelect):
        return statement
    # SELECT DISTINCT may only order by what it selects: no COLLATE there.
    collate = not getattr(statement, "_distinct", False)
    return statement.order_by(None).order_by(*(_sqlite_term(t, collate) for t in terms))


def _sqlite_term(term: Any, collate: bool) -> Any:
    modifier = getattr(term, "modifier", None)
    if modifier in (operators.nulls_first_op, operators.nulls_last_op) or isinstance(
            term, sa.TextClause):
        return term  # the query chose already
    descending = modifier is operators.desc_op
    inner = term.element if modifier in (operators.desc_op, operators.asc_op) else term
    if collate and isinstance(inner, sa.ColumnClause) and isinstance(inner.type, sa.String):
        inner = inner.collate("C")
    return inner.desc().nulls_last() if descending else inner.asc().nulls_first()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    for noise in ("connection is bad: ", "connection failed: "):
        text = text.replace(noise, "")
    return text.rstrip(".")


def reset_identities(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """After rows were inserted with their ids, move each identity past the largest id.

    PostgreSQL's identity sequences do not notice explicit ids (SQLite's rowid does), so
    without this the next insert after a copy would collide with a copied row.
    """
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.primary_key.columns:
            if column.identity is None:
                continue
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"coalesce(max({quote(column.name)}), 0) + 1, false) FROM {quote(table.name)}"
                ),
                {"table": table.name, "column": column.name},
            )
