"""A fake jobindsats.dk API v3 on 127.0.0.1 (real HTTP, `http.server` in a thread).

It serves the catalogue and table descriptions in tests/fixtures/v3/, answers data requests
the way v3 does (labels in `columns`, rows out of order, `null` cells, 422 with a `cause` for a
request the table cannot answer, 401 without the Bearer key) and can be told to misbehave:
`server.faults.append(("data", ("status", 503)))` makes the next data request fail so.

Run it by hand (a fixed port, the key "demo-key"):

    python tests/ingest/fake_jobindsats.py 8765
"""

from __future__ import annotations

import json
import random
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

V3 = Path(__file__).resolve().parents[1] / "fixtures" / "v3"
TOKEN = "secret-test-token-123"
FORBIDDEN_PAGE = b"You do not have permission to view this directory or page."

# The decoy tables' data: verbatim fragments of real v3 answers.
DECOY_DATA = {
    "y07a01": {
        "columns": [
            "Periode",
            "Område",
            "Arbejdsfordelingstype",
            "Antal personer, tilgang",
            "Antal sager, tilgang",
        ],
        "rows": [
            ["2025M05", "Hele landet", "Supplerende dagpenge op til 13 uger", 50, 9],
            ["2025M06", "Hele landet", "Supplerende dagpenge op til 13 uger", 16, None],
            ["2026M05", "Hele landet", "Supplerende dagpenge op til 13 uger", 22, 6],
            ["2025M11", "Hele landet", "Supplerende dagpenge op til 13 uger", 205, 11],
        ],
    },
    "y25i01": {
        "columns": [
            "Periode",
            "Område",
            "Ydelsesgrupper",
            "A-kasse",
            "Antal ledige personer",
            "Ledige fuldtidspersoner i pct. af arbejdsstyrken 16-66 år",
        ],
        "rows": [
            ["2026M05", "Hele landet", "Ydelsesgrupper i alt", "I alt", 107080, 3.0],
            ["2026M05", "Hele landet", "Ydelsesgrupper i alt", "Ingen a-kasse", 18018, 0.5],
        ],
    },
    "smt02": {
        "columns": [
            "Periode",
            "Område",
            "A-kasse",
            "Samtaler i alt",
            "Fysiske samtaler",
            "Telefoniske samtaler",
            "Videosamtaler",
            "Anden kontakt",
        ],
        "rows": [
            ["2026M04", "Hele landet", "A-kasse i alt", 22741, 11686, 7849, 3203, 3],
            ["2026M04", "Hele landet", "Socialpædagogernes A-Kasse", 245, 83, 156, 6, None],
        ],
    },
}


def load(name: str) -> object:
    return json.loads((V3 / name).read_text(encoding="utf-8"))


class FakeJobindsats(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, token: str = TOKEN) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.token = token
        self.faults: list[tuple[str, tuple]] = []  # (route, step), each used once
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.hidden: set[str] = set()  # tables left out of the catalogue
        self.available: dict[str, int] = {}  # fewer months than the description lists
        self.release = threading.Event()  # lets a hanging answer go at teardown

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v3"

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        pass  # the client gave up on a hanging or cut answer: expected

    def paths(self, route: str) -> list[str]:
        return [p for p, _, _ in self.requests if p.split("/")[2] == route]

    def answer(self, route: str, table: str, query: dict[str, str]) -> tuple[int, object]:
        if query.get("format") != "json":
            return 422, {"code": 422, "cause": "Unknown format: None", "request_id": "r1"}
        if route == "tables":
            catalogue = load("tables.json")
            for subject in catalogue:
                for group in subject["table_groups"]:
                    group["tables"] = [
                        t for t in group["tables"] if t["table_id"] not in self.hidden
                    ]
            return 200, catalogue
        if not (V3 / f"table-{table}.json").is_file():
            return 404, {"code": 404, "cause": f"Unknown table: {table}", "request_id": "r2"}
        description = load(f"table-{table}.json")
        if route == "table":
            return 200, description
        return data(description, query, self.available.get(table))


def _values(description: dict, hierarchy: str) -> list[str]:
    for dimension in description["dimensions"]:
        for h in dimension["hierarchies"]:
            if h["hierarchy_id"] == hierarchy:
                return [v["value_name"] for level in h["levels"] for v in level["values"]]
    return []


