"""Reader of the reference data in `samtaletjek/reference/`, read once, at the edge, and passed in.

Formats: `kommuner.csv` (UTF-8 CSV: kode, navn, region, regionskode, amk, dagi_navn),
`frikommuner.csv` (kode and one 0/1 column per frikommune experiment), `population.csv`
(kode, folketal), `maalgrupper.toml` and `indikatorer.toml` (the indicators, their target
groups and their rules by period; TOML tables `indicator`, `flag_rule`, `target_group`,
`rule`, the last two with an `indicator` key that defaults to samtaler) and
`kommuner.topojson` (TopoJSON boundaries, object `kommuner`, properties `kode` and `navn`).
"""

from __future__ import annotations

import csv
import json
import math
import re
import tomllib
from datetime import date
from pathlib import Path

from ..domain import danish as fmt
from ..domain.danish import slugify
from ..domain.periods import is_period
from ..domain.registry import (
    DEFAULT_INDICATOR,
    FlagRule,
    Indicator,
    Municipality,
    Registry,
    Rule,
    TargetGroup,
)
from ..errors import DataError, DataErrors

TOPOLOGY_FILE = "kommuner.topojson"
# The indicators, their target groups and their rules by period: samtaler in the first, the
# active offer and passivity in the second (which also says how the site speaks of each).
RULE_FILES = ("maalgrupper.toml", "indikatorer.toml")

# Spellings seen in sources (DOMAIN.md) that folding alone does not reconcile.
_EXTRA_ALIASES: dict[int, tuple[str, ...]] = {
    400: ("Bornholms Regionskommune", "Bornholms"),
    480: ("Nordfyns",),
    820: ("Vesthimmerlands",),
    751: ("Århus",),
    169: ("Høje Taastrup",),
    101: ("Københavns", "Københavns Kommune"),
}


# Official names where they are not "<navn> Kommune" (the genitive, or a region municipality).
_OFFICIAL_NAMES: dict[int, str] = {
    101: "Københavns Kommune",
    400: "Bornholms Regionskommune",
    480: "Nordfyns Kommune",
    820: "Vesthimmerlands Kommune",
}


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "reference file is missing")]) from None


def load_registry(reference_dir: Path) -> Registry:
    """Read the reference files in `reference_dir` into a Registry."""
    specs = [(str(reference_dir / name), _read_toml(reference_dir / name)) for name in RULE_FILES]
    problems = [p for path, spec in specs for p in schema_problems(path, spec)]
    if problems:
        raise DataErrors(problems)
    notes = {raw["column"]: raw["note"] for _, spec in specs for raw in spec.get("frikommune", [])}
    try:
        municipalities = _municipalities(reference_dir, notes)
    except (KeyError, ValueError) as exc:
        message = f"a reference table is not as expected ({type(exc).__name__}: {exc})"
        raise DataErrors([DataError(str(reference_dir), None, None, message)]) from None
    return _registry(tuple(municipalities), specs)


def _municipalities(reference_dir: Path, notes: dict[str, str]) -> list[Municipality]:
    """The municipalities, each with its frikommune flags and the notes they bring (`notes`:
    a flag's column → the note, "{name}" for the municipality's name)."""
    population = {
        int(r["kode"]): int(r["folketal"]) for r in _read_csv(reference_dir / "population.csv")
    }
    fri = {int(r["kode"]): r for r in _read_csv(reference_dir / "frikommuner.csv")}
    municipalities = []
    for row in _read_csv(reference_dir / "kommuner.csv"):
        code = int(row["kode"])
        flags = fri.get(code, {})
        aliases = {row["dagi_navn"], *_EXTRA_ALIASES.get(code, ())} - {row["navn"]}
        municipalities.append(
            Municipality(
                code=code,
                name=row["navn"],
                slug=slugify(row["navn"]),
                region=row["region"],
                region_code=int(row["regionskode"]),
                amk=row["amk"],
                population=population.get(code),
                frikommune_i=flags.get("frikommune_I_beskaeftigelse_2012_2019") == "1",
                frikommune_ii_nord=flags.get("frikommune_II_nordjysk_beskaeftigelse_2017_2021")
                == "1",
                frikommune_ii_plan=flags.get("frikommune_II_en_plan_2017_2020") == "1",
                aliases=tuple(sorted(aliases)),
                official_name=_OFFICIAL_NAMES.get(code, f"{row['navn']} Kommune"),
                notes=tuple(
                    note.replace("{name}", row["navn"])
                    for column, note in notes.items()
                    if flags.get(column) == "1"
                ),
            )
        )
    return sorted(municipalities, key=lambda m: m.code)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "reference file is missing")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataErrors([DataError(str(path), None, None, f"not valid TOML: {exc}")]) from None


