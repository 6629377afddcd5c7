"""A fake jobindsats.dk API v3 on 127.0.0.1 (real HTTP, `http.server` in a thread).

It serves the catalogue and table descriptions in tests/fixtures/v3/, answers data requests
the way v3 does (labels in `columns`, rows out of order, `null` cells, 422 with a `cause` for a
request the table cannot answer, 401 without the Bearer key) and can be told to misbehave:
`server.faults.append(("data", ("status", 503)))` makes the next data request fail so (see
`_Handler.misbehave` for every kind of fault). `server.echo_key = True` makes it quote the
Authorization header it got, in every way a careless server might, in its 401 answers and in
its data (as a row's area and beside the rows). `server.activation = True` adds STAR's
activation tables ("Aktiveringsgrad og andel aktiveringsberørte", one per benefit) and their
persons tables to the catalogue (see `ACTIVATION`).

Run it by hand (a fixed port, the key "demo-key"):

    python tests/ingest/fake_jobindsats.py 8765
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import random
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

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


# STAR's activation tables as the July 2026 scan of the v3 catalogue saw their ids, measure
# groups and dimensions (`y<NN>c07` beside the persons table `y<NN>a02` of the same benefit);
# measure and value names beyond those are this fake's. The benefit is said by the subject.
# y98 is made up: a benefit without an aktivering target group.
ACTIVATION = {  # id prefix → (subject, the portal's path part)
    "y01": ("A-dagpenge", "a-dagpenge"),
    "y07": ("Sygedagpenge", "sygedagpenge"),
    "y09": ("Ledighedsydelse", "ledighedsydelse"),
    "y12": ("Jobafklaringsforløb", "jobafklaringsforloeb"),
    "y60": ("Kontanthjælp", "kontanthjaelp"),
    "y98": ("Revalidering", "revalidering"),
}
ACTIVATION_MONTHS = [f"2025M{m:02d}" for m in range(8, 13)] + [f"2026M{m:02d}" for m in range(1, 8)]
ACTIVATION_NAME = "Aktiveringsgrad og andel aktiveringsberørte"
PERSONS_NAME = "Antal personer og fuldtidspersoner"
SHARE = "Andel aktiveringsberørte (pct.)"
DEGREE = "Aktiveringsgrad (pct.)"
PERSONS = "Antal personer"
FULLTIME = "Antal fuldtidspersoner"
# Kontanthjælp's tables have two more dimensions, each with a total STAR publishes (not the sum
# of the categories: a share does not add up); a client must ask for the total by its id.
KTH_DIMENSIONS = (
    (
        "_viskat_1int",
        "Visitationskategori",
        (("/", "Visitationskategorier i alt"), ("1", "Jobparate"), ("2", "Aktivitetsparate")),
    ),
    ("_kth_sats", "Kontanthjælpssats", (("/", "I alt"), ("1", "Ung-sats"), ("2", "Voksen-sats"))),
)
NULL_CELL = ("y60c07", "2026M07", "Fanø")  # a suppressed share: null in the answer


def _activation_table(table: str) -> dict:
    """The `/table/<id>` description of one activation table or its persons table."""
    area = next(
        d for d in load("table-y14ti02.json")["dimensions"] if d["dimension_id"] == "_omrade"
    )
    dimensions = [area]
    if table.startswith("y60"):
        for dim_id, name, values in KTH_DIMENSIONS:
            levels = [
                {
                    "level_id": f"{dim_id}_0",
                    "values": [{"value_id": "/", "value_name": values[0][1]}],
                },
                {
                    "level_id": f"{dim_id}_1",
                    "values": [{"value_id": i, "value_name": n} for i, n in values[1:]],
                },
            ]
            dimensions.append(
                {
                    "dimension_id": dim_id,
                    "dimension_name": name,
                    "hierarchies": [{"hierarchy_id": dim_id, "levels": levels}],
                }
            )
    if table.endswith("c07"):
        name = ACTIVATION_NAME
        mgroups = [
            {
                "mgroup_id": "mgrpc07_1",
                "mgroup_name": "Aktiveringsgrad",
                "measures": [{"measure_id": "measc07_1", "measure_name": DEGREE}],
            },
            {
                "mgroup_id": "mgrpc07_2",
                "mgroup_name": "Andel aktiveringsberørte",
                "measures": [{"measure_id": "measc07_2", "measure_name": SHARE}],
            },
        ]
    else:
        name = PERSONS_NAME
        mgroups = [
            {
                "mgroup_id": "mgrpa02_1",
                "mgroup_name": "Personer",
                "measures": [
                    {"measure_id": "measa02_1", "measure_name": PERSONS},
                    {"measure_id": "measa02_2", "measure_name": FULLTIME},
                ],
            }
        ]
    periods = [{"periodtype_id": "M", "values": [{"period_id": p} for p in ACTIVATION_MONTHS]}]
    return {
        "table_id": table,
        "table_name": name,
        "periods": periods,
        "dimensions": dimensions,
        "mgroups": mgroups,
    }


def _activation_subjects() -> list[dict]:
    """The catalogue's subjects of the activation tables, one per benefit."""
    subjects = []
    for prefix, (subject, part) in ACTIVATION.items():
        page = f"https://www.jobindsats.dk/databank/ydelser/{part}"
        tables = [
            ("Aktivering", f"{prefix}c07", ACTIVATION_NAME, f"{page}/aktivering/aktiveringsgrad/"),
            ("Personer", f"{prefix}a02", PERSONS_NAME, f"{page}/personer/antal-personer/"),
        ]
        groups = [
            {
                "table_group_name": group,
                "tables": [
                    {
                        "table_id": table,
                        "table_name": name,
                        "link_tablepage": link,
                        "update_latest": "2026-08-20",
                    }
                ],
            }
            for group, table, name, link in tables
        ]
        subjects.append({"subject_name": subject, "table_groups": groups})
    return subjects


