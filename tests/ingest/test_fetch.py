"""`fetch` against a fake jobindsats.dk API v3 on 127.0.0.1 (real HTTP in a thread): what it
asks for, what it finds in the catalogue for each indicator (samtaler, tilbud, passivandel)
and why, the archive, "No new data", pinned tables, and every fault as one line with
site_data/ unchanged."""

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
from samtaletjek.errors import DATA_PROBLEM, DataErrors, UserError
from samtaletjek.ingest.fetch import fetch
from samtaletjek.ingest.indicators import INDICATORS
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
TILBUD_GROUPS = ("dagpenge", "kontanthjaelp-aktivitetsparate", "kontanthjaelp-jobparate")
PASSIVE_GROUPS = (
    "kontanthjaelp-aktivitetsparate",
    "kontanthjaelp-jobparate",
    "uddannelseshjaelp-aktivitetsparate",
)
# 98 municipalities × 12 months × the groups of each indicator's table
ALL_ROWS = 98 * 12 * (len(SAMTALE_GROUPS) + len(TILBUD_GROUPS) + len(PASSIVE_GROUPS))


@pytest.fixture
def server() -> Iterator:
    with running() as fake:
        yield fake


def settings(server, data: Path, **changes: object) -> Settings:
    values = {
        "data_dir": data,
        "api_url": server.api_url,
        # generous: the passivandel table's answer takes about a second on a busy machine; the
        # tests of hanging answers set their own
        "fetch_timeout": 5.0,
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


def test_fetch_finds_the_tables_of_every_indicator_and_imports_them(
    server, registry, tmp_path: Path
):
    data = tmp_path / "data"
    said: list[str] = []
    summary = fetch(settings(server, data), registry, TOKEN, today=TODAY, say=said.append)

    assert server.paths("tables") == ["/v3/tables"]
    # Only candidates are described (not y25i01, y07a01), each once however many indicators
    # it is a candidate for.
    assert sorted(server.paths("table")) == sorted(
        f"/v3/table/{t}"
        for t in ("smt02", "y30e22ak", "y14smt01", "y14ti01", "y14ti02")
        + ("y31pa01", "y12ag01", "ptvc01")
    )
    # One table per indicator; no decoy is fetched (not the activation rate y12ag01).
    assert server.paths("data") == ["/v3/data/y14ti01", "/v3/data/y14ti02", "/v3/data/y31pa01"]
    queries = {path: query for path, query, _ in server.requests if "/data/" in path}
    assert queries["/v3/data/y14ti01"] == DATA_QUERY
    assert queries["/v3/data/y14ti02"] == DATA_QUERY
    # Passivity's look-back windows are asked for in full, and the 12 months kept.
    assert queries["/v3/data/y31pa01"] == {**DATA_QUERY, "hierarchy._seneste": "*"}
    headers = server.requests[-1][2]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert all(q.get("format") == "json" for _, q, _ in server.requests)

    # What it chose for each indicator, and why; what it did not use, and why not.
    assert said[0].startswith("Found candidate tables among 10 in ")
    assert said[0].endswith(
        "(5 for samtaler, 5 for tilbud, 3 for passivandel, 0 for aktivering); fetching 3:"
    )
    chosen = {line.split()[0]: line for line in said if line.startswith("  y")}
    assert chosen["y14ti01"].startswith(
        "  y14ti01 'Tidlig indsats: jobsamtaler i de første 6 måneder' for samtaler: dagpenge,"
    )
    assert chosen["y14ti02"].endswith(f"for tilbud: {', '.join(TILBUD_GROUPS)}")
    assert chosen["y31pa01"].endswith(f"for passivandel: {', '.join(PASSIVE_GROUPS)}")
    why = {said[i - 1].split()[0]: said[i] for i, x in enumerate(said) if "why:" in x}
    assert "kommune hierarchy _nykom" in why["y14ti01"]
    assert "16 months (2025M06–2026M09)" in why["y14ti01"]
    assert "persons_meeting = 'Antal personer med mindst 4 jobsamtaler'" in why["y14ti01"]
    assert "'A-dagpenge' → dagpenge" in why["y14ti01"]
    assert "'Sygedagpenge' → sygedagpenge" in why["y14ti01"]
    assert "'Ydelsesgrupper i alt' (a total over target groups)" in why["y14ti01"]
    assert "'Ledighedsydelse' (not one of the target groups)" in why["y14ti01"]
    assert "share_pct = 'Andel med aktivt tilbud (pct.)'" in why["y14ti02"]
    assert "'Sygedagpenge' (sygedagpenge, not a target group of tilbud)" in why["y14ti02"]
    assert "share_pct = 'Passivandel i perioden i pct.'" in why["y31pa01"]
    assert why["y31pa01"].endswith("; only Seneste periode på ydelsen 'Seneste 12 mdr.'")
    not_used = {
        (line.split()[3].rstrip(":"), line.split()[4]): line
        for line in said
        if line.startswith("  not used for ")
    }
    assert set(not_used) == {
        ("samtaler", "smt02"),
        ("samtaler", "y30e22ak"),
        ("samtaler", "y14smt01"),
        ("samtaler", "y14ti02"),
        ("tilbud", "y14ti01"),
        ("tilbud", "y31pa01"),
        ("tilbud", "y12ag01"),
        ("tilbud", "ptvc01"),
        ("passivandel", "y12ag01"),
        ("passivandel", "ptvc01"),
    }
    assert "counts samtaler by form" in not_used[("samtaler", "smt02")]
    assert "no kommune hierarchy" in not_used[("samtaler", "y30e22ak")]
    assert "about the activation rate" in not_used[("tilbud", "y12ag01")]
    assert "about passivity" in not_used[("tilbud", "y31pa01")]
    assert "nor of persons_meeting or share_pct" in not_used[("passivandel", "y12ag01")]
    # Every indicator found a table but aktivering, whose tables this catalogue lacks.
    assert [x for x in said if x.startswith("  no ")] == [
        "  no aktivering table fits: candidates: none"
    ]

    # 98 municipalities × 12 months × each indicator's groups; v3's names are ours; null is
    # missing.
    assert (summary.added, summary.revised) == (ALL_ROWS, 0)
    assert [(i, groups) for i, groups, *_ in summary.indicators] == [
        ("samtaler", SAMTALE_GROUPS),
        ("tilbud", TILBUD_GROUPS),
        ("passivandel", PASSIVE_GROUPS),
    ]
    assert summary.periods[0] == "2025-10" and summary.periods[-1] == "2026-09"
    frame = canonical(data)
    sizes = frame.groupby(["indicator", "target_group"]).size()
    assert set(sizes) == {98 * 12} and len(sizes) == 10
    samtaler = frame[frame["indicator"] == "samtaler"]
    for code in (820, 480, 400, 169, 173):  # Vesthimmerlands, Nordfyns, Bornholm, Høje-Taastrup…
        assert len(samtaler[samtaler["municipality_code"] == code]) == 4 * 12
    laesoe = frame[frame["municipality"] == "Læsø"]
    assert set(laesoe["persons"]) == {3} and laesoe["persons_meeting"].isna().all()
    fanoe = frame[(frame["municipality"] == "Fanø") & (frame["period"] == "2026-05")]
    assert len(fanoe) == 10 and fanoe[["persons", "share_pct"]].isna().all().all()
    passive = frame[frame["indicator"] == "passivandel"]
    # One window's figures (the last 12 months), not five windows added up.
    assert passive["persons"].max() <= 900 and passive["share_pct"].dropna().between(5, 55).all()
    assert frame.loc[frame["indicator"] != "samtaler", "mean_conversations"].isna().all()
    lines = summary.lines()
    assert "  months 2025-10 to 2026-09 (12); indicators 3:" in lines
    assert (
        f"    tilbud: target groups {', '.join(TILBUD_GROUPS)}; {98 * 12 * 3} added, 0 revised, "
        "0 unchanged" in lines
    )
    assert any("skipped 120 × the national figure, used only as a cross-check" in x for x in lines)
    assert any("skipped 120 × 'Uoplyst område' is not one of the 98" in x for x in lines)
    assert any("Ydelsesgrupper 'Ydelsesgrupper i alt': a total over" in x for x in lines)
    assert any("Ydelsesgrupper: sygedagpenge is not a target group of tilbud" in x for x in lines)
    assert any("'Seneste 3 mdr.': not the last 12 months" in x for x in lines)
    assert any("(+ " in x and "outside the 98) (matches)" in x for x in lines)
    assert not any("DIFFERS" in x for x in lines)

    archived = sorted((data / "raw" / "jobindsats").iterdir())
    assert [a.name.split("_")[1] for a in archived] == ["y14ti01", "y14ti02", "y31pa01"]
    assert all(a.name.startswith(f"{TODAY}_") and a.suffix == ".json" for a in archived)
    (release,) = json.loads((data / "releases.json").read_text(encoding="utf-8"))
    assert release["files"] == [a.name for a in archived]
    assert "hentet fra API v3 (tabeller y14ti01, y14ti02 og y31pa01)" in release["source"]
    # The key is never stored.
    assert all(TOKEN.encode() not in p.read_bytes() for p in data.rglob("*") if p.is_file())

    # The archived answers import to the same table: each is read by what it says.
    again = tmp_path / "again"
    result = CliRunner().invoke(
        cli, ["import", *map(str, archived), "--data", str(again), "--date", TODAY]
    )
    assert result.exit_code == 0, result.output
    assert (again / "samtaler.csv").read_bytes() == (data / "samtaler.csv").read_bytes()


def test_an_indicator_without_a_table_is_said_and_the_others_are_fetched(
    server, registry, tmp_path: Path
):
    server.hidden.add("y31pa01")
    said: list[str] = []
    summary = fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY, say=said.append)
    assert server.paths("data") == ["/v3/data/y14ti01", "/v3/data/y14ti02"]
    # v3 is known to lack passivandel: a note saying where to get it, not a failure.
    (line,) = [x for x in said if "passivandel" in x and "note" in x]
    assert line.startswith(
        "  note: no table found for passivandel on v3; import it from a file that holds it "
        "(candidates: "
    )
    assert "y12ag01 (no measure of persons nor of persons_meeting or share_pct" in line
    assert "ptvc01 (counts activated persons" in line
    assert [i for i, *_ in summary.indicators] == ["samtaler", "tilbud"]
    assert summary.added == 98 * 12 * (len(SAMTALE_GROUPS) + len(TILBUD_GROUPS))


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
    asked = [q["period.M"] for p, q, _ in server.requests if "/data/" in p]
    assert asked == ["latest:16"] * 3
    assert len(summary.periods) == 16


