"""`fetch` against a careless or hostile server: the fake API v3 on 127.0.0.1 (real HTTP in a
thread). The key is never shown nor stored, however the server quotes it; a key HTTP cannot
carry is said before any request; a trickling answer ends within its deadline; 429 and 503
wait as `Retry-After` asks, within bounds; a redirect is said and never followed; and every
other odd answer is one line with the data directory unchanged."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_jobindsats import TOKEN, quoted, running

from samtaletjek.cli import cli
from samtaletjek.errors import DATA_PROBLEM, UserError
from samtaletjek.ingest import api as jobindsats_api
from samtaletjek.ingest.api import FetchError, open_api, redact
from samtaletjek.ingest.fetch import fetch
from samtaletjek.settings import Settings

TODAY = "2026-11-02"
ONLY_SAMTALER = {"y14ti02", "y31pa01"}  # one table to fetch: a fault is a fault for any table
TRICKLE = 0.02  # seconds between the bytes of a trickling answer, far within any read timeout


class Clock:
    """A monotonic clock that a pause moves forward instead of waiting."""

    def __init__(self) -> None:
        self.slept: list[float] = []
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds


@pytest.fixture
def server() -> Iterator:
    with running() as fake:
        fake.hidden |= ONLY_SAMTALER
        yield fake


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory after one good fetch (samtaler only), made once; tests copy it."""
    data = tmp_path_factory.mktemp("fetched") / "data"
    config = write_config(data.parent, timeout=5, retries=0)
    with running() as fake:
        fake.hidden |= ONLY_SAMTALER
        result = invoke(fake, data, config)
    assert result.exit_code == 0, result.output
    return data


@pytest.fixture
def data(fetched: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(fetched, tmp_path / "data"))


def write_config(folder: Path, *, timeout: float, retries: int) -> Path:
    path = folder / "site.toml"
    path.write_text(
        f"fetch_timeout = {timeout}\nfetch_retries = {retries}\nfetch_backoff = 0\n", "utf-8"
    )
    return path


def invoke(server, data: Path, config: Path, *extra: str, token: str = TOKEN):
    args = ["fetch", "--data", str(data), "--api-url", server.api_url, "--date", TODAY]
    args += ["--config", str(config), *extra]
    return CliRunner().invoke(cli, args, env={"JOBINDSATS_TOKEN": token})


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def leaks(secret: str, result, data: Path) -> list[str]:
    """Every place the output or a file under `data` holds `secret` in any form."""
    forms = list(quoted(secret).values())
    found = [f"output: {form!r}" for form in forms if form.lower() in result.output.lower()]
    for path in data.rglob("*") if data.exists() else ():
        if path.is_file():
            content = path.read_bytes().lower()
            found += [f"{path.name}: {f!r}" for f in forms if f.lower().encode() in content]
    return found


