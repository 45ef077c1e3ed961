"""A real PostgreSQL server for the session (scripts/postgres-test-server.sh), a fresh
database per test. Without the server binaries the tests skip, saying so; under CI
(`CI=true`) that is a failure: `make test` installs Debian's postgresql first."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = ROOT / "scripts" / "postgres-test-server.sh"
NOT_INSTALLED = 4  # the script's exit code when the server binaries are missing


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    started = subprocess.run(["bash", str(SERVER_SCRIPT), "start"], capture_output=True, text=True)
    if started.returncode == NOT_INSTALLED:
        reason = "PostgreSQL server not installed (scripts/install-system-deps.sh postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: required in CI")
        pytest.skip(reason)
    assert started.returncode == 0, f"test server did not start:\n{started.stderr}"
    info = dict(line.split("=", 1) for line in started.stdout.split())
    try:
        yield info["DB_URL"]
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop", info["PGDIR"]], check=False)


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A URL to an empty database of its own."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield pg_server_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