# The reference TOML's tables: key → (what it must be, required). One line per problem,
# naming the file, the table entry and the key, before anything is built from them.
_TEXT, _BOOL, _WHOLE, _NUMBER, _MONTH, _DATE = "text", "bool", "whole", "number", "month", "date"
_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "indicator": {
        "id": (_TEXT, True),
        "name": (_TEXT, True),
        "short": (_TEXT, True),
        "slug": (_TEXT, True),
        "got": (_TEXT, True),
        "counted": (_TEXT, True),
        "question": (_TEXT, True),
        "description": (_TEXT, True),
        "source": (_TEXT, True),
        "higher_is_better": (_BOOL, False),
        "verb": (_TEXT, False),
        "order": (_WHOLE, False),
    },
    "flag_rule": {
        "id": (_TEXT, True),
        "kind": (_TEXT, True),
        "pct": (_NUMBER, True),
        "months": (_WHOLE, True),
        "min_persons": (_WHOLE, True),
        "label": (_TEXT, True),
        "name": (_TEXT, True),
        "explanation": (_TEXT, True),
        "source": (_TEXT, True),
        "uncertain": (_BOOL, False),
        "uncertain_note": (_TEXT, False),
        "follow_up": (_TEXT, False),
    },
    "target_group": {
        "id": (_TEXT, True),
        "indicator": (_TEXT, False),
        "name": (_TEXT, True),
        "short": (_TEXT, True),
        "noun": (_TEXT, True),
        "description": (_TEXT, True),
        "valid_from": (_MONTH, False),
        "valid_to": (_MONTH, False),
        "continues": (_TEXT, False),
    },
    "other_label": {
        "label": (_TEXT, True),
        "reason": (_TEXT, True),
    },
    "frikommune": {
        "column": (_TEXT, True),
        "note": (_TEXT, True),
    },
    "rule": {
        "target_group": (_TEXT, True),
        "indicator": (_TEXT, False),
        "requirement": (_TEXT, True),
        "legal_source": (_TEXT, True),
        "flag": (_TEXT, True),
        "measure": (_TEXT, False),
        "valid_from": (_DATE, False),
        "valid_to": (_DATE, False),
        "measured": (_WHOLE, False),
        "series_break": (_BOOL, False),
        "break_label": (_TEXT, False),
        "break_uncertain": (_BOOL, False),
        "expected": (_BOOL, False),
        "uncertain": (_BOOL, False),
        "uncertain_note": (_TEXT, False),
    },
}
_WANTED = {
    _TEXT: "a text in quotes",
    _BOOL: "true or false",
    _WHOLE: "a whole number",
    _NUMBER: "a number",
    _MONTH: 'a month written "YYYY-MM"',
    _DATE: 'a date written "YYYY-MM-DD"',
}
FLAG_KINDS = ("run", "share", "none")


def _fits(kind: str, value: object) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _NUMBER:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and math.isfinite(value)  # type: ignore[arg-type]
    if kind == _MONTH:
        return isinstance(value, str) and (value == "" or is_period(value))
    try:  # _DATE
        return isinstance(value, str) and (value == "" or date.fromisoformat(value) is not None)
    except ValueError:
        return False


def _entry(table: str, n: int, raw: dict) -> str:
    name = raw.get("id") or raw.get("target_group") or ""
    extra = f", from {raw['valid_from']}" if table == "rule" and raw.get("valid_from") else ""
    return f"[[{table}]] {n}" + (f" ({name}{extra})" if name else "")


