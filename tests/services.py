"""Throw-away PostgreSQL and Redis servers on loopback, for one test session.

Each one listens on a free port of 127.0.0.1, keeps its data in a temporary
directory and is gone, data and all, when the session ends. Nothing here
uses or touches a server the machine may already run.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL = "apt-get install postgresql redis-server"


class ServiceMissing(Exception):
    """A server binary is not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgresql_bin() -> Path:
    """The newest PostgreSQL's bin directory, as Debian's packages lay it out."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.parent.parent.name.split(".") if part.isdigit())

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    if not found:
        raise ServiceMissing(
            f"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): {INSTALL}"
        )
    return found[-1].parent


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class PostgreSQL:
    """A cluster of its own: initdb, then postgres on 127.0.0.1:<port>, trust auth.

    PostgreSQL refuses to run as root; as root, its programs run as the
    ``postgres`` system user that Debian's package creates.
    """

    superuser = "postgres"

    def __init__(self) -> None:
        self.bin = postgresql_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="template-tests-postgresql-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self._runas: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise ServiceMissing(
                    "running as root, and there is no `postgres` user to run PostgreSQL as: "
                    + INSTALL
                ) from None
            os.chown(self.dir, account.pw_uid, account.pw_gid)
            self._runas = ["runuser", "-u", "postgres", "--"]

    def _server_command(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self._runas, *args], capture_output=True, text=True, timeout=120, **kwargs
        )

    def start(self) -> PostgreSQL:
        steps = [
            [
                str(self.bin / "initdb"),
                "--pgdata", str(self.data),
                "--username", self.superuser,
                "--auth", "trust",
                "--encoding", "UTF8",
                "--locale", "C",
                "--no-sync",
            ],
            [
                str(self.bin / "pg_ctl"),
                "--pgdata", str(self.data),
                "--log", str(self.log),
                "--wait",
                "--timeout", "60",
                # No fsync: the data dies with the session anyway.
                "--options",
                f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F -c max_connections=200"
                " -c log_connections=on",
                "start",
            ],
        ]  # fmt: skip
        for step in steps:
            result = self._server_command(*step)
            if result.returncode != 0:
                self.stop()
                raise RuntimeError(
                    f"{Path(step[0]).name} failed:\n{result.stdout}{result.stderr}\n"
                    + _tail(self.log)
                )
        return self

    def create_database(self, name: str) -> str:
        """A new database; returns its URL."""
        result = subprocess.run(
            [
                str(self.bin / "createdb"),
                "--host", "127.0.0.1",
                "--port", str(self.port),
                "--username", self.superuser,
                name,
            ],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"createdb {name} failed:\n{result.stdout}{result.stderr}")
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgres://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def connections(self) -> dict[str, int]:
        """How many connections each database has had (from the server's log)."""
        counts: dict[str, int] = {}
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        for database in re.findall(r"connection authorized: user=\S+ database=(\S+)", text):
            counts[database] = counts.get(database, 0) + 1
        return counts

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._server_command(
                str(self.bin / "pg_ctl"), "--pgdata", str(self.data), "--mode", "immediate",
                "--wait", "stop",
            )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """redis-server on 127.0.0.1:<port>, nothing saved to disk."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceMissing(f"redis-server is not installed: {INSTALL}")
        self.binary = binary
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="template-tests-redis-"))
        self.log = self.dir / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Redis:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--bind", "127.0.0.1",
                    "--port", str(self.port),
                    "--save", "",
                    "--appendonly", "no",
                    "--dir", str(self.dir),
                    "--daemonize", "no",
                ],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}:\n{_tail(self.log)}")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def commands_processed(self) -> int:
        """How many commands the server has run (INFO stats)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as conn:
            conn.sendall(b"INFO stats\r\n")
            reply = b""
            while b"total_commands_processed:" not in reply or not reply.endswith(b"\r\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                reply += chunk
        match = re.search(rb"total_commands_processed:(\d+)", reply)
        return int(match.group(1)) if match else 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
