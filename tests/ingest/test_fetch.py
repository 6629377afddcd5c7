"""`fetch` against a fake jobindsats.dk API v3 on 127.0.0.1 (real HTTP in a thread): what it
asks for, what it finds in the catalogue and why, the archive, "No new data", pinned tables,
and every fault as one line with site_data/ unchanged."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from fake_jobindsats import FORBIDDEN_PAGE, TOKEN, running

from samtaletjek.cli import cli
from samtaletjek.errors import UserError
from samtaletjek.ingest.fetch import fetch
from samtaletjek.settings import FetchTable, Settings, load_settings

TODAY = "2026-11-02"
DATA_QUERY = {
    "mgroup.*": "*",
    "period.M": "latest:12",
    "hierarchy._nykom": "*",
    "hierarchy._ygrp": "*",
    "format": "json",
}
SAMTALE_GROUPS = (
    "dagpenge",
    "kontanthjaelp-aktivitetsparate",
    "kontanthjaelp-jobparate",
    "sygedagpenge",
)


@pytest.fixture
def server() -> Iterator:
    with running() as fake:
        yield fake


def settings(server, data: Path, **changes: object) -> Settings:
    values = {
        "data_dir": data,
        "api_url": server.api_url,
        "fetch_timeout": 0.5,
        "fetch_retries": 2,
        "fetch_backoff": 0.01,
    }
    return Settings(**(values | changes))


def digest(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def canonical(data: Path) -> pd.DataFrame:
    return pd.read_csv(data / "samtaler.csv", dtype={"period": str})


def test_fetch_finds_the_samtale_table_and_imports_it(server, registry, tmp_path: Path):
    data = tmp_path / "data"
    said: list[str] = []
    summary = fetch(settings(server, data), registry, TOKEN, today=TODAY, say=said.append)

    assert server.paths("tables") == ["/v3/tables"]
    assert sorted(server.paths("table")) == sorted(
        f"/v3/table/{t}" for t in ("smt02", "y30e22ak", "y14smt01", "y14ti01", "y14ti02")
    )  # only candidates are described: not ptvc01, y25i01, y07a01
    assert server.paths("data") == ["/v3/data/y14ti01"]  # no decoy is fetched
    path, query, headers = server.requests[-1]
    assert query == DATA_QUERY
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert all(q.get("format") == "json" for _, q, _ in server.requests)

    # What it chose, and why; what it did not use, and why not.
    assert said[0].startswith("Found 5 candidate samtale table(s) among 8 in ")
    assert said[1].startswith("  y14ti01 'Tidlig indsats: jobsamtaler i de første 6 måneder' for")
    why = said[2]
    assert "kommune hierarchy _nykom" in why and "16 months (2025M06–2026M09)" in why
    assert "persons_meeting = 'Antal personer med mindst 4 jobsamtaler'" in why
    assert "'A-dagpenge' → dagpenge" in why and "'Sygedagpenge' → sygedagpenge" in why
    assert "'Ydelsesgrupper i alt' (a total over target groups)" in why
    assert "'Ledighedsydelse' (not one of the target groups)" in why
    not_used = {line.split()[2]: line for line in said if line.startswith("  not used:")}
    assert set(not_used) == {"smt02", "y30e22ak", "y14smt01", "y14ti02"}
    assert "counts samtaler by form" in not_used["smt02"]
    assert "no kommune hierarchy" in not_used["y30e22ak"]
    assert "no measure of persons_meeting or share_pct" in not_used["y14ti02"]

    # 98 municipalities × 4 groups × 12 months; v3's names are ours; null is missing.
    assert (summary.added, summary.revised) == (98 * 4 * 12, 0)
    assert summary.target_groups == SAMTALE_GROUPS
    assert summary.periods[0] == "2025-10" and summary.periods[-1] == "2026-09"
    frame = canonical(data)
    for code in (820, 480, 400, 169, 173):  # Vesthimmerlands, Nordfyns, Bornholm, Høje-Taastrup…
        assert len(frame[frame["municipality_code"] == code]) == 4 * 12
    laesoe = frame[frame["municipality"] == "Læsø"]
    assert set(laesoe["persons"]) == {3} and laesoe["persons_meeting"].isna().all()
    fanoe = frame[(frame["municipality"] == "Fanø") & (frame["period"] == "2026-05")]
    assert len(fanoe) == 4 and fanoe[["persons", "share_pct"]].isna().all().all()
    lines = summary.lines()
    assert any("skipped 48 × the national figure, used only as a cross-check" in x for x in lines)
    assert any("skipped 48 × 'Uoplyst område' is not one of the 98" in x for x in lines)
    assert any("Ydelsesgrupper 'Ydelsesgrupper i alt': a total over" in x for x in lines)
    assert any("(+ " in x and "outside the 98) (matches)" in x for x in lines)
    assert not any("DIFFERS" in x for x in lines)

    (archived,) = sorted((data / "raw" / "jobindsats").iterdir())
    assert archived.name.startswith(f"{TODAY}_y14ti01_") and archived.suffix == ".json"
    (release,) = json.loads((data / "releases.json").read_text(encoding="utf-8"))
    assert release["files"] == [archived.name]
    assert "hentet fra API v3 (tabel y14ti01)" in release["source"]
    # The key is never stored.
    assert all(TOKEN.encode() not in p.read_bytes() for p in data.rglob("*") if p.is_file())

    # The archived answer imports to the same table.
    again = tmp_path / "again"
    result = CliRunner().invoke(
        cli, ["import", str(archived), "--data", str(again), "--date", TODAY]
    )
    assert result.exit_code == 0, result.output
    assert (again / "samtaler.csv").read_bytes() == (data / "samtaler.csv").read_bytes()


def test_fetching_again_without_changes_is_no_new_data(server, registry, tmp_path: Path):
    data = tmp_path / "data"
    fetch(settings(server, data), registry, TOKEN, today=TODAY)
    before = digest(data)
    again = fetch(settings(server, data), registry, TOKEN, today="2026-12-01")
    assert not again.changed
    assert again.lines()[0].startswith("No new data:")
    assert digest(data) == before  # not even a second copy of the same answer


def test_it_asks_only_for_the_months_a_table_has(server, registry, tmp_path: Path):
    summary = fetch(settings(server, tmp_path / "d", fetch_months=40), registry, TOKEN, today=TODAY)
    assert server.requests[-1][1]["period.M"] == "latest:16"
    assert len(summary.periods) == 16


def test_fewer_periods_than_described_is_asked_again(server, registry, tmp_path: Path):
    server.available["y14ti01"] = 10  # the data endpoint has fewer months than /table says
    summary = fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    assert [q["period.M"] for p, q, _ in server.requests if "/data/" in p] == [
        "latest:12",
        "latest:10",
    ]
    assert len(summary.periods) == 10


def test_a_server_error_is_retried_with_growing_pauses(server, registry, tmp_path: Path):
    server.faults += [("data", ("status", 500)), ("data", ("status", 503))]
    pauses: list[float] = []
    summary = fetch(
        settings(server, tmp_path / "d", fetch_backoff=1.0),
        registry,
        TOKEN,
        today=TODAY,
        sleep=pauses.append,
    )
    assert summary.added == 98 * 4 * 12
    assert len(server.paths("data")) == 3
    assert pauses == [1.0, 2.0]


@pytest.mark.parametrize(
    "step",
    [
        ("hang",),
        ("cut",),
        ("status", 403, FORBIDDEN_PAGE, "text/plain"),
        ("body", b'[{"subject_name": "Tilbud og samt'),
    ],
    ids=["hang", "cut", "plain-403", "truncated"],
)
def test_a_passing_fault_is_retried(server, registry, tmp_path: Path, step):
    server.faults.append(("tables", step))
    summary = fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    assert summary.added == 98 * 4 * 12
    assert server.paths("tables") == ["/v3/tables", "/v3/tables"]


def test_nothing_that_fits_is_one_clear_error(server, registry, tmp_path: Path):
    server.hidden.add("y14ti01")
    with pytest.raises(UserError) as exc:
        fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    message = exc.value.message
    assert message.startswith(f"no samtale table fits among the 7 tables of {server.api_url}")
    assert "smt02 (counts samtaler by form" in message and "y30e22ak (" in message
    assert "pin one with [[fetch_tables]] in site.toml" in message
    assert "\n" not in message
    assert server.paths("data") == []
    assert not (tmp_path / "d").exists()


def test_a_pinned_table_skips_the_catalogue(server, registry, tmp_path: Path):
    pin = FetchTable(
        id="y14ti01",
        share="Andel med mindst 4 jobsamtaler (pct.)",
        groups=(("A-dagpenge", "dagpenge"), ("Sygedagpenge", "sygedagpenge")),
    )
    said: list[str] = []
    summary = fetch(
        settings(server, tmp_path / "d", fetch_tables=(pin,)),
        registry,
        TOKEN,
        today=TODAY,
        say=said.append,
    )
    assert server.paths("tables") == []
    assert server.paths("table") == ["/v3/table/y14ti01"]
    assert said[0] == "Fetching 1 table(s) pinned in site.toml:"
    assert "target groups from 'Ydelsesgrupper (site.toml)'" in said[2]
    assert summary.target_groups == ("dagpenge", "sygedagpenge")
    assert any(
        "'Jobparate kontanthjælpsmodtagere': not a group fetched from this table" in line
        for line in summary.lines()
    )


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        (FetchTable(id="smt02"), "fetch_tables[1] (smt02): no measure of persons"),
        (FetchTable(id="y14ti01", persons="Antal borgere"), "measure 'Antal borgere' (persons)"),
        (FetchTable(id="y14ti01", target_group="flexjob"), "target_group 'flexjob' is not one"),
        (FetchTable(id="nope1"), "(HTTP 404: Unknown table: nope1)"),
    ],
)
def test_a_pinned_table_that_does_not_fit_is_said(server, registry, tmp_path, pin, message):
    with pytest.raises(UserError) as exc:
        fetch(settings(server, tmp_path / "d", fetch_tables=(pin,)), registry, TOKEN, today=TODAY)
    assert message in exc.value.message
    assert server.paths("data") == []


def test_the_retired_v2_base_is_said(registry, tmp_path: Path):
    with pytest.raises(UserError, match="API v2 was retired after 30 September 2026"):
        fetch(
            Settings(data_dir=tmp_path, api_url="https://api.jobindsats.dk/v2/"),
            registry,
            TOKEN,
            today=TODAY,
        )


def test_fetch_tables_from_site_toml(tmp_path: Path):
    config = tmp_path / "site.toml"
    config.write_text(
        """
