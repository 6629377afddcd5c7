"""The publishing workflow: valid against GitHub's schema, and doing what the project needs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

WORKFLOW = Path(__file__).resolve().parents[2] / ".github/workflows/publish.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_matches_githubs_schema():
    tool = shutil.which("check-jsonschema") or f"{Path(sys.executable).parent}/check-jsonschema"
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_on_push_daily_and_by_hand(workflow):
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"]
    assert "workflow_dispatch" in triggers


def test_pages_permissions_and_one_deployment_at_a_time(workflow):
    assert workflow["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_fetch_only_with_a_token_and_data_committed_back(workflow):
    build = steps(workflow, "build")
    fetch = next(s for s in build if s.get("run") == "python build.py fetch")
    assert fetch["if"] == "env.JOBINDSATS_TOKEN != ''"
    assert workflow["env"]["JOBINDSATS_TOKEN"] == "${{ secrets.JOBINDSATS_TOKEN }}"
    notice = next(s for s in build if "::notice::" in s.get("run", ""))
    assert notice["if"] == "env.JOBINDSATS_TOKEN == ''"
    commit = next(s for s in build if "git push" in s.get("run", ""))
    assert "git add site_data" in commit["run"]
    assert build.index(fetch) < build.index(commit)


def test_builds_with_the_pages_base_url_and_deploys(workflow):
    build = steps(workflow, "build")
    setup = next(s for s in build if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    run = next(s for s in build if s.get("run", "").startswith("python build.py build"))
    assert "steps.pages.outputs.base_path" in run["run"]
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_build_command_in_the_workflow_accepts_its_options():
    from click.testing import CliRunner

    from samtaletjek.cli import cli

    result = CliRunner().invoke(cli, ["build", "--help"])
    assert "--base-url" in result.output and "--site-url" in result.output