@functools.cache
def _activation_areas() -> tuple[str, ...]:
    return tuple(_values(_activation_table("y60c07"), "_nykom"))


def activation_cell(table: str, period: str, area: str, values: tuple[str, ...], measure: str):  # noqa: ANN201
    """One cell as STAR publishes it: `values` are the table's other dimensions' values, in
    the table's order (totals included); the area "Hele landet" is STAR's own figure."""
    if (table, period, area) == NULL_CELL and measure == SHARE:
        return None
    if area == "Hele landet":  # STAR's own: the sum of the persons, the persons' mean share
        areas = [a for a in _activation_areas() if a != area]
        persons = [activation_cell(table[:3] + "a02", period, a, values, PERSONS) for a in areas]
        if measure in (PERSONS, FULLTIME):
            return sum(activation_cell(table, period, a, values, measure) for a in areas)
        cells = [
            (activation_cell(table, period, a, values, measure), n)
            for a, n in zip(areas, persons, strict=True)
        ]
        known = [(c, n) for c, n in cells if c is not None]
        return round(sum(c * n for c, n in known) / sum(n for _, n in known), 1)
    draws = _Draws(f"{table}/{period}/{area}/{'/'.join(values)}/{measure}")
    if measure == PERSONS:
        return draws.randint(50, 5000)
    if measure == FULLTIME:
        return draws.randint(40, 4000)
    return round(draws.uniform(25, 65) if measure == SHARE else draws.uniform(8, 40), 1)


