"""Engine, sessions and schema migrations. ``GOVSCAN_DB`` picks the database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    inspect,
    make_url,
    text,
)
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///govscan.db"
MIGRATIONS = Path(__file__).with_name("migrations")
#: The newest migration's revision (a test holds it to Alembic's head).
SCHEMA_REVISION = "0015"


def database_url() -> str:
    return os.environ.get("GOVSCAN_DB", DEFAULT_URL)


def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL lets the report read while the crawl writes; the busy timeout rides out short locks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class StoreUnusable(Exception):
    """The database cannot be used: a URL that is not one, a driver that is missing, a server
    that does not answer, a file that is not there. ``str()`` says what to do, in Chinese."""


def connect(url: str | None = None, create: bool = True) -> Engine:
    """An engine for ``url`` (default ``GOVSCAN_DB``), with the schema migrated to the newest;
    with ``create`` False, a SQLite file that does not exist yet is refused, not made."""
    url = url or database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreUnusable(
            f"GOVSCAN_DB 不是数据库地址：{url}"
            "（例如 sqlite:///govscan.db，或 postgresql+psycopg://用户:密码@主机/库名）"
        ) from error
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        sqlite_file_usable(parsed.database, create)
    try:
        engine = open_engine(url)
        migrate(engine)
    except (NoSuchModuleError, ImportError) as error:
        raise StoreUnusable(
            f"缺少数据库 {shown} 的驱动（{error}）：PostgreSQL 请安装 govscan[postgresql]"
            "（pip install 'govscan[postgresql]'），其他数据库请安装相应的 SQLAlchemy 驱动"
        ) from error
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise StoreUnusable(
            f"无法连接数据库 {shown}：{reason}。"
            "请检查 GOVSCAN_DB 的地址、端口、账号，以及数据库是否已启动"
        ) from error
    return engine


def sqlite_file_usable(database: str | None, create: bool) -> None:
    """A SQLite file must exist unless it may be created, and its folder must exist."""
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not create and not path.is_file():
        raise StoreUnusable(
            f"找不到数据库文件 {path.resolve()}：请在扫描时所在的目录运行，"
            "或用 GOVSCAN_DB=sqlite:////完整路径/govscan.db 指明"
        )
    if not path.resolve().parent.is_dir():
        raise StoreUnusable(f"数据库文件所在的目录不存在：{path.resolve().parent}")


def open_engine(url: str | None = None) -> Engine:
    """An engine for a database that ``connect`` has already migrated."""
    engine = create_engine(url or database_url())
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


#: The PostgreSQL advisory lock migrations are made under ("govscan" in ASCII).
MIGRATION_LOCK = 0x676F767363616E


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; stored runs are kept.

    A schema that is up to date is only read. Otherwise Alembic migrates it in a process of
    its own: Alembic and its templates are 12 MB that a scan would carry to its end. A new
    SQLite file is built from the models instead (``create_sqlite_schema``)."""
    revision = schema_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    if revision is None and engine.dialect.name == "sqlite" and create_sqlite_schema(engine):
        return
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "govscan.store.upgrade"],
        env={**os.environ, "GOVSCAN_DB": url},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["（无输出）"])[-1]
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreUnusable(f"数据库 {shown} 的表结构升级失败：{reason}")


def create_sqlite_schema(engine: Engine) -> bool:
    """Build an empty SQLite database from the models and stamp it with the newest revision;
    False when it is not empty after all. Starting Python, SQLAlchemy and Alembic again to
    replay every migration costs a first scan half a second before its first request; the
    models and the migrations build the same schema (``tests/test_store.py``). The write
    lock is taken first, so that of two processes opening a new file one builds it."""
    from govscan.store.models import Base  # the store's users have loaded it already

    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        if inspect(connection).get_table_names():
            connection.rollback()
            return False
        Base.metadata.create_all(connection)
        VERSION_TABLE.create(connection)
        connection.execute(VERSION_TABLE.insert().values(version_num=SCHEMA_REVISION))
        connection.commit()
    return True


#: Alembic's own record of the revision, as Alembic creates it.
VERSION_TABLE = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def schema_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision; None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Migrate with Alembic (``govscan.store.upgrade``). On PostgreSQL the migration holds a
    database lock, so that many workers starting together migrate once: the others wait,
    then find the schema up to date."""
    # imported here: only the process that migrates loads Alembic
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with (
        engine.connect() as connection,
        _sqlite_foreign_keys_off(connection),
        connection.begin(),
    ):
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite changes a column by copying its table and dropping the old one, which the rows
    that reference the table forbid: SQLite's own procedure turns the checks off meanwhile
    (the pragma only takes effect outside a transaction)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
