"""The real PostgreSQL server of tests/db, for corrections written with --db."""

from tests.db.conftest import pg_server_url, pg_url  # noqa: F401  (fixtures)