def test_fewer_periods_than_described_is_asked_again(server, registry, tmp_path: Path):
    server.available["y14ti01"] = 10  # the data endpoint has fewer months than /table says
    fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    assert [q["period.M"] for p, q, _ in server.requests if p == "/v3/data/y14ti01"] == [
        "latest:12",
        "latest:10",
    ]
    frame = canonical(tmp_path / "d")
    assert frame.groupby("indicator")["period"].nunique().to_dict() == {
        "passivandel": 12,
        "samtaler": 10,
        "tilbud": 12,
    }


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
    assert summary.added == ALL_ROWS
    assert server.paths("data")[:3] == ["/v3/data/y14ti01"] * 3
    assert len(server.paths("data")) == 3 + 2
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
    # not the full 5 s, but enough for the other answers on a loaded machine
    wait = {"fetch_timeout": 3.0} if step == ("hang",) else {}
    summary = fetch(settings(server, tmp_path / "d", **wait), registry, TOKEN, today=TODAY)
    assert summary.added == ALL_ROWS
    assert server.paths("tables") == ["/v3/tables", "/v3/tables"]


def test_nothing_that_fits_is_one_clear_error(server, registry, tmp_path: Path):
    server.hidden.add("y14ti01")  # the tables of tilbud and passivandel alone are not enough
    with pytest.raises(UserError) as exc:
        fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    message = exc.value.message
    # what to do first: a long list of candidates must not push it off a cut line
    assert message.startswith(
        f"no samtale table fits among the 9 tables of {server.api_url}; pin one with "
        "[[fetch_tables]] in site.toml"
    )
    assert "(candidates: smt02 (" in message
    assert "smt02 (counts samtaler by form" in message and "y30e22ak (" in message
    assert "y14ti02 (no measure of persons nor of persons_meeting or share_pct" in message
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
        (FetchTable(id="smt02"), "fetch_tables[1] (smt02, samtaler): no measure of persons"),
        (
            FetchTable(id="y12ag01", indicator="tilbud"),
            "fetch_tables[1] (y12ag01, tilbud): no measure of persons nor of persons_meeting or "
            "share_pct of tilbud",
        ),
        (
            FetchTable(id="y14ti02", indicator="passiv"),
            "fetch_tables[1]: indicator 'passiv' is not one of: samtaler, tilbud, passivandel",
        ),
        (
            FetchTable(id="y14ti02", indicator="tilbud", target_group="sygedagpenge"),
            "target_group 'sygedagpenge' is not one of tilbud's target groups: dagpenge, "
            "kontanthjaelp-jobparate, kontanthjaelp-aktivitetsparate",
        ),
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


