"""`fetch` against a fake jobindsats.dk on 127.0.0.1 (real HTTP in a thread): the request it
sends, retries after faults, the refused key, the archive, and "No new data"."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from samtaletjek.cli import cli
from samtaletjek.errors import DataErrors, UserError
from samtaletjek.ingest.fetch import fetch
from samtaletjek.settings import FetchTable, Settings, load_settings

ANSWER = (FIXTURES / "import" / "jobindsats-dagpenge.json").read_bytes()
WRONG_TOKEN = json.dumps({"Forkert nøgle eller nøglen er udløbet.": ""}).encode()
TOKEN = "secret-test-token-123"
TODAY = "2026-11-02"
TABLE = FetchTable(
    id="Y99X01",
    target_group="dagpenge",
    persons="_dp69ant",
    share="_dp69andel",
    filters=(("_varighed", ("6-9 mdr.",)),),
)


class FakeJobindsats(ThreadingHTTPServer):
    """Answers each POST with the next step of `script`, then with the normal answer."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[tuple[str, bytes | int]] = []
        self.requests: list[tuple[str, dict[str, str], dict]] = []
        self.release = threading.Event()  # lets a hanging answer go at teardown

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v2"

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        pass  # the client gave up on a hanging answer: expected, not worth a traceback


class _Handler(BaseHTTPRequestHandler):
    server: FakeJobindsats

    def log_message(self, format, *args) -> None:  # noqa: A002, ANN001
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append((self.path, dict(self.headers), json.loads(body)))
        kind, value = self.server.script.pop(0) if self.server.script else ("json", ANSWER)
        if kind == "hang":
            self.server.release.wait(timeout=5)
            self.close_connection = True
            return
        status, content = (value, b'{"error": "x"}') if kind == "status" else (200, value)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if kind == "cut":  # the connection closes halfway through the announced body
            self.wfile.write(content[: len(content) // 2])
            self.close_connection = True
        else:
            self.wfile.write(content)


@pytest.fixture
def server() -> Iterator[FakeJobindsats]:
    fake = FakeJobindsats()
    thread = threading.Thread(target=fake.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield fake
    fake.release.set()
    fake.shutdown()
    fake.server_close()
    thread.join(timeout=5)


def settings(server: FakeJobindsats, data: Path, **changes: object) -> Settings:
    values = {
        "data_dir": data,
        "api_url": server.api_url,
        "fetch_timeout": 0.5,
        "fetch_retries": 2,
        "fetch_backoff": 0.01,
        "fetch_tables": (TABLE,),
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


def test_fetch_sends_the_configured_request_and_imports(server, registry, tmp_path: Path):
    data = tmp_path / "data"
    summary = fetch(settings(server, data), registry, TOKEN, today=TODAY)
    (path, headers, body) = server.requests[0]
    assert path == "/v2/data/Y99X01/json"
    assert headers["Authorization"] == TOKEN  # the raw key, no "Bearer"
    assert body == {"area": "*", "period": "l(m:12)", "_varighed": ["6-9 mdr."]}

    assert (summary.added, summary.revised) == (196, 0)
    archived = sorted((data / "raw" / "jobindsats").iterdir())
    assert [p.name for p in archived] == [
        f"{TODAY}_Y99X01_{hashlib.sha256(ANSWER).hexdigest()[:12]}.json"
    ]
    assert archived[0].read_bytes() == ANSWER
    (release,) = json.loads((data / "releases.json").read_text(encoding="utf-8"))
    assert release["files"] == [archived[0].name]
    assert "hentet fra API v2 (tabel Y99X01)" in release["source"]
    # The key is never stored.
    assert all(TOKEN.encode() not in p.read_bytes() for p in data.rglob("*") if p.is_file())


def test_fetching_again_without_changes_is_no_new_data(server, registry, tmp_path: Path):
    data = tmp_path / "data"
    fetch(settings(server, data), registry, TOKEN, today=TODAY)
    before = digest(data)
    again = fetch(settings(server, data), registry, TOKEN, today="2026-12-01")
    assert not again.changed
    assert again.lines()[0].startswith("No new data:")
    assert digest(data) == before  # not even a second copy of the same answer


def test_a_server_error_is_retried_with_growing_pauses(server, registry, tmp_path: Path):
    server.script = [("status", 500), ("status", 503)]
    pauses: list[float] = []
    summary = fetch(
        settings(server, tmp_path / "d", fetch_backoff=1.0),
        registry,
        TOKEN,
        today=TODAY,
        sleep=pauses.append,
    )
    assert summary.added == 196
    assert len(server.requests) == 3
    assert pauses == [1.0, 2.0]


def test_a_hang_past_the_timeout_is_retried(server, registry, tmp_path: Path):
    server.script = [("hang", 0)]
    start = time.monotonic()
    summary = fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    assert summary.added == 196
    assert len(server.requests) == 2
    assert time.monotonic() - start < 4


def test_an_answer_cut_off_is_retried(server, registry, tmp_path: Path):
    server.script = [("cut", ANSWER)]
    summary = fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    assert summary.added == 196
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (("status", 500), "HTTP 500 Internal Server Error (3 attempts); try again later"),
        (("hang", 0), "no answer within 0.5 s (3 attempts)"),
        (("cut", ANSWER), "the connection failed or the answer was cut off"),
    ],
)
def test_a_fault_that_persists_is_one_clear_error(server, registry, tmp_path, step, message):
    server.script = [step] * 3
    data = tmp_path / "data"
    with pytest.raises(UserError) as exc:
        fetch(settings(server, data), registry, TOKEN, today=TODAY)
    assert message in exc.value.message
    assert exc.value.message.startswith(f"{server.api_url}/data/Y99X01/json: ")
    assert len(server.requests) == 3
    assert not data.exists()


@pytest.mark.parametrize("step", [("json", WRONG_TOKEN), ("status", 401)])
def test_a_refused_key_is_said_at_once(server, registry, tmp_path: Path, step):
    server.script = [step]
    with pytest.raises(UserError) as exc:
        fetch(settings(server, tmp_path / "d"), registry, TOKEN, today=TODAY)
    assert "refused the API key in JOBINDSATS_TOKEN" in exc.value.message
    assert "wrong or expired" in exc.value.message
    assert TOKEN not in exc.value.message
    assert len(server.requests) == 1


def test_a_truncated_json_answer_stores_nothing(server, registry, tmp_path: Path):
    server.script = [("json", ANSWER[: len(ANSWER) // 2])]
    data = tmp_path / "data"
    with pytest.raises(DataErrors) as exc:
        fetch(settings(server, data), registry, TOKEN, today=TODAY)
    (error,) = exc.value.errors
    assert error.file == f"{server.api_url}/data/Y99X01/json"
    assert "not valid JSON" in error.message and "truncated?" in error.message
    assert not data.exists()


def test_no_tables_configured(registry, tmp_path: Path):
    with pytest.raises(UserError, match=r"no tables to fetch: add \[\[fetch_tables\]\]"):
        fetch(Settings(data_dir=tmp_path), registry, TOKEN, today=TODAY)


def test_fetch_tables_from_site_toml(tmp_path: Path):
    config = tmp_path / "site.toml"
    config.write_text(
        """
fetch_timeout = 5
[[fetch_tables]]
id = "Y99X01"
target_group = "dagpenge"
persons = "_dp69ant"
share = "_dp69andel"
period = ["2018M04", "2018M05"]
[fetch_tables.filters]
_varighed = ["6-9 mdr."]
_kon = "I alt"
""",
        encoding="utf-8",
    )
    (table,) = load_settings(config).fetch_tables
    assert table.period == ("2018M04", "2018M05")
    assert table.filters == (("_kon", "I alt"), ("_varighed", ("6-9 mdr.",)))
    assert table.measures == {"persons": "_dp69ant", "share_pct": "_dp69andel"}
    config.write_text('[[fetch_tables]]\nid = "Y99X01"\npersons = "x"\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"fetch_tables\[1\]: target_group is required"):
        load_settings(config)


def test_the_command_reads_the_key_from_the_environment(server, tmp_path: Path):
    config = tmp_path / "site.toml"
    config.write_text(
        f"""
fetch_timeout = 0.5
fetch_backoff = 0
[[fetch_tables]]
id = "{TABLE.id}"
target_group = "dagpenge"
persons = "_dp69ant"
share = "_dp69andel"
""",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    args = ["fetch", "--data", str(data), "--config", str(config), "--api-url", server.api_url]
    runner = CliRunner()
    result = runner.invoke(cli, args, env={"JOBINDSATS_TOKEN": ""})
    assert result.exit_code == 1
    assert "set the environment variable JOBINDSATS_TOKEN" in result.output
    assert server.requests == []

    result = runner.invoke(cli, [*args, "--date", TODAY], env={"JOBINDSATS_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert "196 added" in result.output and TOKEN not in result.output
    result = runner.invoke(cli, [*args, "--date", TODAY], env={"JOBINDSATS_TOKEN": TOKEN})
    assert result.exit_code == 0
    assert result.output.startswith("No new data:")

    server.script = [("json", WRONG_TOKEN)]
    result = runner.invoke(cli, args, env={"JOBINDSATS_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert "refused the API key in JOBINDSATS_TOKEN" in result.output
    assert TOKEN not in result.output and "Traceback" not in result.output