def activation_data(description: dict, query: dict[str, str]) -> tuple[int, object]:
    """Answer a data request of an activation table. A dimension asked for is a column of the
    values asked; one left out is summed over its categories, as the API does (so a summed
    share is not STAR's total, and a category is not the total either)."""
    table = description["table_id"]
    kinds = [k.removeprefix("period.") for k in query if k.startswith("period.")]
    if kinds != ["M"]:
        return 422, {"code": 422, "cause": f"Unknown period type: {kinds}", "request_id": "r3"}
    asked = query["period.M"]
    if m := re.fullmatch(r"latest:(\d+)", asked):
        if int(m[1]) > len(ACTIVATION_MONTHS):
            count = len(ACTIVATION_MONTHS)
            cause = f"Requested latest:{m[1]} for type M, but only {count} periods are available."
            return 422, {"code": 422, "cause": cause, "request_id": "r4"}
        periods = ACTIVATION_MONTHS[len(ACTIVATION_MONTHS) - int(m[1]) :]
    else:
        periods = asked.split(",")
    known = {h["hierarchy_id"] for d in description["dimensions"] for h in d["hierarchies"]}
    hierarchies = [k.removeprefix("hierarchy.") for k in query if k.startswith("hierarchy.")]
    if unknown := [h for h in hierarchies if h not in known]:
        return 422, {"code": 422, "cause": f"Unknown hierarchies: {unknown}", "request_id": "r5"}
    if "_nykom" not in hierarchies:
        return 422, {"code": 422, "cause": "Only _nykom is served here", "request_id": "r6"}
    areas = _values(description, "_nykom")
    dims = []  # (label, the values of each row: asked, or every category to sum; a column?)
    for dimension in description["dimensions"][1:]:
        h = dimension["hierarchies"][0]["hierarchy_id"]
        label, values = _hierarchy(description, h)
        if h in hierarchies:
            dims.append((label, [[name] for name in _asked(values, query[f"hierarchy.{h}"])], True))
        else:
            dims.append((label, [[name for i, name, _ in values if i != "/"]], False))
    measures = [
        (f"{g['mgroup_name']}: {m['measure_name']}", m["measure_name"])
        for g in description["mgroups"]
        for m in g["measures"]
    ]
    columns = ["Periode", "Område", *(label for label, _, shown in dims if shown)]
    columns += [label for label, _ in measures]
    rows = []
    for period in periods:
        for choice in itertools.product(*(values for _, values, _ in dims)):
            shown = [names[0] for names, (_, _, col) in zip(choice, dims, strict=True) if col]
            for area in areas:
                figures = []
                for _, measure in measures:
                    cells = [
                        activation_cell(table, period, area, combination, measure)
                        for combination in itertools.product(*choice)
                    ]
                    figures.append(None if None in cells else round(sum(cells), 1))
                rows.append([period, area, *shown, *figures])
    random.Random(f"{table}{sorted(query.items())}").shuffle(rows)
    return 200, {"columns": columns, "rows": rows}


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
        self.answers: dict[tuple, tuple[int, object]] = {}
        self.echo_key = False
        self.activation = False  # serve the activation tables too
        self.negative: set[str] = set()  # tables whose answer has a negative count in Varde
        self.new_group = ""  # a Ydelsesgrupper value added to every table that has them

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
            if self.activation:
                catalogue += _activation_subjects()
            for subject in catalogue:
                for group in subject["table_groups"]:
                    group["tables"] = [
                        t for t in group["tables"] if t["table_id"] not in self.hidden
                    ]
            return 200, catalogue
        if self.activation and table[:3] in ACTIVATION and table[3:] in ("c07", "a02"):
            description = _activation_table(table)
            return (200, description) if route == "table" else activation_data(description, query)
        if not (V3 / f"table-{table}.json").is_file():
            return 404, {"code": 404, "cause": f"Unknown table: {table}", "request_id": "r2"}
        description = load(f"table-{table}.json")
        if self.new_group:  # as a new law's group would appear: one more benefit group
            for dimension in description["dimensions"]:
                for h in dimension["hierarchies"]:
                    if h["hierarchy_id"] == "_ygrp":
                        h["levels"][-1]["values"].append(
                            {"value_id": "99", "value_name": self.new_group}
                        )
        if route == "table":
            return 200, description
        key = (table, tuple(sorted(query.items())), self.available.get(table))
        if key not in self.answers:  # the same request, the same answer (made once: large)
            self.answers[key] = data(description, query, self.available.get(table))
        status, value = self.answers[key]
        if table in self.negative and status == 200:  # a figure no import may take
            count = next(i for i, c in enumerate(value["columns"]) if "Antal" in c)
            rows = [list(r) for r in value["rows"]]
            varde = next(r for r in rows if r[1] == "Varde")
            varde[count] = -12
            value = {**value, "rows": rows}
        return status, value