def test_pinned_tables_name_their_indicator(server, registry, tmp_path: Path):
    pins = (
        FetchTable(id="y14ti01"),  # samtaler, the default
        FetchTable(id="y14ti02", indicator="tilbud"),
        FetchTable(
            id="y31pa01",
            indicator="passivandel",
            groups=(("Jobparate kontanthjælpsmodtagere", "kontanthjaelp-jobparate"),),
        ),
    )
    said: list[str] = []
    summary = fetch(
        settings(server, tmp_path / "d", fetch_tables=pins),
        registry,
        TOKEN,
        today=TODAY,
        say=said.append,
    )
    assert server.paths("tables") == []
    assert server.paths("data") == ["/v3/data/y14ti01", "/v3/data/y14ti02", "/v3/data/y31pa01"]
    assert said[0] == "Fetching 3 table(s) pinned in site.toml:"
    assert said[1].endswith(f"for samtaler: {', '.join(SAMTALE_GROUPS)}")
    assert said[3].endswith(f"for tilbud: {', '.join(TILBUD_GROUPS)}")
    assert said[5].endswith("for passivandel: kontanthjaelp-jobparate")
    assert "only Seneste periode på ydelsen 'Seneste 12 mdr.'" in said[6]
    assert [(i, g) for i, g, *_ in summary.indicators] == [
        ("samtaler", SAMTALE_GROUPS),
        ("tilbud", TILBUD_GROUPS),
        ("passivandel", ("kontanthjaelp-jobparate",)),
    ]
    assert summary.added == 98 * 12 * (4 + 3 + 1)
    # The same table pinned as samtaler (the default) is refused for what it lacks.
    with pytest.raises(UserError, match=r"fetch_tables\[1\] \(y14ti02, samtaler\): no measure"):
        fetch(
            settings(server, tmp_path / "e", fetch_tables=(FetchTable(id="y14ti02"),)),
            registry,
            TOKEN,
            today=TODAY,
        )


