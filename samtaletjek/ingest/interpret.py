"""Pure: one source table → canonical rows, the rows skipped and why, notes and errors.

Municipality rows become canonical rows; `Hele landet` rows serve as cross-checks and, where
the reader says so (`SourceTable.national_rows`), become rows of code 0; region rows serve only
as cross-checks; notes are skipped; every problem becomes a DataError naming the table, row and
source column. (`context.interpret_context` does the same for the context table.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..domain.dataset import (
    COLUMNS,
    DERIVED_MEETING,
    FIGURES,
    NATIONAL_CODE,
    NATIONAL_NAME,
    ROW,
    SHARE_TOLERANCE,
)
from ..domain.registry import Registry
from ..errors import DataError
from .indicators import DEFAULT, INDICATORS
from .readers.shapes import MAX_ERRORS, Skipped, SourceTable
from .values import (
    Area,
    check_period,
    classify_area,
    is_missing,
    match_target_groups,
    parse_number,
    parse_period,
    region_named,
    shares_are_fractions,
    shown,
    unknown_area,
)

_Report = Callable[[int | None, str | None, str], None]  # (row, column, message)


@dataclass
class Interpreted:
    """The canonical rows read from one table, and everything said about it on the way."""

    frame: pd.DataFrame  # COLUMNS + ROW + "file" + "mean_given"
    # The context rows (`ledighed.csv`, see `context`): CONTEXT_COLUMNS + ROW + "file".
    context: pd.DataFrame = field(default_factory=pd.DataFrame)
    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)
    stopped: bool = False  # reading stopped after MAX_ERRORS problems: there may be more


def interpret(
    table: SourceTable,
    registry: Registry,
    *,
    today: str,
    period: str | None = None,
    target_group: str | None = None,
) -> Interpreted:
    """Return the canonical rows of one source table.

    `period` and `target_group` apply where the table has no such column. Municipality rows
    become canonical rows; `Hele landet` and region rows serve only as cross-checks; notes are
    skipped; every problem becomes a DataError naming the table, row and source column.
    """
    out = Interpreted(frame=pd.DataFrame())
    labels = table.labels
    indicator = table.indicator
    own = groups_of(registry, indicator)

    def error(row: int | None, column: str | None, message: str) -> None:
        out.errors.append(DataError(table.file, row, labels.get(column, column), message))
        if len(out.errors) >= MAX_ERRORS:
            raise _Enough

    def skip(row: int | None, reason: str) -> None:
        out.skipped.append(Skipped(table.file, row, reason, indicator))

    if target_group is not None and target_group not in own:
        said = "named by the sheet, title or --target-group"
        why = f"{target_group} ({said}) is not a target group of {indicator} ({', '.join(own)})"
        error(None, None, why)
        out.frame = canonical_frame([], table.file, False)
        return out
    if not table.indicator_from:
        out.notes.append(
            f"{table.file}: neither its columns nor its title say what the share measures "
            f"(samtaler, tilbud or passivandel); read as {indicator}"
        )

    parsed: list[dict] = []  # municipality rows, and national/region rows for cross-checks
    try:
        _read_rows(table, registry, today, period, target_group, parsed, error, skip, out)
        _scale_shares(parsed, table, out)
        if "persons_meeting" not in labels:
            out.notes.append(
                f"{table.file}: no column with the number {_counted(indicator, registry)}; "
                "persons_meeting = persons × share ÷ 100, rounded"
            )
        for v in parsed:
            v["indicator"] = indicator
        kinds = ("municipality", "national") if table.national_rows else ("municipality",)
        rows = [_figures(v, labels, error, out) for v in parsed if v["kind"] in kinds]
    except _Enough:  # a file of bad rows is told by its first problems; reading on is slow
        out.stopped = True
        out.frame = canonical_frame([], table.file, False)
        return out
    out.notes += _cross_checks(parsed, registry, table.file, table.national_rows)
    out.frame = canonical_frame(rows, table.file, "mean_conversations" in labels)
    return out


def _counted(indicator: str, registry: Registry) -> str:
    """What an indicator's count counts, as messages say it."""
    if indicator in INDICATORS:
        return INDICATORS[indicator].counted
    known = {i.id: i for i in registry.indicators}
    return f"of {indicator} ({known[indicator].got})" if indicator in known else indicator