def _hierarchy(description: dict, hierarchy: str) -> tuple[str, list[tuple[str, str, int]]]:
    """Return (dimension name, [(value id, value name, level number)]) of one hierarchy."""
    for dimension in description["dimensions"]:
        for h in dimension["hierarchies"]:
            if h["hierarchy_id"] == hierarchy:
                values = [
                    (v["value_id"], v["value_name"], n)
                    for n, level in enumerate(h["levels"])
                    for v in level["values"]
                ]
                return dimension.get("dimension_name", dimension["dimension_id"]), values
    return hierarchy, []


def _values(description: dict, hierarchy: str) -> list[str]:
    return [name for _, name, _ in _hierarchy(description, hierarchy)[1]]


def _asked(values: list[tuple[str, str, int]], selection: str) -> list[str]:
    """The value names a `hierarchy.<id>=<selection>` asks for: `*` all, `/` the total, ids."""
    if selection == "*":
        return [name for _, name, _ in values]
    if selection == "/":
        return [name for value_id, name, _ in values if value_id == "/"]
    wanted = selection.split(",")
    return [name for value_id, name, _ in values if value_id in wanted]


def data(description: dict, query: dict[str, str], available: int | None) -> tuple[int, object]:
    """Answer a data request as v3 does, or refuse it with a 422 and its cause. Every
    hierarchy asked for besides the kommune one is a column (in the order asked), its rows
    every combination of the values asked; the totals ("Hele landet", "Ydelsesgrupper i alt")
    are sums, as the API's are."""
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
    areas = _values(description, "_nykom")
    dims = []  # (hierarchy id, column label, value names asked)
    for h in hierarchies:
        if h != "_nykom":
            label, values = _hierarchy(description, h)
            dims.append((h, label, _asked(values, query[f"hierarchy.{h}"])))
    mgroup = description["mgroups"][0]
    names = [m["measure_name"] for m in mgroup["measures"]]
    measures = [f"{mgroup['mgroup_name']}: {name}" for name in names]
    columns = ["Periode", "Område", *(label for _, label, _ in dims), *measures]
    kinds = [_kind(n) for n in names]
    passive = any("passiv" in n.lower() for n in names)
    rows = []
    for period in periods:
        for combination in itertools.product(*(values for _, _, values in dims)):
            for area in areas:
                key = f"{table}/{period}/{area}/{'/'.join(combination)}"
                figures = _figures(key, period, area, combination, kinds, passive)
                rows.append([period, area, *combination, *figures])
    group_at = [h for h, _, _ in dims].index("_ygrp") if "_ygrp" in hierarchies else None
    _totals(rows, len(dims), group_at, kinds)
    random.Random(f"{table}{sorted(query.items())}").shuffle(rows)
    return 200, {"columns": columns, "rows": rows}


def _echo_row(answer: dict, header: str) -> list:
    """A row whose area and groups are the header the request came with (a careless server's
    echo); its measures are empty."""
    return [
        answer["rows"][0][0] if i == 0 else None if ": " in label else header
        for i, label in enumerate(answer["columns"])
    ]


def _kind(name: str) -> str:
    """What a measure of the fixtures is: persons, the persons counted, a share or a rate."""
    text = name.lower()
    if "aktiveringsgrad" in text:
        return "rate"
    if "pct" in text:
        return "share"
    return "persons" if name == "Antal personer" else "counted"