def test_a_fetch_without_samtaler_into_an_empty_directory_is_refused(
    server, registry, tmp_path: Path
):
    pin = FetchTable(id="y14ti02", indicator="tilbud")
    with pytest.raises(DataErrors) as exc:
        fetch(settings(server, tmp_path / "d", fetch_tables=(pin,)), registry, TOKEN, today=TODAY)
    (error,) = exc.value.errors
    assert "would hold no samtaler rows, and the site is built around them" in str(error)
    assert not (tmp_path / "d").exists()  # not even the raw answer is archived


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
    assert table.indicator == "samtaler"  # the default
    config.write_text(
        '[[fetch_tables]]\nid = "y14ti02"\nindicator = "tilbud"\n'
        '[[fetch_tables]]\nid = "y14ti02"\nindicator = "passivandel"\n',
        encoding="utf-8",
    )
    assert [(t.id, t.indicator) for t in load_settings(config).fetch_tables] == [
        ("y14ti02", "tilbud"),
        ("y14ti02", "passivandel"),
    ]
    config.write_text('[[fetch_tables]]\nid = "y1"\nindicator = 2\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"fetch_tables\[1\]: indicator must be a text"):
        load_settings(config)
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
    path.write_text("fetch_timeout = 5\nfetch_retries = 1\nfetch_backoff = 0\n", encoding="utf-8")
    return path


def test_the_command_lists_the_candidate_tables(server, tmp_path: Path, config: Path):
    result = invoke(server, tmp_path / "d", "--list", config=config)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"13 candidate table(s) among the 10 tables of {server.api_url} (5 for samtaler, "
        "5 for tilbud, 3 for passivandel, 0 for aktivering):"
    )
    header = next(line for line in lines if line.startswith("id "))
    columns = [
        "id",
        "indicator",
        "kommune",
        "name (subject / group)",
        "measures → columns",
        "would fill",
    ]
    assert [c.strip() for c in header.split("  ") if c.strip()] == columns
    rows = {
        (line.split()[0], line.split()[1]): line
        for line in lines
        if line[:1].isalnum() and len(line.split()) > 2 and line.split()[1] in INDICATORS
    }
    assert len(rows) == 13  # a table that is a candidate for two indicators has a row each
    assert rows[("y14ti01", "samtaler")].split()[2] == "yes"
    assert rows[("y30e22ak", "samtaler")].split()[2] == "no"
    assert "dagpenge," in rows[("y14ti02", "tilbud")]  # it would fill the offer's groups
    assert rows[("y14ti02", "samtaler")].rstrip().endswith("–")  # but not samtaler's
    assert "kontanthjaelp-aktivitetsparate," in rows[("y31pa01", "passivandel")]
    assert "Antal personer → persons" in result.stdout
    assert "Antal personer → persons; Antal" in rows[("y31pa01", "passivandel")]
    assert "(Tilbud" in result.stdout and "Tidlig indsats)" in result.stdout
    assert "y14smt01 is not usable for samtaler: counts samtaler by form" in result.stdout
    assert "y12ag01 is not usable for tilbud: about the activation rate" in result.stdout
    assert "y31pa01 is not usable for tilbud: about passivity" in result.stdout
    assert lines[-1] == (
        "fetch would take y14ti01 for samtaler: dagpenge, kontanthjaelp-aktivitetsparate, "
        "kontanthjaelp-jobparate, sygedagpenge; y14ti02 for tilbud: dagpenge, "
        "kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate; y31pa01 for passivandel: "
        "kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate, "
        "uddannelseshjaelp-aktivitetsparate; no table for aktivering."
    )
    assert server.paths("data") == []
    assert TOKEN not in result.output
    assert not (tmp_path / "d").exists()