class _Enough(Exception):
    """Raised when a table has given MAX_ERRORS problems."""


def _read_rows(
    table: SourceTable,
    registry: Registry,
    today: str,
    period: str | None,
    target_group: str | None,
    parsed: list[dict],
    error: _Report,
    skip: Callable[[int | None, str], None],
    out: Interpreted,
) -> None:
    """Parse each row of `table` into `parsed`: its area, month, group and figures."""
    labels = table.labels
    indicator = table.indicator
    own = groups_of(registry, indicator)
    known = {g.id for g in registry.every_group}
    # A table names few areas, months and groups, many times each: each is read once.
    areas: dict[str, Area] = {}
    months: dict[object, str | ValueError] = {}
    groups: dict[str, set[str]] = {}
    frame = table.frame
    columns = list(frame.columns)
    for values in zip(*(frame[c].tolist() for c in columns), strict=True):
        rec = dict(zip(columns, values, strict=True))
        row = int(rec[ROW])
        out.read += 1
        name = "" if is_missing(rec["municipality"]) else str(rec["municipality"]).strip()
        given = [c for c in FIGURES if c in labels and not is_missing(rec[c])]
        if name not in areas:
            # The closest name is looked for only for an error: a file of notes may hold many.
            areas[name] = classify_area(name, registry, suggest=False)
        area = areas[name]
        if area.kind == "blank":
            if given:
                error(row, "municipality", "has figures but no municipality")
            else:
                skip(row, "row without a municipality")
            continue
        if area.kind == "note" or (area.kind == "unknown" and not given):
            skip(row, "note or text below the table")
            continue
        if area.kind == "unknown":
            error(row, "municipality", unknown_area(name, registry))
            continue
        # An area outside the 98 ("Uoplyst område") is not imported, but the national figure
        # may count it: its figures serve the cross-check, and a problem in them is not ours.
        report = error if area.kind != "other" else lambda row, column, message: None
        values: dict[str, object] = {"row": row, "kind": area.kind, "name": name}
        for column in FIGURES:
            try:
                values[column] = parse_number(rec[column]) if column in labels else None
            except ValueError as exc:
                report(row, column, str(exc))
                values[column] = None
        values["period"] = period
        if period is None:
            cell = rec["period"]
            key = cell if isinstance(cell, str) else repr(cell)
            if key not in months:
                try:
                    months[key] = parse_period(cell)
                except ValueError as exc:
                    months[key] = exc
            month = months[key]
            if isinstance(month, ValueError):
                report(row, "period", str(month))
                values["period"] = None
            else:
                values["period"] = month
                problem = check_period(month, today)
                if problem:
                    report(row, "period", problem)
        values["target_group"] = target_group
        if target_group is None:
            text = "" if is_missing(rec["target_group"]) else str(rec["target_group"])
            if text not in groups:
                groups[text] = {text} & known or match_target_groups(text)
            found = groups[text]
            group = next(iter(found)) if len(found) == 1 else None
            if group is None and registry.is_other_label(text):
                where = labels.get("target_group", "target group")
                skip(row, f"{where}: {text} is a benefit group the site does not follow")
                continue
            if group is None:
                report(
                    row,
                    "target_group",
                    f"{shown(text)} does not name one target group; if it is a new one, add it "
                    f"to {REFERENCE_HINT}",
                )
            elif group not in own and (table.skip_other_groups or area.kind != "municipality"):
                # jobindsats lists every benefit group; a total or other area is only skipped
                where = labels.get("target_group", "target group")
                skip(row, f"{where}: {group} is not a target group of {indicator}")
                continue
            elif group not in own:
                report(
                    row,
                    "target_group",
                    f"{shown(text)} is {group}, not a target group of {indicator} "
                    f"({', '.join(own)})",
                )
            values["target_group"] = group
        if area.kind == "other":
            skip(row, f"{_short(name)} is not one of the 98 municipalities")
            parsed.append(values)
        elif area.kind == "municipality":
            values["municipality"] = area.municipality
            parsed.append(values)
        elif area.kind == "national" and table.national_rows:
            values["municipality"] = NATIONAL
            parsed.append(values)
        else:
            what = {
                "national": "the national figure, used only as a cross-check",
                "region": "a regional figure, used only as a cross-check",
                "rar": "a RAR area, not a municipality",
            }[area.kind]
            skip(row, f"{_short(name)}: {what}")
            parsed.append(values)


