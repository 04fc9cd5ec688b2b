"""The notebooks in the users' own tools, used as they use them: papermill's command line, from
another folder, with the parameters the README gives; its parameter parser on every notebook;
and papermill refusing what our CLI refuses, since the checks live in the notebooks too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.core import paths
from pipelines.core.errors import UsageError
from pipelines.run import context, jobs, lazyimports
from tests.support import ROOT as PROJECT
from tests.support import free_port

PAPERMILL = [sys.executable, "-m", "papermill"]
NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def papermill(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PAPERMILL, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter_with_its_type_and_help(notebook: Path, tmp_path: Path) -> None:
    done = papermill("--help-notebook", str(notebook), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Unable to parse" not in done.stdout + done.stderr
    for name in jobs.declared_parameters(notebook):
        assert f"  {name}: str (default " in done.stdout, name


def test_papermill_from_another_folder_finds_the_data_and_warns_of_nothing(deployed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ipynb"
    done = papermill(
        str(paths.NOTEBOOKS / "benchmark.ipynb"),
        str(out),
        "-p",
        "benchmark",
        "D",
        "-p",
        "lang",
        "en",
        "-p",
        "as_of",
        "2022-12-31",
        cwd=tmp_path,
        env={"MINUSMA_ROOT": str(deployed)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Unable to parse" not in done.stderr and "Passed unknown parameter" not in done.stderr
    executed = out.read_text(encoding="utf-8")
    assert "Benchmark D" in executed and "31 December 2022" in executed


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("-p", "as_of", "2030-01-01"), "as_of 2030-01-01 is in the future"),
        (("-p", "lang", "de"), "unknown language 'de'"),
        (("-p", "roadmap", "s-1999-1"), "unknown roadmap s-1999-1"),
        (("-p", "processed_dir", "empty"), "no processed tables in"),
    ],
)
def test_papermill_refuses_what_our_cli_refuses(
    deployed: Path, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    (tmp_path / "empty").mkdir()
    done = papermill(
        str(paths.NOTEBOOKS / "overview.ipynb"),
        str(tmp_path / "out.ipynb"),
        *args,
        cwd=tmp_path,
        env={"MINUSMA_ROOT": str(deployed)},
    )
    assert done.returncode == 1 and says in done.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("-p", "since", "2030-01-01"), "UsageError: since 2030-01-01 is in the future"),
        (
            ("-p", "as_of", "2022-06-30", "-p", "since", "2022-12-31"),
            "UsageError: since 2022-12-31 must come before as_of 2022-06-30",
        ),
        (("-p", "benchmark", "Z"), "UsageError: unknown benchmark 'Z': roadmap s-2021-300 has A, B, C"),
    ],
)
def test_a_refused_parameter_is_one_line_naming_it_as_the_notebook_does(
    deployed: Path, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    out = tmp_path / "out.ipynb"
    done = papermill(
        str(paths.NOTEBOOKS / "benchmark.ipynb"), str(out), *args, cwd=tmp_path, env={"MINUSMA_ROOT": str(deployed)}
    )
    assert done.returncode == 1
    cell_error = done.stderr.split('Exception encountered at "In [', 1)[1].splitlines()[1:]
    assert cell_error[0].startswith(says) and [line for line in cell_error if line.strip()] == [cell_error[0]]
    [error] = [
        o
        for c in json.loads(out.read_text(encoding="utf-8"))["cells"]
        for o in c.get("outputs", [])
        if o["output_type"] == "error"
    ]
    assert error["traceback"] == [cell_error[0]]  # as the notebook shows it in Lab too


def test_an_empty_processed_dir_is_the_projects_and_a_missing_one_says_what_to_run(
    tmp_path: Path, real_processed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UsageError, match="make report"):
        context.processed_folder(tmp_path)
    monkeypatch.setattr(paths, "PROCESSED", real_processed)
    checked = context.check(roadmap="s-2021-807", lang="fr", as_of="2024-01-01")
    assert (checked.processed_dir, checked.as_of) == (real_processed.resolve(), "2024-01-01")


@pytest.mark.parametrize("notebook", ["women_quota", "ddr"])
def test_nbconvert_html_draws_every_chart_offline(deployed: Path, tmp_path: Path, notebook: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "html",
            "--execute",
            str(paths.NOTEBOOKS / f"{notebook}.ipynb"),
            "--output-dir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env={**os.environ, "MINUSMA_ROOT": str(deployed)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    page = (tmp_path / f"{notebook}.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in page and "vega-embed" not in page  # nothing to fetch offline
    assert page.count('src="data:image/svg+xml;base64,') >= 2  # the charts, drawn
    assert "Alternative text is missing" not in done.stderr  # each chart says what it shows
    assert "No description has been provided for this image" not in page


def test_make_lab_starts_for_root_too_and_takes_the_users_options(tmp_path: Path) -> None:
    port = free_port()
    lab = subprocess.Popen(
        [
            "make",
            "-C",
            str(PROJECT),
            "lab",
            f"LAB_ARGS=--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token=",
        ],
        env={**os.environ, "HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        for _ in range(120):
            try:  # the notebooks, served on the port asked for
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=1) as answer:
                    served = {item["name"] for item in json.load(answer)["content"]}
                break
            except OSError:
                assert lab.poll() is None, lab.communicate()[1][-2000:]  # as root: "Use --allow-root"
                time.sleep(0.5)
        else:
            pytest.fail("`make lab` did not answer within a minute")
        assert "benchmark.ipynb" in served
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another environment, as an Airflow worker has: its own Python with papermill (the version
    of our lock) and nothing of ours; returns its papermill."""
    from importlib.metadata import version

    env = tmp_path_factory.mktemp("airflow-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=120)
    subprocess.run(
        [
            str(env / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"papermill=={version('papermill')}",
        ],
        check=True,
        timeout=600,
        capture_output=True,
    )
    return env / "bin" / "papermill"


@pytest.mark.slow
@pytest.mark.parametrize("kernel", ["make kernel", "JUPYTER_PATH"])
def test_the_readme_airflow_recipe_runs_from_another_environment(
    airflow_env: Path, deployed: Path, tmp_path: Path, kernel: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "MINUSMA_ROOT": str(deployed)}
    if kernel == "make kernel":  # the README's command, installing the kernel for the worker's user
        subprocess.run(
            ["make", "-C", str(PROJECT), "kernel"],
            env={**os.environ, "HOME": str(home)},
            check=True,
            capture_output=True,
            timeout=300,
        )
        spec = home / ".local" / "share" / "jupyter" / "kernels" / "minusma-roadmap" / "kernel.json"
        assert lazyimports.KERNEL_ARGUMENT in spec.read_text(encoding="utf-8")  # the runner's lean start too
    else:
        env["JUPYTER_PATH"] = str(PROJECT / ".venv" / "share" / "jupyter")
    out = tmp_path / "airflow-outputs" / "minusma-roadmap" / "benchmark-D-fr-2022-12-31.ipynb"
    out.parent.mkdir(parents=True)
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    # PapermillOperator(input_nb=..., output_nb=..., parameters=..., kernel_name="minusma-roadmap")
    done = subprocess.run(
        [
            str(airflow_env),
            str(PROJECT / "notebooks" / "benchmark.ipynb"),
            str(out),
            "-k",
            "minusma-roadmap",
            "-p",
            "roadmap",
            "s-2021-300",
            "-p",
            "benchmark",
            "D",
            "-p",
            "lang",
            "fr",
            "-p",
            "as_of",
            "2022-12-31",
        ],
        cwd=elsewhere,
        env={**{k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Critère D" in out.read_text(encoding="utf-8")


def test_every_client_of_the_project_kernel_gets_the_runners_lean_start(tmp_path: Path) -> None:
    # papermill, nbconvert and JupyterLab start the kernel from its kernel.json: the startup line
    # that defers jsonschema's RFC 3987 grammar is there, as in the kernels our runner starts
    installed = PROJECT / ".venv" / "share" / "jupyter" / "kernels" / "minusma-roadmap" / "kernel.json"
    assert lazyimports.KERNEL_ARGUMENT in installed.read_text(encoding="utf-8")
    spec = tmp_path / "kernel.json"
    spec.write_text('{"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]}')
    lazyimports.add_to_kernelspec(tmp_path)
    lazyimports.add_to_kernelspec(tmp_path)  # once only
    assert spec.read_text().count("exec_lines") == 1
    # a kernelspec written before the package had its folders: its line is replaced
    spec.write_text(
        '{"argv": ["python", "--IPKernelApp.exec_lines=__import__(\'pipelines.lazyimports\').lazyimports.install()"]}'
    )
    lazyimports.add_to_kernelspec(tmp_path)
    assert json.loads(spec.read_text())["argv"] == ["python", lazyimports.KERNEL_ARGUMENT]
