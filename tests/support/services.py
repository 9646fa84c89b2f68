"""Throwaway PostgreSQL and Redis servers on loopback, from the machine's binaries.

PostgreSQL's initdb refuses to run as root (CI and these machines run as root), so the
server runs as an unprivileged user (Debian's ``postgres``) in a temporary directory.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class ServiceUnavailable(RuntimeError):
    """The binaries for a service are not installed."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"service on port {port} did not start")


def _pg_binary(name: str) -> str:
    for directory in PG_BIN_DIRS:
        candidate = directory / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise ServiceUnavailable(f"{name} not found (Debian package: postgresql)")


def _unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ServiceUnavailable("no unprivileged user to run PostgreSQL as")


@dataclass
class Server:
    url: str
    process: subprocess.Popen | None = None
    workdir: str | None = None
    stop_cmd: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.stop_cmd:
            subprocess.run(self.stop_cmd, capture_output=True, timeout=60)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_postgres() -> Server:
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    user = _unprivileged_user()
    workdir = tempfile.mkdtemp(prefix="nastavnik-pg-")
    datadir = os.path.join(workdir, "data")
    port = free_port()
    prefix: list[str] = []
    if user:
        entry = pwd.getpwnam(user)
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
        os.chmod(workdir, 0o700)
        prefix = ["runuser", "-u", user, "--"]
    subprocess.run(
        prefix + [initdb, "-D", datadir, "-U", "nastavnik", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, capture_output=True, timeout=120,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        prefix + [pg_ctl, "-D", datadir, "-o", options, "-l", os.path.join(workdir, "log"), "-w", "start"],
        check=True, capture_output=True, timeout=120,
    )
    _wait_port(port)
    subprocess.run(
        prefix + [_pg_binary("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "nastavnik", "nastavnik"],
        check=True, capture_output=True, timeout=60,
    )
    return Server(
        url=f"postgresql+psycopg://nastavnik@127.0.0.1:{port}/nastavnik",
        workdir=workdir,
        stop_cmd=prefix + [pg_ctl, "-D", datadir, "-m", "immediate", "stop"],
    )


def start_redis() -> Server:
    binary = shutil.which("redis-server")
    if not binary:
        raise ServiceUnavailable("redis-server not found (Debian package: redis-server)")
    workdir = tempfile.mkdtemp(prefix="nastavnik-redis-")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _wait_port(port)
    return Server(url=f"redis://127.0.0.1:{port}/0", process=process, workdir=workdir)


if __name__ == "__main__":  # manual use: print URLs, keep running until Ctrl-C
    pg, redis = start_postgres(), start_redis()
    print(f"DATABASE_URL={pg.url}\nREDIS_URL={redis.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        pg.stop()
        redis.stop()