def test_the_list_says_which_indicator_has_no_table(server, tmp_path: Path, config: Path):
    server.hidden.add("y14ti02")
    lines = invoke(server, tmp_path / "d", "--list", config=config).stdout.splitlines()
    assert lines[-1].endswith("; no table for tilbud; no table for aktivering.")
    server.hidden.add("y14ti01")
    lines = invoke(server, tmp_path / "d", "--list", config=config).stdout.splitlines()
    assert lines[-1] == (
        "fetch would find no samtale table and stop; pin a table with [[fetch_tables]]."
    )


def test_the_command_reads_the_key_from_the_environment(server, tmp_path: Path, config: Path):
    data = tmp_path / "data"
    result = invoke(server, data, token="", config=config)
    assert result.exit_code == 1
    assert "set the environment variable JOBINDSATS_TOKEN" in result.stderr
    assert server.requests == []

    result = invoke(server, data, config=config)
    assert result.exit_code == 0, result.output
    assert "Found candidate tables among 10 in" in result.stdout
    assert f"{ALL_ROWS} added" in result.stdout and TOKEN not in result.output
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
    server.hidden |= {"y14ti02", "y31pa01"}  # samtaler alone: a fault is a fault for any table
    config.write_text("fetch_timeout = 0.5\nfetch_retries = 1\nfetch_backoff = 0\n", "utf-8")
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


def test_a_new_target_group_label_stops_the_fetch_and_says_where_to_place_it(
    server, small_data: Path, tmp_path: Path, config: Path
):
    """A benefit group the reference data cannot place (as the 2027 law's groups will be) is
    not skipped in silence: fetch lists it for what it is, stops with exit code 3 and one line
    per label naming the file to edit, and the data directory is unchanged."""
    server.new_group = "Borgere i jobforløb (ny lov)"
    data = small_data
    before = digest(data)
    listed = invoke(server, tmp_path / "d", "--list", config=config)
    assert listed.exit_code == 0, listed.output
    assert (
        "fetch would stop: y14ti01 Ydelsesgrupper 'Borgere i jobforløb (ny lov)' is not one of "
        "the target groups, nor an [[other_label]]: add it to "
        "samtaletjek/reference/maalgrupper.toml" in listed.stdout
    )
    result = invoke(server, data, config=config)
    assert result.exit_code == DATA_PROBLEM, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [  # one line for each table fetch would take (samtaler, tilbud, passivandel)
        f"error: {server.api_url} table {table}: column Ydelsesgrupper: 'Borgere i jobforløb "
        "(ny lov)' is not one of the target groups, nor an [[other_label]]: add it to "
        "samtaletjek/reference/maalgrupper.toml (README: Publicér rigtige tal)"
        for table in ("y14ti01", "y14ti02", "y31pa01")
    ]
    assert "Traceback" not in result.output
    assert digest(data) == before
    # a listed other benefit group ('Ledighedsydelse', an [[other_label]]) stops nothing
    assert "'Ledighedsydelse'" not in listed.stdout and "Ledighedsydelse" not in result.stderr
