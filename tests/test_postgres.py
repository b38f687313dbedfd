"""The same scan on PostgreSQL: migrations, the crawl's writes and the report's reads."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from servers import http_site

from govscan.store.db import connect
from govscan.store.models import Base


def test_scan_on_postgresql(postgres_url, scan, monkeypatch):
    monkeypatch.setenv("GOVSCAN_DB", postgres_url)
    with http_site(
        {"/": "<html><title>首页</title><a href='/gone.html'>旧文章</a></html>"}
    ) as site:
        output = scan(site.url)
    assert output.code == 0
    assert output.broken() == {(site.url_for("/gone.html"), "http_4xx")}
    engine = connect(postgres_url)
    assert engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