def schema_problems(path: str, spec: dict) -> list[DataError]:
    """Every problem in one reference TOML file: unknown tables and keys, missing keys,
    values of the wrong type, and values out of range."""
    problems = []

    def problem(message: str, key: str | None = None) -> None:
        problems.append(DataError(path, None, key, message))

    for table, entries in spec.items():
        if table not in _SCHEMA:
            problem(f"unknown table [[{table}]] (known: {', '.join(_SCHEMA)})")
            continue
        if not isinstance(entries, list):
            problem(f"{table} must be written [[{table}]]", table)
            continue
        keys = _SCHEMA[table]
        for n, raw in enumerate(entries, start=1):
            where = _entry(table, n, raw)
            for key in sorted(set(raw) - set(keys)):
                problem(f"{where}: unknown key (known: {', '.join(keys)})", key)
            for key, (kind, required) in keys.items():
                if key not in raw:
                    if required:
                        problem(f"{where}: is missing", key)
                    continue
                if not _fits(kind, raw[key]):
                    problem(f"{where}: {raw[key]!r} is not {_WANTED[kind]}", key)
            problems += [DataError(path, None, k, f"{where}: {m}") for k, m in _ranges(table, raw)]
    return problems


def _ranges(table: str, raw: dict) -> list[tuple[str, str]]:
    """(key, problem) for values of the right type but outside what they may be."""
    out = []

    def number(key: str) -> float | None:
        value = raw.get(key)
        return value if _fits(_NUMBER, value) else None  # type: ignore[return-value]

    if table == "flag_rule":
        kind = raw.get("kind")
        if isinstance(kind, str) and kind not in FLAG_KINDS:
            out.append(("kind", f"{kind!r} is not one of {', '.join(FLAG_KINDS)}"))
        pct = number("pct")
        if pct is not None and kind != "none" and not 0 < pct <= 100:
            out.append(("pct", f"{pct!r} is not a share above 0 and at most 100"))
        months = number("months")
        if months is not None and kind in ("run", "share") and months < 1:
            out.append(("months", f"{months!r} is not at least 1"))
        minimum = number("min_persons")
        if minimum is not None and minimum < 1:
            out.append(("min_persons", f"{minimum!r} is not at least 1"))
    if table == "rule":
        measured = number("measured")
        if measured is not None and measured < 1:
            out.append(("measured", f"{measured!r} is not at least 1"))
    if table in ("rule", "target_group"):
        kind = _DATE if table == "rule" else _MONTH
        start, end = raw.get("valid_from"), raw.get("valid_to")
        if start and end and _fits(kind, start) and _fits(kind, end) and start > end:
            out.append(("valid_to", f"{end!r} is before valid_from {start!r}"))
    return out


def _registry(municipalities: tuple[Municipality, ...], specs: list[tuple[str, dict]]) -> Registry:
    """Build the Registry from the rule files' tables (`RULE_FILES`, read as one: a flag rule
    of one may be used by the other); a reference to an unknown indicator, flag rule or target
    group is an error naming the file it is in."""
    flags: dict[str, FlagRule] = {}
    indicators: dict[str, Indicator] = {}
    raw_flags = {raw["id"]: raw for _, spec in specs for raw in spec.get("flag_rule", [])}
    for path, spec in specs:
        try:
            flags.update(
                {
                    raw["id"]: FlagRule(**_filled(raw, _FLAG_TEXTS, raw, raw_flags))
                    for raw in spec.get("flag_rule", [])
                }
            )
            indicators.update({raw["id"]: Indicator(**raw) for raw in spec.get("indicator", [])})
        except (KeyError, TypeError, ValueError) as exc:
            raise DataErrors([DataError(path, None, None, f"not a valid table: {exc}")]) from None
    groups: list[TargetGroup] = []
    for path, spec in specs:
        try:
            groups += _groups(spec, flags, indicators, raw_flags)
        except (KeyError, TypeError, ValueError) as exc:
            error = DataError(path, None, None, f"not a valid rule table: {exc}")
            raise DataErrors([error]) from None
    ordered = tuple(sorted(indicators.values(), key=lambda i: i.order))
    samtaler = tuple(g for g in groups if g.indicator == DEFAULT_INDICATOR)
    others = tuple(raw["label"] for _, spec in specs for raw in spec.get("other_label", []))
    return Registry(
        municipalities,
        samtaler,
        tuple(flags.values()),
        ordered,
        tuple(groups),
        other_labels=others,
    )