fetch_months = 6
[[fetch_tables]]
id = "y14ti01"
share = "Andel med mindst 4 jobsamtaler (pct.)"
[fetch_tables.groups]
"A-dagpenge" = "dagpenge"
[fetch_tables.filters]
_kon = "/"
""",
        encoding="utf-8",
    )
    settings_ = load_settings(config)
    (table,) = settings_.fetch_tables
    assert settings_.fetch_months == 6
    assert table.groups == (("A-dagpenge", "dagpenge"),)
    assert table.filters == (("_kon", "/"),)
    assert table.measures == {"share_pct": "Andel med mindst 4 jobsamtaler (pct.)"}
    config.write_text('[[fetch_tables]]\nshare = "x"\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"fetch_tables\[1\]: id is required"):
        load_settings(config)
    config.write_text('[[fetch_tables]]\nid = "y1"\ngroups = ["x"]\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"groups must be a table of texts"):
        load_settings(config)


def test_the_example_in_site_toml_is_valid(tmp_path: Path):
    """The commented fetch settings in site.toml, uncommented, are settings fetch accepts."""
    text = (Path(__file__).resolve().parents[2] / "site.toml").read_text(encoding="utf-8")
    block = text[text.index("# ---- python build.py fetch") :].splitlines()[1:]
    setting = re.compile(r'^# (?:[A-Za-z_]\w* = |"[^"]*" = |\[)')
    config = tmp_path / "site.toml"
    config.write_text("\n".join(x[2:] for x in block if setting.match(x)), encoding="utf-8")
    loaded = load_settings(config)
    assert loaded.api_url == "https://api.jobindsats.dk/v3" and loaded.fetch_months == 12
    (table,) = loaded.fetch_tables
    assert table.area == "_nykom" and ("A-dagpenge", "dagpenge") in table.groups
    assert set(table.measures) == {"persons", "persons_meeting", "share_pct"}


# ---- the command, as a user and the workflow meet it ---------------------------------------------


def invoke(server, data: Path, *extra: str, token: str = TOKEN, config: Path | None = None):
    args = ["fetch", "--data", str(data), "--api-url", server.api_url, "--date", TODAY]
    if config is not None:
        args += ["--config", str(config)]
    return CliRunner().invoke(cli, [*args, *extra], env={"JOBINDSATS_TOKEN": token})


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text("fetch_timeout = 0.5\nfetch_retries = 1\nfetch_backoff = 0\n", encoding="utf-8")
    return path


def test_the_command_lists_the_candidate_tables(server, tmp_path: Path, config: Path):
    result = invoke(server, tmp_path / "d", "--list", config=config)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"5 candidate samtale table(s) among the 8 tables of {server.api_url}:"
    header = next(line for line in lines if line.startswith("id "))
    columns = ["id", "kommune", "name (subject / group)", "measures → columns", "would fill"]
    assert [c.strip() for c in header.split("  ") if c.strip()] == columns
    rows = {line.split()[0]: line for line in lines if line[:1].isalnum() and "  " in line}
    assert rows["y14ti01"].split()[1] == "yes" and rows["y30e22ak"].split()[1] == "no"
    assert "Antal personer → persons" in result.stdout
    assert "(Tilbud" in result.stdout and "Tidlig indsats)" in result.stdout
    assert "y14smt01 is not usable: counts samtaler by form" in result.stdout
    assert lines[-1] == (
        "fetch would take y14ti01 for dagpenge, kontanthjaelp-aktivitetsparate, "
        "kontanthjaelp-jobparate, sygedagpenge."
    )
    assert server.paths("data") == []
    assert TOKEN not in result.output
    assert not (tmp_path / "d").exists()


def test_the_command_reads_the_key_from_the_environment(server, tmp_path: Path, config: Path):
    data = tmp_path / "data"
    result = invoke(server, data, token="", config=config)
    assert result.exit_code == 1
    assert "set the environment variable JOBINDSATS_TOKEN" in result.stderr
    assert server.requests == []

    result = invoke(server, data, config=config)
    assert result.exit_code == 0, result.output
    assert "Found 5 candidate samtale table(s)" in result.stdout
    assert f"{98 * 4 * 12} added" in result.stdout and TOKEN not in result.output
    result = invoke(server, data, config=config)
    assert result.exit_code == 0
    assert "No new data:" in result.stdout


UNAUTHORIZED = ("status", 401, b'{"code": 401, "cause": "Unauthorized"}')
HTML = b"<html><body><h1>Service Unavailable</h1></body></html>"
FAULTS = [
    ("tables", [UNAUTHORIZED], "refused the API key in JOBINDSATS_TOKEN (HTTP 401: wrong or"),
    ("tables", [("status", 403, FORBIDDEN_PAGE, "text/plain")] * 2, "HTTP 403 Forbidden: 'You do"),
    ("data", [("status", 503)] * 2, "HTTP 503 Service Unavailable"),
    ("table", [("hang",)] * 2, "no answer within 0.5 s (2 attempts); try again later"),
    ("tables", [("cut",)] * 2, "the connection failed or the answer was cut off"),
    ("data", [("body", b'{"columns": ["Periode", "Omr')] * 2, "is not JSON (Unterminated string"),
    ("tables", [("body", HTML, "text/html")] * 2, "it starts 'Service Unavailable'"),
    (
        "data",
        [("status", 422, b'{"code": 422, "cause": "Unknown hierarchies: [\'_omrade\']"}')],
        "refused the request (HTTP 422: Unknown hierarchies: ['_omrade'])",
    ),
]


@pytest.mark.parametrize(
    ("route", "steps", "message"), FAULTS, ids=[f"{r}-{s[0][0]}-{s[0][1:2]}" for r, s, _ in FAULTS]
)
def test_every_fault_is_one_line_and_changes_nothing(
    server, tmp_path: Path, config: Path, route, steps, message
):
    data = tmp_path / "data"
    assert invoke(server, data, config=config).exit_code == 0
    before = digest(data)
    server.faults += [(route, step) for step in steps]
    result = invoke(server, data, config=config)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line
    assert "Traceback" not in result.output and TOKEN not in result.output
    assert digest(data) == before


def test_a_wrong_key_is_said_at_once(server, tmp_path: Path, config: Path):
    result = invoke(server, tmp_path / "d", token="an-old-v2-key", config=config)
    assert result.exit_code == 1
    assert "refused the API key in JOBINDSATS_TOKEN" in result.stderr
    assert "an-old-v2-key" not in result.output
    assert len(server.requests) == 1  # not retried