def data(description: dict, query: dict[str, str], available: int | None) -> tuple[int, object]:
    """Answer a data request as v3 does, or refuse it with a 422 and its cause."""
    table = description["table_id"]
    months = next(
        (
            [v["period_id"] for v in p["values"]]
            for p in description["periods"]
            if p["periodtype_id"] == "M"
        ),
        [],
    )
    months = months[-available:] if available else months
    kinds = [k.removeprefix("period.") for k in query if k.startswith("period.")]
    if kinds != ["M"]:
        return 422, {"code": 422, "cause": f"Unknown period type: {kinds}", "request_id": "r3"}
    asked = query["period.M"]
    if m := re.fullmatch(r"latest:(\d+)", asked):
        if int(m[1]) > len(months):
            cause = (
                f"Requested latest:{m[1]} for type M, but only {len(months)} periods are available."
            )
            return 422, {"code": 422, "cause": cause, "request_id": "r4"}
        periods = months[len(months) - int(m[1]) :]
    else:
        periods = asked.split(",")
    known = {h["hierarchy_id"] for d in description["dimensions"] for h in d["hierarchies"]}
    hierarchies = [k.removeprefix("hierarchy.") for k in query if k.startswith("hierarchy.")]
    if unknown := [h for h in hierarchies if h not in known]:
        return 422, {"code": 422, "cause": f"Unknown hierarchies: {unknown}", "request_id": "r5"}
    if table in DECOY_DATA:
        return 200, DECOY_DATA[table]
    if "_nykom" not in hierarchies:
        return 422, {"code": 422, "cause": "Only _nykom is served here", "request_id": "r6"}
    groups = _values(description, "_ygrp") if "_ygrp" in hierarchies else [None]
    areas = _values(description, "_nykom")
    mgroup = description["mgroups"][0]
    measures = [f"{mgroup['mgroup_name']}: {m['measure_name']}" for m in mgroup["measures"]]
    columns = ["Periode", "Område", *(["Ydelsesgrupper"] if groups != [None] else []), *measures]
    rows = []
    for period in periods:
        for group in groups:
            part = [_figures(table, period, area, group) for area in areas]
            rows += [_row(period, area, group, fig) for area, fig in zip(areas, part, strict=True)]
    _totals(rows, groups)
    random.Random(f"{table}{sorted(query.items())}").shuffle(rows)
    if groups == [None]:
        rows = [[r[0], r[1], *r[3:]] for r in rows]
    return 200, {"columns": columns, "rows": rows}


def _figures(table: str, period: str, area: str, group: str | None) -> list[int | float | None]:
    rng = random.Random(f"{table}/{period}/{area}/{group}")
    if area == "Hele landet" or group == "Ydelsesgrupper i alt":
        return [0, 0, None]  # filled in by _totals
    persons = rng.randint(2, 30) if area == "Uoplyst område" else rng.randint(12, 900)
    if area == "Læsø":
        return [3, None, None]  # too few: suppressed
    if area == "Fanø" and period.endswith("M05"):
        return [None, None, None]
    meeting = round(persons * rng.uniform(0.55, 0.95))
    return [persons, meeting, round(meeting / persons * 100, 1)]


def _row(period: str, area: str, group: str | None, figures: list) -> list:
    return [period, area, group, *figures]


def _totals(rows: list[list], groups: list[str | None]) -> None:
    """Fill the total rows (Hele landet; Ydelsesgrupper i alt) as sums, as the API does."""
    by_key = {(r[0], r[1], r[2]): r for r in rows}
    for r in rows:
        if r[1] != "Hele landet" and r[2] == "Ydelsesgrupper i alt":
            parts = [by_key[(r[0], r[1], g)] for g in groups if g != r[2]]
            _sum_into(r, parts)
    for r in rows:
        if r[1] == "Hele landet":
            _sum_into(r, [x for x in rows if x[0] == r[0] and x[2] == r[2] and x[1] != r[1]])


def _sum_into(total: list, parts: list[list]) -> None:
    persons = sum(p[3] or 0 for p in parts)
    meeting = sum(p[4] or 0 for p in parts)
    total[3:] = [persons, meeting, round(meeting / persons * 100, 1) if persons else None]


class _Handler(BaseHTTPRequestHandler):
    server: FakeJobindsats

    def log_message(self, format, *args) -> None:  # noqa: A002, ANN001
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        self.server.requests.append((url.path, query, dict(self.headers)))
        parts = url.path.strip("/").split("/")
        route = parts[1] if len(parts) > 1 and parts[0] == "v3" else ""
        step = next((s for r, s in self.server.faults if r == route), None)
        if step is not None:
            self.server.faults.remove((route, step))
            return self.misbehave(step)
        if self.headers.get("Authorization") != f"Bearer {self.server.token}":
            return self.send(401, {"code": 401, "cause": "Unauthorized", "request_id": "r0"})
        if route not in ("tables", "table", "data") or (route != "tables") != (len(parts) == 3):
            return self.send(404, {"code": 404, "cause": "Not found", "request_id": "r7"})
        self.send(*self.server.answer(route, parts[2] if len(parts) == 3 else "", query))

    def send(
        self, status: int, value: object, content: bytes | None = None, kind: str = ""
    ) -> None:
        body = json.dumps(value, ensure_ascii=False).encode() if content is None else content
        self.send_response(status)
        self.send_header("Content-Type", kind or "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def misbehave(self, step: tuple) -> None:
        kind = step[0]
        if kind == "hang":
            self.server.release.wait(timeout=5)
            self.close_connection = True
        elif kind == "cut":  # the connection closes halfway through the announced body
            body = json.dumps(load("tables.json")).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif kind == "status":
            status = step[1]
            body = step[2] if len(step) > 2 else b'{"code": %d, "cause": "x"}' % status
            self.send(status, None, body, step[3] if len(step) > 3 else "")
        elif kind == "body":  # a complete HTTP answer whose body is what the step says
            self.send(200, None, step[1], step[2] if len(step) > 2 else "")


@contextmanager
def running(port: int = 0, token: str = TOKEN) -> Iterator[FakeJobindsats]:
    fake = FakeJobindsats(port, token)
    thread = threading.Thread(target=fake.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        fake.shutdown()
        fake.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":
    with running(int(sys.argv[1]) if len(sys.argv) > 1 else 8765, token="demo-key") as server:
        print(f"fake jobindsats.dk API v3 at {server.api_url} (key: demo-key); Ctrl-C stops")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