@dataclass(frozen=True)
class _Area:
    code: int
    name: str


NATIONAL = _Area(NATIONAL_CODE, NATIONAL_NAME)  # a national row, stored as the source says
# Where a target group label the reference data lack is added.
REFERENCE_HINT = "samtaletjek/reference/maalgrupper.toml (README: Publicér rigtige tal)"


def groups_of(registry: Registry, indicator: str) -> tuple[str, ...]:
    """Return the ids of the target groups `indicator` measures, sorted."""
    return tuple(sorted(registry.group_ids(indicator)))


def measured(indicator: object, target_group: object) -> str:
    """How messages name what a row measures: "dagpenge" for samtaler (as a file without an
    indicator column means), "tilbud/dagpenge" for another indicator, "ledighed" for the
    context table (no target group)."""
    if indicator is None or pd.isna(indicator) or indicator in ("", DEFAULT):
        return str(target_group)
    return f"{indicator}/{target_group}" if target_group else str(indicator)


def _key(v: Mapping[str, object]) -> str:
    return measured(v["indicator"], v["target_group"])


def _short(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _scale_shares(parsed: list[dict], table: SourceTable, out: Interpreted) -> None:
    """Shares the source says are fractions (0–1) become percentages, and the notes say so
    (see `values.shares_are_fractions`); a label saying pct or % is never rescaled."""
    label = table.labels.get("share_pct")
    if label is None or table.shares_as_shown:
        return
    shares = [v["share_pct"] for v in parsed if v["share_pct"] is not None]
    if shares_are_fractions(label, shares):
        for v in parsed:
            if v["share_pct"] is not None:
                v["share_pct"] *= 100
        out.notes.append(f"{table.file}: shares were written as 0–1 ({label}); ×100")


def _half_up(x: float, decimals: int = 0) -> float:
    scale = 10**decimals
    return math.floor(x * scale + 0.5 + 1e-9) / scale


def _figures(v: dict, labels: Mapping[str, str], error: _Report, out: Interpreted) -> dict:
    """Check one municipality row's figures and fill what follows from the others."""
    row = v["row"]
    persons, meeting, share, mean = (v.get(c) for c in FIGURES[:4])
    degree = v.get("activation_degree")
    for column, value in (("persons", persons), ("persons_meeting", meeting)):
        if value is not None and value != round(value):
            error(row, column, f"{value:g} is not a whole number of persons")
            v[column] = None
        elif value is not None and value < 0:
            error(row, column, f"{value:g} is negative; a number of persons cannot be")
            v[column] = None
    persons, meeting = v["persons"], v["persons_meeting"]
    if share is not None and not 0 <= share <= 100:
        error(row, "share_pct", f"{share:g} is outside 0–100 %")
        share = None
    if mean is not None and mean < 0:
        error(row, "mean_conversations", f"{mean:g} is negative")
        mean = None
    if degree is not None and not 0 <= degree <= 100:
        error(row, "activation_degree", f"{degree:g} is outside 0–100 %")
        degree = None
    if persons is not None and meeting is not None:
        if meeting > persons:
            error(row, "persons_meeting", f"{meeting:g} is more than the {persons:g} persons")
        elif persons > 0:
            computed = meeting / persons * 100
            if share is None:
                share = computed
            elif abs(_half_up(share, 1) - computed) > SHARE_TOLERANCE + 1e-9:
                error(
                    row,
                    "share_pct",
                    f"{share:g} does not match {meeting:g} of {persons:g} persons "
                    f"({computed:.1f} %)",
                )
    derived = ""
    if (
        persons is not None
        and share is not None
        and meeting is None
        and ("persons_meeting" not in labels)
    ):
        # The source gives only the share. It is kept as published; the count that weighted
        # totals need is worked out from it and stored as derived (`derived`).
        meeting = _half_up(persons * share / 100)
        derived = DERIVED_MEETING
    return {
        "period": v["period"],
        "municipality_code": v["municipality"].code,
        "municipality": v["municipality"].name,
        "target_group": v["target_group"],
        "persons": persons,
        "persons_meeting": meeting,
        "share_pct": None if share is None else _half_up(share, 1),
        "mean_conversations": None if mean is None else _half_up(mean, 1),
        "indicator": v["indicator"],
        "derived": derived,
        "activation_degree": None if degree is None else _half_up(degree, 1),
        ROW: row,
    }


# How far STAR's stored national count may lie from the municipalities' sum and still match:
# jobindsats' own national row differs by a few hundredths of a percent (persons counted where
# they lived at another time of the month), and it is the figure shown, not the sum.
NATIONAL_TOLERANCE = 0.001


def _cross_checks(
    parsed: list[dict], registry: Registry, file: str, stored: bool = False
) -> list[str]:
    """Compare `Hele landet` and region rows with the municipalities of the same table; a
    national row that is `stored` matches when its persons lie within NATIONAL_TOLERANCE."""
    notes = []
    # The rows of each (month, group), found once: a file may hold many totals.
    munis: dict[tuple, list[dict]] = {}
    others: dict[tuple, list[dict]] = {}
    for v in parsed:
        if v["kind"] in ("municipality", "other"):
            which = munis if v["kind"] == "municipality" else others
            which.setdefault((v["period"], v["target_group"]), []).append(v)
    for total in (v for v in parsed if v["kind"] in ("national", "region")):
        same = (total["period"], total["target_group"])
        region = region_named(total["name"], registry)
        if total["kind"] == "region" and region is None:
            continue  # an AMK or other grouping the reference data do not describe
        scope = {m.code for m in registry.municipalities if region in (None, m.region)}
        part = [v for v in munis.get(same, []) if v["municipality"].code in scope]
        where = f"{file} row {total['row']} {total['name']} {total['period']} {_key(total)}"
        if (
            len(part) < len(scope)
            or any(v["persons"] is None for v in part)
            or total["persons"] is None
        ):
            notes.append(
                f"cross-check {where}: not comparable "
                f"({sum(v['persons'] is not None for v in part)} of {len(scope)} municipalities "
                "have figures)"
            )
            continue
        persons = sum(v["persons"] for v in part)
        # … or together with the areas outside the 98 the national figure may count.
        outside = sum(
            v["persons"] or 0 for v in others.get(same, []) if total["kind"] == "national"
        )
        meeting = [
            v["persons_meeting"]
            if v["persons_meeting"] is not None
            else (
                _half_up(v["persons"] * v["share_pct"] / 100)
                if v["share_pct"] is not None
                else None
            )
            for v in part
        ]
        share = sum(meeting) / persons * 100 if None not in meeting and persons else None
        said = total["share_pct"]
        close = (
            stored
            and total["kind"] == "national"
            and abs(total["persons"] - persons) <= NATIONAL_TOLERANCE * persons
        )
        matches = (close or total["persons"] in (persons, persons + outside)) and (
            share is None or said is None or abs(share - said) <= 0.5
        )
        shown = "" if share is None else f", {share:.1f} %"
        said_shown = "" if said is None else f", {said:.1f} %"
        notes.append(
            f"cross-check {where}: the row says {total['persons']:g} persons{said_shown}; "
            f"the municipalities add up to {persons:g}{shown}"
            f"{f' (+ {outside:g} outside the 98)' if outside else ''} "
            f"({'matches' if matches else 'DIFFERS: check the file'})"
        )
    return notes


def canonical_frame(rows: list[dict], file: str, mean_given: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*COLUMNS, ROW])
    typed = pd.DataFrame(
        {
            "period": pd.array(frame["period"], dtype="string"),
            "municipality_code": pd.array(frame["municipality_code"], dtype="Int64"),
            "municipality": pd.array(frame["municipality"], dtype="string"),
            "target_group": pd.array(frame["target_group"], dtype="string"),
            "persons": pd.array(frame["persons"], dtype="Int64"),
            "persons_meeting": pd.array(frame["persons_meeting"], dtype="Int64"),
            "share_pct": pd.array(frame["share_pct"], dtype="Float64"),
            "mean_conversations": pd.array(frame["mean_conversations"], dtype="Float64"),
            "indicator": pd.array(frame["indicator"], dtype="string"),
            "derived": pd.array(frame["derived"].fillna(""), dtype="string"),
            "activation_degree": pd.array(frame["activation_degree"], dtype="Float64"),
            ROW: pd.array(frame[ROW], dtype="Int64"),
        }
    )
    return typed.assign(file=file, mean_given=mean_given)