def _groups(
    spec: dict,
    flags: dict[str, FlagRule],
    indicators: dict[str, Indicator],
    raw_flags: dict[str, dict],
) -> list[TargetGroup]:
    rules: dict[tuple[str, str], list[Rule]] = {}
    known = set()
    for raw in spec.get("target_group", []):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        if indicator not in indicators:
            raise ValueError(f"target_group {raw.get('id')}: unknown indicator {indicator!r}")
        known.add((indicator, raw["id"]))
    for raw in spec.get("target_group", []):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        old = raw.get("continues")
        if old and (indicator, old) not in known:
            raise ValueError(
                f"target_group {raw['id']}: continues {old!r}, which is not a target group of "
                f"{indicator}"
            )
        if old and not raw.get("valid_from"):
            raise ValueError(f"target_group {raw['id']}: continues {old!r} but has no valid_from")
    for n, raw in enumerate(spec.get("rule", []), start=1):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        start = raw.get("valid_from") or "–"
        where = f"rule {n} ({indicator}, {raw.get('target_group')}, from {start})"
        if (indicator, raw.get("target_group")) not in known:
            raise ValueError(f"{where}: unknown target_group")
        if raw.get("flag") not in flags:
            raise ValueError(f"{where}: flag {raw.get('flag')!r} is not a [[flag_rule]] id")
        texts = _filled(raw, _RULE_TEXTS, raw_flags[raw["flag"]], raw_flags)
        rules.setdefault((indicator, raw["target_group"]), []).append(
            Rule(**{**texts, "flag": flags[raw["flag"]]})
        )
    groups = []
    for raw in spec.get("target_group", []):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        own = tuple(sorted(rules.get((indicator, raw["id"]), []), key=lambda r: r.valid_from))
        for before, after in zip(own, own[1:], strict=False):
            if not before.valid_to or before.valid_to >= after.valid_from:
                raise ValueError(
                    f"{indicator}, {raw['id']}: the rule from {before.valid_from or 'the start'} "
                    f"overlaps the rule from {after.valid_from}; one month has one rule"
                )
        folder = "maalgruppe" if indicator == DEFAULT_INDICATOR else indicators[indicator].slug
        groups.append(TargetGroup(**raw, rules=own, folder=folder))
    return groups


# The texts of the reference data that state a rule's numbers take them from the rule itself:
# "{pct}" is the line of the rule's flag rule, "{months}" its months running, "{min_persons}"
# its minimum of persons, and "{pct:<flag rule id>}" the line of another. So a number is typed
# once, where the rule is defined, and every sentence that states it follows an edit.
_PLACEHOLDER = re.compile(r"\{(pct|months|min_persons)(?::([A-Za-z0-9_-]+))?\}")
_FLAG_TEXTS = ("label", "name", "explanation", "follow_up", "uncertain_note")
_RULE_TEXTS = ("requirement", "measure", "uncertain_note")


def _filled(raw: dict, keys: tuple[str, ...], own: dict, flags: dict[str, dict]) -> dict:
    """`raw` with the placeholders of its texts `keys` replaced by the numbers of the flag
    rule `own` (or of the one they name)."""

    def number(match: re.Match) -> str:
        key, other = match.group(1), match.group(2)
        if other is not None and other not in flags:
            raise ValueError(f"{match.group(0)} names no [[flag_rule]]")
        value = (flags[other] if other else own).get(key)
        if value is None:
            raise ValueError(f"{match.group(0)}: the flag rule has no {key}")
        return fmt.number(value) if key == "pct" else str(value)

    return {k: _PLACEHOLDER.sub(number, v) if k in keys else v for k, v in raw.items()}


def load_topology(reference_dir: Path) -> dict:
    """Read the simplified municipality boundaries (TopoJSON) from the reference data."""
    path = reference_dir / TOPOLOGY_FILE
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "reference file is missing")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataErrors([DataError(str(path), None, None, f"not valid JSON: {exc}")]) from None
    if not isinstance(topology, dict) or not isinstance(topology.get("objects"), dict):
        raise DataErrors([DataError(str(path), None, None, "not TopoJSON (no objects)")])
    return topology
