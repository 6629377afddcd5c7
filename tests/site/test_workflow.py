"""The workflows: valid against GitHub's schema; the publishing one doing what the project needs."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github/workflows"
WORKFLOW = WORKFLOWS / "publish.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["publish.yml", "test.yml"])
def test_workflow_matches_githubs_schema(name: str):
    tool = shutil.which("check-jsonschema") or f"{Path(sys.executable).parent}/check-jsonschema"
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOWS / name)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_on_push_daily_and_by_hand(workflow):
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"]
    assert "workflow_dispatch" in triggers


def test_each_job_its_own_rights_and_one_deployment_at_a_time(workflow):
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["fetch"]["permissions"] == {"contents": "write"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def fetch_step(workflow: dict) -> dict:
    return next(s for s in steps(workflow, "fetch") if "python build.py fetch" in s.get("run", ""))


def test_only_fetched_data_is_committed_back_and_then_built(workflow):
    fetching = steps(workflow, "fetch")
    fetch = fetch_step(workflow)
    assert fetch["env"] == {"JOBINDSATS_TOKEN": "${{ secrets.JOBINDSATS_TOKEN }}"}
    assert "if" not in fetch  # without the key it says so itself
    commit = next(s for s in fetching if "git push" in s.get("run", ""))
    assert commit["if"] == f"steps.{fetch['id']}.outputs.hentet == 'ja'"
    assert "git add site_data" in commit["run"]
    assert fetching.index(fetch) < fetching.index(commit)
    assert "continue-on-error" not in fetch  # it never fails; it says why instead
    # The push starts no new run: the build checks out the commit the fetch job ended on.
    version = fetching[-1]
    assert "git rev-parse HEAD" in version["run"]
    job = workflow["jobs"]["fetch"]
    assert job["outputs"]["sha"] == f"${{{{ steps.{version['id']}.outputs.sha }}}}"
    checkout = steps(workflow, "build")[0]
    assert workflow["jobs"]["build"]["needs"] == "fetch"
    assert checkout["with"] == {
        "ref": "${{ needs.fetch.outputs.sha }}",
        "persist-credentials": False,
    }


def fake_api():  # noqa: ANN201
    """The fake jobindsats.dk API v3 of tests/ingest (loaded by path: another test folder)."""
    if "fake_jobindsats" not in sys.modules:
        path = WORKFLOW.parents[2] / "tests" / "ingest" / "fake_jobindsats.py"
        spec = importlib.util.spec_from_file_location("fake_jobindsats", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["fake_jobindsats"] = module
        spec.loader.exec_module(module)
    return sys.modules["fake_jobindsats"]


def run_fetch_step(workflow: dict, tmp_path: Path, api_url: str, token: str) -> tuple:
    """Run the workflow's fetch step as GitHub would (bash -e), with `python` running this
    project's CLI against the fake API and a temporary data directory."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "python"
    shim.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "$@" --api-url "{api_url}" '
        f'--data "{tmp_path / "data"}" --config "{tmp_path / "site.toml"}"\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)
    # No test here waits for a timeout: it is generous, for a loaded machine.
    (tmp_path / "site.toml").write_text("fetch_timeout = 15\nfetch_retries = 0\n", "utf-8")
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "JOBINDSATS_TOKEN": token,
    }
    result = subprocess.run(
        ["bash", "-e", "-c", fetch_step(workflow)["run"]],
        cwd=WORKFLOW.parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result, output.read_text(encoding="utf-8")


def test_with_a_token_and_nothing_found_it_warns_and_goes_on(workflow, tmp_path: Path):
    fake = fake_api()
    with fake.running() as server:
        server.hidden.add("y14ti01")  # only the decoys are left
        result, output = run_fetch_step(workflow, tmp_path, server.api_url, fake.TOKEN)
    assert result.returncode == 0, result.stderr
    (warning,) = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert warning.startswith("::warning title=Ingen nye tal fra jobindsats.dk::Error: no samtale")
    assert "pin one with [[fetch_tables]]" in warning
    assert warning.endswith("– sitet bygges fra tallene i site_data/.")
    assert "hentet=ja" not in output  # nothing is committed
    assert not (tmp_path / "data").exists()
    assert fake.TOKEN not in result.stdout + result.stderr


def test_with_a_token_and_a_table_found_it_fetches(workflow, tmp_path: Path):
    fake = fake_api()
    with fake.running() as server:
        result, output = run_fetch_step(workflow, tmp_path, server.api_url, fake.TOKEN)
    assert result.returncode == 0, result.stderr
    assert "::warning" not in result.stdout
    assert "Imported" in result.stdout and "hentet=ja" in output
    assert (tmp_path / "data" / "samtaler.csv").is_file()


def test_an_answer_that_cannot_be_imported_fails_the_run(workflow, tmp_path: Path):
    """A figure or label STAR's answer holds that no import may take fails the job with the
    one line that says why; nothing is committed, so the last good site stays published."""
    fake = fake_api()
    with fake.running() as server:
        server.negative.add("y14ti01")
        result, output = run_fetch_step(workflow, tmp_path, server.api_url, fake.TOKEN)
    assert result.returncode == 1, result.stdout + result.stderr
    (error,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert error.startswith("::error title=Nye tal kan ikke placeres::error: ")
    assert "-12 is negative" in error
    assert "hentet=ja" not in output and "::warning" not in result.stdout
    assert not (tmp_path / "data").exists()


def test_months_without_a_rule_go_to_the_job_summary(workflow, tmp_path: Path):
    run = next(s for s in steps(workflow, "build") if "python build.py build" in s.get("run", ""))
    log = tmp_path / "byg.txt"
    summary = tmp_path / "summary.md"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "python"  # the build's stderr as a build with 2027 months writes it
    shim.write_text(
        "#!/bin/sh\necho 'warning: tilbud/dagpenge: figures for 2 month(s) (2027-01..2027-02) "
        "with no rule in the reference data; shown, not judged.' >&2\n",
        encoding="utf-8",
    )
    shim.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    script = (
        run["run"]
        .replace("${{ steps.pages.outputs.base_path }}", "")
        .replace("${{ steps.pages.outputs.origin }}", "https://x.dk")
    )
    result = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "::warning title=Tal uden kendt regel::tilbud/dagpenge" in result.stdout
    assert summary.read_text(encoding="utf-8").startswith("### Tal uden kendt regel")
    assert log.is_file()


def test_without_a_key_it_says_so_and_fetches_nothing(workflow, tmp_path: Path):
    result, output = run_fetch_step(workflow, tmp_path, "http://127.0.0.1:9/", "")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("::notice::JOBINDSATS_TOKEN er ikke sat")
    assert "::warning" not in result.stdout and "hentet=ja" not in output
    assert not (tmp_path / "data").exists()


def test_a_refused_key_is_a_warning_too(workflow, tmp_path: Path):
    fake = fake_api()
    with fake.running() as server:
        result, output = run_fetch_step(workflow, tmp_path, server.api_url, "expired-key")
    assert result.returncode == 0
    assert "refused the API key in JOBINDSATS_TOKEN" in result.stdout
    assert "hentet=ja" not in output and "expired-key" not in result.stdout + result.stderr


def test_builds_with_the_pages_base_url_and_deploys(workflow):
    build = steps(workflow, "build")
    setup = next(s for s in build if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    run = next(s for s in build if "python build.py build" in s.get("run", ""))
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
