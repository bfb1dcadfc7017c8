"""A throwaway PostgreSQL server for the bot's tests: initdb into a temporary folder, pg_ctl on
a free loopback port, one fresh database per test.

initdb refuses to run as root, so as root (CI) the server runs as the unprivileged ``nobody``
through ``runuser``. Starting it either works or fails the tests loudly; only
PEPCTL_TEST_NO_POSTGRES=1 skips the PostgreSQL cases, and CI does not set it.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    def __init__(self):
        self.base = None
        self.port = None
        self.names = itertools.count(1)
        self.prefix: list[str] = []

    def run(self, *args, **kwargs):
        # in the server's own folder: `nobody` may not enter the checkout's (CI clones under /root)
        return subprocess.run([*self.prefix, *args], check=True, capture_output=True, text=True, timeout=120,
                              cwd=self.base, **kwargs)

    def start(self) -> PgServer:
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql); "
                               "set PEPCTL_TEST_NO_POSTGRES=1 to skip the PostgreSQL cases on purpose")
        self.base = tempfile.mkdtemp(prefix="pepctl-pg-", dir="/tmp")
        if os.geteuid() == 0:
            import pwd

            user = pwd.getpwnam("nobody")
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "nobody", "--"]
        data = os.path.join(self.base, "data")
        try:
            self.run(initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
            self.port = free_port()
            options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            self.run(pg_ctl, "-D", data, "-o", options, "-l", os.path.join(self.base, "log"), "-w", "-t", "60", "start")
        except subprocess.CalledProcessError as err:
            log = ""
            try:
                with open(os.path.join(self.base, "log")) as handle:
                    log = handle.read()[-2000:]
            except OSError:
                pass
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {' '.join(err.cmd)}: {err.stderr.strip()} {log}") from None
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database's URL."""
        import sqlalchemy as sa

        name = f"t{os.getpid()}_{next(self.names)}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        if self.base is None:
            return
        pg_ctl = find_binary("pg_ctl")
        if self.port is not None and pg_ctl:
            subprocess.run([*self.prefix, pg_ctl, "-D", os.path.join(self.base, "data"), "-m", "immediate", "-w",
                            "stop"], capture_output=True, timeout=60, cwd=self.base)
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None
