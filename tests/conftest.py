"""Shared fixtures: every test gets its own workspace folder; none touches a real one.

Workspaces come in two backends. `workspace` (and the `make_workspace` factory behind it) is
parametrised over SQLite and PostgreSQL, so a test that asks for it runs once on each. The
PostgreSQL half needs a server: `SCRIPTLAB_TEST_PG` holds an admin URL (`.ci/run` starts a
throwaway cluster and sets it; see README, "Running with PostgreSQL"); without it those tests
skip and say so. Each PostgreSQL workspace gets its own database, cloned from a template that
the migrations built once per session, and dropped after the test.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Documents carry local times with their UTC offset; fix the zone so golden files hold anywhere.
os.environ["TZ"] = "UTC"
time.tzset()

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
PG_ENV = "SCRIPTLAB_TEST_PG"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _isolated_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the default workspace at a temp dir, so a forgotten -w never writes elsewhere."""
    monkeypatch.setenv("SCRIPTLAB_WORKSPACE", str(tmp_path / "default-ws"))


class PostgresServer:
    """A PostgreSQL server the tests may create and drop databases on."""

    def __init__(self, admin_url: str) -> None:
        import sqlalchemy as sa

        from scriptlab.store import postgres

        self._sa = sa
        self.admin_url = postgres.parse_url(admin_url)
        self.admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT",
                                      poolclass=sa.pool.NullPool)
        self._names = (f"scriptlab_test_{os.getpid()}_{n}" for n in itertools.count())
        self.template = f"scriptlab_template_{os.getpid()}"

    def url(self, database: str) -> str:
        """The URL of one of the server's databases, as a user would write it."""
        url = self.admin_url.set(drivername="postgresql", database=database)
        return url.render_as_string(hide_password=False)

    def sql(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(statement)

    def build_template(self) -> None:
        """A database at the latest schema version, made by the migrations themselves."""
        from scriptlab.store.engine import make_engine
        from scriptlab.store.migrations import migrate

        self.sql(f'DROP DATABASE IF EXISTS "{self.template}"')
        self.sql(f'CREATE DATABASE "{self.template}" TEMPLATE template0')
        engine = make_engine(self.url(self.template))
        migrate(engine)
        engine.dispose()

    def create_database(self, *, migrated: bool = True) -> str:
        """A new database (a copy of the migrated template, or empty); returns its name."""
        name = next(self._names)
        template = self.template if migrated else "template0"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server named by $SCRIPTLAB_TEST_PG; skips (saying why) without one."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL half: no server ({PG_ENV} is not set; .ci/run starts one, "
                    "or: eval \"$(.ci/pg-cluster start)\")")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip('PostgreSQL half: psycopg is not installed (pip install ".[postgres]")')
    server = PostgresServer(admin_url)
    server.build_template()
    yield server
    server.drop_database(server.template)
    server.admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def store_backend(request: pytest.FixtureRequest) -> str:
    """Which database the test's workspaces use: "sqlite" or "postgresql".

    Module-scoped, so a module runs all its tests on SQLite, then all on PostgreSQL, and a
    module-scoped workspace (`module_store_url`) is built once per backend.
    """
    return request.param


def _store_urls(store_backend: str, request: pytest.FixtureRequest) -> Iterator[
        Callable[..., str]]:
    if store_backend == "sqlite":
        yield lambda migrated=True: ""
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    made: list[str] = []

    def new(migrated: bool = True) -> str:
        made.append(server.create_database(migrated=migrated))
        return server.url(made[-1])

    yield new
    for name in made:
        server.drop_database(name)


@pytest.fixture
def new_store_url(store_backend: str, request: pytest.FixtureRequest) -> Iterator[
        Callable[..., str]]:
    """Factory: a fresh, empty-of-data database URL per call ("" = the workspace's SQLite file).

    `migrated=False` gives a PostgreSQL database without tables (for the migration tests).
    Pass a non-empty URL to `init_workspace(root, db_url=url or None)`.
    """
    yield from _store_urls(store_backend, request)


@pytest.fixture(scope="module")
def module_store_url(store_backend: str, request: pytest.FixtureRequest) -> Iterator[
        Callable[..., str]]:
    """`new_store_url` for module-scoped workspaces (e.g. the web app's signed-in team)."""
    yield from _store_urls(store_backend, request)


@pytest.fixture
def make_workspace(new_store_url: Callable[..., str], tmp_path: Path) -> Callable[..., object]:
    """Factory: an initialised workspace on the test's backend, one database per call.

    `settings` is extra scriptlab.toml text (e.g. "[quiz]\\nmin_count = 5\\n").
    """
    from scriptlab.store.workspace import init_workspace

    def make(root: Path | None = None, *, settings: str = ""):
        root = root or tmp_path / "ws"
        url = new_store_url()
        if url:
            line = f'url = "{url}"\n'
            settings = (settings.replace("[store]\n", "[store]\n" + line, 1)
                        if "[store]\n" in settings else settings + "\n[store]\n" + line)
        if settings:
            root.mkdir(parents=True, exist_ok=True)
            (root / "scriptlab.toml").write_text(settings, encoding="utf-8")
        return init_workspace(root)[0]

    return make


@pytest.fixture
def workspace(make_workspace: Callable[..., object]):
    """A fresh, initialised workspace (once on SQLite, once on PostgreSQL)."""
    return make_workspace()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (see browser_fixtures.py)."""
    from browser_fixtures import ARGS, CHROMIUM

    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
