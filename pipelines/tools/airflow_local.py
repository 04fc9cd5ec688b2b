"""A real Airflow 3 with a parallel executor on this machine, for the DAG of `airflow-dag`: its
LocalExecutor on a private PostgreSQL cluster, started and stopped here (the DAG's test in
tests/e2e/test_airflow_parallel.py and `make bench` with ``--airflow`` use it).

Everything listens on this machine only: PostgreSQL on a unix socket in its own scratch folder
(no TCP), Airflow's API server (the execution API the LocalExecutor's workers call) on
127.0.0.1 at a free port. PostgreSQL refuses to run as root: as root, the cluster runs as the
``postgres`` user that Debian's ``postgresql`` package creates (``.ci/run`` installs it).

`local_airflow` yields a `LocalAirflow`; `LocalAirflow.run_dag` triggers a DAG, waits for its
run and returns each task's state and start and end times (`TaskRun`), from which a caller
sees which tasks ran at the same time.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

#: Debian's PostgreSQL programs (initdb, pg_ctl), outside PATH.
POSTGRES_BINS = "/usr/lib/postgresql/*/bin"


class Unavailable(RuntimeError):
    """What a local Airflow needs is not on this machine (PostgreSQL, the Airflow environment)."""


def postgres_bin(name: str) -> str:
    """The path of PostgreSQL's program `name`: on PATH, else Debian's newest."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{POSTGRES_BINS}/{name}"), key=lambda p: int(p.split("/")[-3].split(".")[0]))
    if not candidates:
        raise Unavailable(f"PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)")
    return candidates[-1]


@contextmanager
def postgres() -> Iterator[str]:
    """A private PostgreSQL cluster in a scratch folder, on a unix socket only, with trust
    authentication; yields the SQLAlchemy URL of its ``postgres`` database, stopped and removed
    after."""
    initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="minusma-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL never runs as root
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and no 'postgres' user to run PostgreSQL as") from None
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sockets = folder / "data", folder
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"initdb failed: {done.stderr[-1000:]}")
    options = f"-c listen_addresses='' -k {sockets} -c fsync=off -c synchronous_commit=off -c max_connections=100"
    started = subprocess.run(
        [
            *as_user,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(folder / "postgres.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    try:
        if started.returncode != 0:
            log = (folder / "postgres.log").read_text(errors="replace") if (folder / "postgres.log").exists() else ""
            raise Unavailable(f"PostgreSQL did not start: {started.stderr[-1000:]} {log[-1000:]}")
        yield f"postgresql+psycopg2://postgres@/postgres?host={sockets}"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True, env=env, check=False
        )
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class TaskRun:
    """One task of a DAG run: its state and when it ran."""

    task_id: str
    state: str
    start: datetime | None
    end: datetime | None


def overlapping(runs: Sequence[TaskRun]) -> int:
    """The most tasks of `runs` that were running at one moment."""
    edges = sorted(
        [(r.start, 1) for r in runs if r.start and r.end] + [(r.end, -1) for r in runs if r.start and r.end],
        key=lambda e: (e[0], e[1]),
    )
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


@dataclass
class LocalAirflow:
    """`airflow <args>` from its own environment on its own home (its dags folder, its database);
    with `start`ed services, the scheduler, DAG processor and API server of a LocalExecutor."""

    airflow: Path
    home: Path
    env: dict[str, str]

    @property
    def dags(self) -> Path:
        return self.home / "dags"

    def __call__(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.airflow), *args],
            cwd=self.home,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def json(self, *args: str) -> list[dict[str, object]]:
        done = self(*args, "-o", "json")
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed: {done.stderr[-2000:]}")
        text = done.stdout[done.stdout.find("[") :]
        return list(json.loads(text)) if text.strip() else []

    def wait_parsed(self, dag_id: str, timeout: float = 240) -> None:
        """Until the DAG processor has parsed `dag_id` (or said why it could not)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(d.get("dag_id") == dag_id for d in self.json("dags", "list")):
                return
            errors = self.json("dags", "list-import-errors")
            if errors:
                raise RuntimeError(f"the DAG could not be imported: {errors}")
            time.sleep(2)
        raise TimeoutError(f"the DAG processor did not parse {dag_id} in {timeout:g} s")

    def run_dag(self, dag_id: str, timeout: float = 1200) -> tuple[str, list[TaskRun]]:
        """Unpause `dag_id`, trigger a run, wait for it to end; its state and its tasks."""
        self.wait_parsed(dag_id)
        for args in (("dags", "unpause", dag_id), ("dags", "trigger", dag_id)):
            done = self(*args)
            if done.returncode != 0:
                raise RuntimeError(f"airflow {' '.join(args)} failed: {done.stderr[-2000:]}")
        deadline = time.monotonic() + timeout
        while True:
            runs = self.json("dags", "list-runs", dag_id)
            if runs and runs[0].get("state") in ("success", "failed"):
                run = runs[0]
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the run of {dag_id} did not end in {timeout:g} s: {runs}")
            time.sleep(3)
        states = self.json("tasks", "states-for-dag-run", dag_id, str(run["run_id"]))
        return str(run["state"]), [
            TaskRun(str(t["task_id"]), str(t["state"]), _when(t.get("start_date")), _when(t.get("end_date")))
            for t in states
        ]


def _when(text: object) -> datetime | None:
    return datetime.fromisoformat(str(text)) if text not in (None, "", "None") else None


@contextmanager
def local_airflow(
    airflow: Path, *, parallelism: int = 4, extra_env: dict[str, str] | None = None
) -> Iterator[LocalAirflow]:
    """A running Airflow (`airflow`: the ``airflow`` program of its environment) with the
    LocalExecutor and `parallelism` worker slots on a private PostgreSQL; stopped after."""
    if not airflow.exists():
        raise Unavailable(f"{airflow} is missing: `make airflow` creates it")
    with ExitStack() as stack:
        url = stack.enter_context(postgres())
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="minusma-airflow-")))
        (home / "dags").mkdir()
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "MINUSMA_"))},
            **(extra_env or {}),
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": url,
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "PYTHONWARNINGS": "ignore::UserWarning",
        }
        local = LocalAirflow(airflow, home, env)
        migrated = local("db", "migrate", timeout=600)
        if migrated.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed: {migrated.stderr[-2000:]}")
        for name, args in (
            (
                "api-server",
                ["api-server", "--host", "127.0.0.1", "--port", str(port), "--apps", "execution", "--workers", "1"],
            ),
            ("scheduler", ["scheduler"]),
            ("dag-processor", ["dag-processor"]),
        ):
            log = stack.enter_context(open(home / f"{name}.log", "wb"))
            process = subprocess.Popen(
                [str(airflow), *args], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            stack.callback(_stop, process)
        yield local


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a service this module started, and the processes it started (its own session)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
            process.wait(timeout=10)
