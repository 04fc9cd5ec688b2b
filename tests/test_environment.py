"""The three descriptions of the environment must name the same packages at the same versions:
pyproject.toml (what we depend on), environment.yml (conda-forge users) and
requirements.lock (what `make` installs). A drift means two users run different code."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.support import ROOT


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(specs: list[str]) -> dict[str, str]:
    pins = {}
    for spec in specs:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+)\s*", spec)
        assert match, f"not pinned exactly with ==: {spec!r}"
        pins[_canon(match.group(1))] = match.group(2)
    return pins


def pyproject_pins() -> dict[str, str]:
    """The runtime dependencies and the `dev` extra (tests, lint, types), which the lock includes."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return _pins(data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"])


def test_test_tools_are_not_runtime_dependencies() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = _pins(data["project"]["dependencies"])
    assert not {"pytest", "hypothesis", "playwright", "ruff", "mypy"} & set(runtime)


def test_every_direct_dependency_is_pinned_exactly() -> None:
    assert len(pyproject_pins()) >= 15


def test_environment_yml_matches_pyproject() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "conda-forge" in env["channels"]
    # the interpreter's own line (python>=3.11,<3.14), not a package whose name starts with python-
    conda = _pins([d for d in env["dependencies"] if isinstance(d, str) and not re.match(r"python(?![\w-])", d)])
    assert conda == pyproject_pins()


def test_lock_pins_every_direct_dependency_at_the_same_version_with_hashes() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {_canon(m.group(1)): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", lock, re.M)}
    for name, version in pyproject_pins().items():
        assert locked.get(name) == version, f"{name}: pyproject {version}, lock {locked.get(name)}"
    assert "--hash=sha256:" in lock


def test_no_tracked_file_keeps_a_merge_conflicts_markers() -> None:
    """A merge resolved by hand must not ship its markers (a changelog once did)."""
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    left = []
    for name in filter(None, tracked.decode().split("\0")):
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".xlsx", ".parquet", ".gz", ".ods"}:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        left += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if re.match(r"(<{7}|>{7}) ", line)]
    assert left == []