def one_line(result) -> str:
    """The single error line of a failed command (click's "Error: " removed)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ")
    return line.removeprefix("Error: ")


def api_for(server, *, timeout: float = 5, retries: int = 2, backoff: float = 0.5, clock=None):
    clock = clock or Clock()
    client, api = open_api(
        server.api_url,
        TOKEN,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=clock.sleep,
        clock=clock,
    )
    return client, api, clock


# ---- the key ---------------------------------------------------------------------------------


def test_the_key_is_replaced_however_it_is_written():
    secret = "ab/cd+E&f=="
    for form in [*quoted(secret).values(), secret.upper(), "ab\\/cd+E&amp;f=="]:
        assert redact(f"x {form} y", secret) == "x *** y", form
        assert redact(f"x {form} y".encode(), secret) == b"x *** y", form
    assert redact("Bearer %61%62%2fcd%2Be%26f%3D%3d", secret) == "Bearer ***"
    assert redact("nothing to hide", secret) == "nothing to hide"
    assert redact("nothing to hide", "") == "nothing to hide"


def test_the_key_quoted_in_a_data_answer_is_neither_shown_nor_stored(server, tmp_path: Path):
    server.echo_key = True  # every data answer quotes the header, in a row and beside the rows
    data = tmp_path / "data"
    result = invoke(server, data, write_config(tmp_path, timeout=5, retries=0))
    assert result.exit_code == 0, result.output
    assert leaks(TOKEN, result, data) == []
    assert "'Bearer ***'" in result.stdout  # the row with the key is skipped, and said so
    (archived,) = (data / "raw" / "jobindsats").iterdir()
    assert b'"as_is": "Bearer ***"' in archived.read_bytes()


ECHOES = {
    "500": ([("data", ("echo", 500))] * 2, 'HTTP 500 Internal Server Error: \'{"code": 500,'),
    "422": ([("data", ("echo", 422))], "refused the request (HTTP 422: Bad header 'Bearer ***')"),
    "401": ([("tables", ("echo", 401))], "refused the API key in JOBINDSATS_TOKEN (HTTP 401"),
}


@pytest.mark.parametrize(("steps", "message"), ECHOES.values(), ids=ECHOES)
def test_the_key_quoted_in_an_error_answer_is_not_shown(
    server, data: Path, tmp_path: Path, steps, message
):
    before = digest(data)
    server.faults += steps
    result = invoke(server, data, write_config(tmp_path, timeout=5, retries=1))
    assert message in one_line(result)
    assert leaks(TOKEN, result, data) == []
    assert digest(data) == before


def test_a_refused_key_quoted_in_the_401_answer_is_not_shown(server, data: Path, tmp_path: Path):
    server.echo_key = True
    result = invoke(server, data, write_config(tmp_path, timeout=5, retries=1), token="old-v2-k3y")
    assert "refused the API key in JOBINDSATS_TOKEN" in one_line(result)
    assert leaks("old-v2-k3y", result, data) == []
    assert len(server.requests) == 1


BAD_KEYS = {
    "the README's example": ("din-nøgle", 6, "a character outside ASCII"),
    "a space": ("abc def", 4, "a space"),
    "a line break": ("abcdef\nghi", 7, "a line break"),
    "a tab": ("abc\tdef", 4, "a tab"),
    "a control character": ("abc\x07def", 4, "a control character"),
    "a quote of a word processor": ("“abcdef”", 1, "a character outside ASCII"),
}


@pytest.mark.parametrize(("key", "position", "kind"), BAD_KEYS.values(), ids=BAD_KEYS)
def test_a_key_no_header_can_carry_is_one_line_before_any_request(
    server, tmp_path: Path, key: str, position: int, kind: str
):
    config = write_config(tmp_path, timeout=5, retries=0)
    for extra in ((), ("--list",)):
        result = invoke(server, tmp_path / "data", config, *extra, token=key)
        assert one_line(result) == (
            f"JOBINDSATS_TOKEN contains a character a key cannot have (position {position}: "
            f"{kind}); a key is ASCII letters, digits and punctuation without spaces: copy it "
            "again from STAR's mail"
        )
        assert all(part not in result.output for part in key.split() if len(part) > 2)
    assert server.requests == []
    assert not (tmp_path / "data").exists()
    with pytest.raises(UserError, match=f"position {position}"):  # fetch as a function too
        fetch(Settings(data_dir=tmp_path, api_url=server.api_url), None, key, today=TODAY)
    assert server.requests == []


# ---- time --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["trickle", "trickle-headers"])
def test_a_trickling_answer_ends_within_its_deadline(server, data: Path, tmp_path: Path, kind: str):
    """Each byte comes well within fetch_timeout, so only the deadline of an attempt (3 ×
    fetch_timeout, body and headers included) ends it. The read timeout is 20 times the gap
    between bytes, so a loaded machine's pause cannot end an attempt early as a read timeout
    (at 0.2 s against 0.05 s it once did in CI)."""
    before = digest(data)
    server.faults += [("tables", (kind, TRICKLE))] * 2
    start = time.monotonic()
    result = invoke(server, data, write_config(tmp_path, timeout=0.4, retries=1))
    took = time.monotonic() - start
    assert one_line(result) == (
        f"{server.api_url}/tables?format=json: no complete answer within 1.2 s "
        "(3 × fetch_timeout) (2 attempts); try again later"
    )
    assert 2.4 <= took < 8
    assert len(server.paths("tables")) == 2
    assert digest(data) == before


def test_a_fetch_ends_within_its_overall_deadline(server, data: Path, tmp_path: Path):
    """However many retries are allowed, the whole fetch ends after 20 × fetch_timeout."""
    before = digest(data)
    server.faults += [("tables", ("trickle", TRICKLE))] * 30
    start = time.monotonic()
    result = invoke(server, data, write_config(tmp_path, timeout=0.2, retries=29))
    took = time.monotonic() - start
    assert one_line(result) == (
        f"{server.api_url}/tables?format=json: fetch ran out of time: 4 s (20 × fetch_timeout) "
        "have passed (the last attempt: no complete answer within 0.6 s (3 × fetch_timeout)); "
        "try again later"
    )
    assert 4.0 <= took < 8
    assert 2 <= len(server.paths("tables")) <= 7  # each attempt takes 0.3 s
    assert digest(data) == before


def test_pauses_count_toward_the_overall_deadline(server):
    server.faults += [("tables", ("status", 503))] * 3
    client, api, clock = api_for(server, timeout=1, retries=5, backoff=8)  # 20 s in all
    with client, pytest.raises(FetchError) as exc:
        api.get("tables")
    assert clock.slept == [8]  # the next pause, 16 s, would end after the deadline
    assert exc.value.message == (
        f"{server.api_url}/tables?format=json: fetch ran out of time: 20 s (20 × fetch_timeout) "
        'have passed (the last attempt: HTTP 503 Service Unavailable: \'{"code": 503, "cause": '
        '"x"}\'); try again later'
    )


# ---- 429 and 503: Retry-After -------------------------------------------------------------------

BUSY = b'{"code": 429, "cause": "Too many requests"}'
WAITS = {
    "429 in seconds": (("status", 429, BUSY, "", {"Retry-After": "1"}), [1.0]),
    "429 as a date": (("retry-at", 429, 2), [2.0]),
    "503 in seconds": (("status", 503, b"", "", {"Retry-After": "3"}), [3.0]),
    "503 as a date": (("retry-at", 503, 1), [1.0]),
    "429 without": (("status", 429, BUSY), [0.5]),  # the backoff
    "429 unreadable": (("status", 429, BUSY, "", {"Retry-After": "soon"}), [0.5]),
}


@pytest.mark.parametrize(("step", "slept"), WAITS.values(), ids=WAITS)
def test_429_and_503_wait_as_retry_after_asks_then_succeed(server, step, slept):
    server.faults.append(("tables", step))
    client, api, clock = api_for(server)
    with client:
        _, _, catalogue = api.get("tables")
    assert isinstance(catalogue, list) and catalogue
    assert clock.slept == slept
    assert len(server.paths("tables")) == 2


def test_a_429_on_the_data_is_waited_out_and_the_fetch_succeeds(server, registry, tmp_path):
    server.faults.append(("data", ("status", 429, BUSY, "", {"Retry-After": "1"})))
    slept: list[float] = []
    settings = Settings(data_dir=tmp_path / "d", api_url=server.api_url, fetch_timeout=5)
    summary = fetch(settings, registry, TOKEN, today=TODAY, sleep=slept.append)
    assert summary.added == 98 * 12 * 4 and slept == [1.0]
    assert server.paths("data") == ["/v3/data/y14ti01"] * 2


def test_429_forever_ends_with_one_line(server, data: Path, tmp_path: Path):
    before = digest(data)
    server.faults += [("tables", ("status", 429, BUSY, "", {"Retry-After": "0"}))] * 3
    result = invoke(server, data, write_config(tmp_path, timeout=5, retries=2))
    assert one_line(result) == (
        f"{server.api_url}/tables?format=json: HTTP 429 Too Many Requests: '{BUSY.decode()}' "
        "(3 attempts); try again later"
    )
    assert len(server.paths("tables")) == 3
    assert digest(data) == before
    server.faults += [("tables", ("status", 429, BUSY, "", {"Retry-After": "1"}))] * 3
    client, api, clock = api_for(server)
    with client, pytest.raises(FetchError, match=r"\(3 attempts\); try again in 1 s$"):
        api.get("tables")
    assert clock.slept == [1.0, 1.0]


def test_a_wait_longer_than_fetch_waits_is_said_at_once(server, data: Path, tmp_path: Path):
    before = digest(data)
    server.faults.append(("tables", ("status", 429, BUSY, "", {"Retry-After": "3600"})))
    result = invoke(server, data, write_config(tmp_path, timeout=5, retries=3))
    assert one_line(result) == (
        f"{server.api_url}/tables?format=json: HTTP 429 Too Many Requests: jobindsats.dk asks "
        "to wait 60 min before the next request, longer than fetch waits (60 s); try again in "
        "60 min"
    )
    assert len(server.paths("tables")) == 1
    assert digest(data) == before


def test_a_wait_longer_than_is_left_is_said_at_once(server):
    server.faults += [("tables", ("status", 503, b"", "", {"Retry-After": "15"}))] * 2
    client, api, clock = api_for(server, timeout=1, retries=3)  # 20 s in all
    with client, pytest.raises(FetchError) as exc:
        api.get("tables")
    assert clock.slept == [15.0]
    assert exc.value.message == (
        f"{server.api_url}/tables?format=json: HTTP 503 Service Unavailable: jobindsats.dk asks "
        "to wait 15 s before the next request, longer than is left of fetch's time (5 s); try "
        "again in 15 s"
    )


# ---- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_said_and_never_followed(server, data: Path, tmp_path: Path, status: int):
    before = digest(data)
    config = write_config(tmp_path, timeout=5, retries=2)
    with running() as other:  # another host: it must never see the key
        server.faults.append(("tables", ("redirect", status, f"{other.api_url}/tables?k=1")))
        result = invoke(server, data, config)
        assert other.requests == []
    assert one_line(result) == (
        f"{server.api_url}/tables?format=json: the API answered with a redirect to "
        f"{other.api_url}/tables (HTTP {status}); check --api-url"
    )
    assert len(server.paths("tables")) == 1  # not retried
    server.faults.append(("tables", ("redirect", status, "/login?next=/v3/tables")))
    origin = server.api_url.removesuffix("/v3")
    assert f"a redirect to {origin}/login (HTTP {status})" in one_line(invoke(server, data, config))
    assert digest(data) == before


# ---- odd answers --------------------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
BROKEN_DESCRIPTION = b'{"dimensions": 5, "mgroups": {"a": [1, null]}, "periods": "M"}'
ODD = {
    "a catalogue that is an object": (
        [("tables", ("body", b'{"tables": 5}'))],
        "/tables?format=json: not a jobindsats v3 table list (expected",
    ),
    "a catalogue that is a text": (
        [("tables", ("body", b'"tables"'))],
        "/tables?format=json: not a jobindsats v3 table list (expected",
    ),
    "a catalogue of odd groups": (
        [("tables", ("body", b'[{"subject_name": "x", "table_groups": "y"}, {"tables": 5}]'))],
        "no samtale table fits among the 0 tables of",
    ),
    "a description that is a list": (
        [("table", ("body", b"[]"))],
        "?format=json: not a jobindsats v3 table description (expected",
    ),
    "descriptions of odd shapes": (
        [("table", ("body", BROKEN_DESCRIPTION))] * 6,  # every candidate's
        "no samtale table fits among the 8 tables of",
    ),
    "data that is not a table": (
        [("data", ("body", b'{"columns": 5, "rows": {}}'))],
        "/data/y14ti01?",
    ),
    "an empty body": (
        [("tables", ("body", b""))] * 2,
        "/tables?format=json: the answer is not JSON (Expecting value; it starts '') (2 attempts)",
    ),
    "NaN": (
        [("data", ("body", b'{"columns": ["Periode"], "rows": [[NaN]]}'))],
        "the answer is not JSON a table can hold (it holds NaN, which is not a number)",
    ),
    "Infinity": (
        [("tables", ("body", b"[-Infinity]"))],
        "the answer is not JSON a table can hold (it holds -Infinity, which is not a number)",
    ),
    "1e999": (
        [("tables", ("body", b"[1e999]"))],
        "the answer is not JSON a table can hold (it holds 1e999, a number too large to be one)",
    ),
    "an integer beyond 64 bits": (
        [("tables", ("body", b"[" + b"9" * 5000 + b"]"))],
        "(it holds 999999999999…, an integer too large to be a count)",
    ),
    "100,000 levels deep": (
        [("tables", ("body", DEEP))],
        "the answer is not JSON a table can hold (it is nested too deeply)",
    ),
    "broken compression": (
        [("tables", ("status", 200, b"not gzip", "", {"Content-Encoding": "gzip"}))] * 2,
        "the answer's compression is broken (DecodingError) (2 attempts); try again later",
    ),
    "too large, announced": (
        [("tables", ("large", 400_000, True))],
        "the answer is larger than 300000 bytes, far more than a table fetch asks for",
    ),
    "too large, not announced": (
        [("tables", ("large", 400_000, False))],
        "the answer is larger than 300000 bytes, far more than a table fetch asks for",
    ),
}


@pytest.mark.parametrize(("steps", "message"), ODD.values(), ids=ODD)
def test_an_odd_answer_is_one_line_and_changes_nothing(
    server, data: Path, tmp_path: Path, monkeypatch, steps, message
):
    monkeypatch.setattr(jobindsats_api, "MAX_BYTES", 300_000)  # the real one is 200 MB
    before = digest(data)
    server.faults += steps
    result = invoke(server, data, write_config(tmp_path, timeout=5, retries=1))
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert message in lines[0]
    # One line; a data answer that is not a table is the reader's error and its total, and
    # exit code 3 (an answer that cannot be imported: the scheduled workflow fails on it).
    assert len(lines) == 1 or lines[1:] == ["1 problem(s) found; nothing was written."]
    assert result.exit_code == (1 if len(lines) == 1 else DATA_PROBLEM), result.output
    assert digest(data) == before
    assert len(server.requests) <= 12 and server.faults == []