class _Draws:
    """Deterministic draws from a key, cheaper than seeding `random.Random` for every row of
    a large answer (48,000 rows for the passivity table's windows)."""

    def __init__(self, key: str) -> None:
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        self._values = [int.from_bytes(digest[i : i + 4], "big") / 2**32 for i in range(0, 16, 4)]

    def _next(self) -> float:
        return self._values.pop(0)

    def randint(self, low: int, high: int) -> int:
        return low + int(self._next() * (high - low + 1))

    def uniform(self, low: float, high: float) -> float:
        return low + self._next() * (high - low)


def _figures(
    key: str, period: str, area: str, combination: tuple[str, ...], kinds: list[str], passive: bool
) -> list[int | float | None]:
    """One row's measures, drawn from its key; totals are 0 here and filled by `_totals`."""
    if area == "Hele landet" or "Ydelsesgrupper i alt" in combination:
        return [0 if k in ("persons", "counted") else None for k in kinds]
    if area == "Læsø":
        return [3 if k == "persons" else None for k in kinds]  # too few: suppressed
    if area == "Fanø" and period.endswith("M05"):
        return [None for _ in kinds]
    rng = _Draws(key)
    persons = rng.randint(2, 30) if area == "Uoplyst område" else rng.randint(12, 900)
    low, high = (0.1, 0.5) if passive else (0.55, 0.95)
    counted = round(persons * rng.uniform(low, high))
    by_kind = {
        "persons": persons,
        "counted": counted,
        "share": round(counted / persons * 100, 1),
        "rate": round(rng.uniform(15, 60), 1),
    }
    return [by_kind[k] for k in kinds]


def _totals(rows: list[list], dims: int, group_at: int | None, kinds: list[str]) -> None:
    """Fill the total rows (Hele landet; Ydelsesgrupper i alt) as sums, as the API does. A row
    is [period, area, *`dims` dimension values, *measures of `kinds`]."""
    group = None if group_at is None else 2 + group_at
    start = 2 + dims

    def key(r: list, but: int) -> tuple:
        return (*r[:but], *r[but + 1 : start])

    if group is not None:
        parts: dict[tuple, list[list]] = {}
        for r in rows:
            if r[1] != "Hele landet" and r[group] != "Ydelsesgrupper i alt":
                parts.setdefault(key(r, group), []).append(r)
        for r in rows:
            if r[1] != "Hele landet" and r[group] == "Ydelsesgrupper i alt":
                _sum_into(r, parts.get(key(r, group), []), start, kinds)
    areas: dict[tuple, list[list]] = {}
    for r in rows:
        if r[1] != "Hele landet":
            areas.setdefault(key(r, 1), []).append(r)
    for r in rows:
        if r[1] == "Hele landet":
            _sum_into(r, areas.get(key(r, 1), []), start, kinds)


def _sum_into(total: list, parts: list[list], start: int, kinds: list[str]) -> None:
    """Counts add up, the share is computed from them; a total has no rate."""
    sums = {k: sum(p[start + j] or 0 for p in parts) for j, k in enumerate(kinds)}
    for j, kind in enumerate(kinds):
        if kind in ("persons", "counted"):
            total[start + j] = sums[kind]
        elif kind == "share" and sums.get("persons"):
            total[start + j] = round(sums.get("counted", 0) / sums["persons"] * 100, 1)
        else:
            total[start + j] = None


def quoted(header: str) -> dict[str, str]:
    """The Authorization header as a careless server quotes it: as is, URL-encoded (in part,
    in full, twice), JSON-escaped and as HTML entities."""
    return {
        "as_is": header,
        "url": quote(header, safe=""),
        "url_every_char": "".join(f"%{ord(c):02X}" for c in header),
        "url_twice": quote(quote(header, safe=""), safe=""),
        "json_escaped": "".join(f"\\u{ord(c):04x}" for c in header),
        "html": "".join(f"&#{ord(c)};" for c in header),
    }


def echo_body(header: str, status: int) -> bytes:
    """An error answer quoting the header in its `cause` and beside it, the JSON escapes kept
    as they are (not decoded) so that the reader of the bytes meets them."""
    forms = quoted(header)
    escaped = forms.pop("json_escaped")
    text = json.dumps({"code": status, "cause": f"Bad header {header!r}", **forms})
    return text[:-1].encode() + b', "escaped": "' + escaped.encode() + b'"}'


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
        header = self.headers.get("Authorization", "")
        if header != f"Bearer {self.server.token}":
            if self.server.echo_key:
                return self.send(401, None, echo_body(header, 401))
            return self.send(401, {"code": 401, "cause": "Unauthorized", "request_id": "r0"})
        if route not in ("tables", "table", "data") or (route != "tables") != (len(parts) == 3):
            return self.send(404, {"code": 404, "cause": "Not found", "request_id": "r7"})
        status, value = self.server.answer(route, parts[2] if len(parts) == 3 else "", query)
        if self.server.echo_key and route == "data" and status == 200:
            value = {**value, "rows": [*value["rows"], _echo_row(value, header)]}
            value["request"] = quoted(header)
        self.send(status, value)

    def send(
        self,
        status: int,
        value: object,
        content: bytes | None = None,
        kind: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        body = json.dumps(value, ensure_ascii=False).encode() if content is None else content
        headers = headers or {}
        if "Date" in headers:  # the step's own Date, not the clock's
            self.send_response_only(status)
        else:
            self.send_response(status)
        self.send_header("Content-Type", kind or "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value_ in headers.items():
            self.send_header(name, value_)
        self.end_headers()
        self.wfile.write(body)

    def misbehave(self, step: tuple) -> None:
        """Answer as `step` says: ("hang",), ("cut",), ("status", code[, body[, type[,
        headers]]]), ("body", bytes[, type]), ("echo", code): an error quoting the key,
        ("retry-at", code, seconds): Retry-After as an HTTP date, ("redirect", code, location),
        ("trickle", seconds): the body a byte at a time, ("trickle-headers", seconds): the
        headers so, ("large", size, announced): a body of `size` bytes, its length announced
        in Content-Length or not."""
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
            kind_ = step[3] if len(step) > 3 else ""
            self.send(status, None, body, kind_, step[4] if len(step) > 4 else {})
        elif kind == "body":  # a complete HTTP answer whose body is what the step says
            self.send(200, None, step[1], step[2] if len(step) > 2 else "")
        elif kind == "echo":
            self.send(step[1], None, echo_body(self.headers.get("Authorization", ""), step[1]))
        elif kind == "retry-at":  # Retry-After as a date, `seconds` after the answer's Date
            now = int(time.time())
            dates = {"Date": formatdate(now, usegmt=True)}
            dates["Retry-After"] = formatdate(now + step[2], usegmt=True)
            self.send(step[1], None, b'{"code": %d, "cause": "x"}' % step[1], "", dates)
        elif kind == "redirect":
            self.send(step[1], None, b"", "text/plain", {"Location": step[2]})
        elif kind == "trickle":  # announces a large body, then sends it a byte at a time
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            self._drip(b"[", step[1])
        elif kind == "trickle-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._drip(b"X-Slow: yes\r\n", step[1])
        elif kind == "large":  # without Content-Length, the body ends when the connection does
            size, announced = step[1], step[2]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if announced:
                self.send_header("Content-Length", str(size))
            self.end_headers()
            with suppress(OSError):
                for start in range(0, size, 65536):
                    self.wfile.write(b" " * min(65536, size - start))
            self.close_connection = True

    def _drip(self, piece: bytes, seconds: float) -> None:
        """Send `piece` every `seconds` until the client gives up, the server stops or 10 s
        have passed (a client that waits longer fails its test rather than hang it)."""
        ends = time.monotonic() + 10
        with suppress(OSError):
            while not self.server.release.wait(seconds) and time.monotonic() < ends:
                self.wfile.write(piece)
        self.close_connection = True


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
