"""Reader of jobindsats.dk API v3 data answers (JSON), as `fetch` archives them.

Format: one object `{"columns": [...], "rows": [[...], ...]}`. `columns` holds labels, not
ids: `Periode`, `Område`, one label per dimension asked for (e.g. `Ydelsesgrupper`), then one
per measure; a measure of a measure group reads `<group>: <measure>` ("Jobsamtaler: Antal
personer"). Each row holds one value per column. Rows come in any order; counts are JSON
integers, shares JSON floats with a decimal point, and a suppressed or empty cell is `null`
(missing, not zero). Areas are bare names (`Vesthimmerlands`, `Høje-Taastrup`, `Hele
landet`, `Uoplyst område`); periods are codes such as `2026M05`. An error answer
`{"code": 422, "cause": "…", "request_id": "…"}` is not data.

Measures are read by what their labels say (the samtale indicator's rules in
`ingest/indicators.py`), so an answer holding other measures too (asked for with
`mgroup.*=*`) gives the same rows as one holding only the samtale measures. A dimension of
target groups is read by what its values say: totals ("Ydelsesgrupper i alt") and benefits
outside the kontaktforløb are skipped and listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...domain.danish import fold
from ...domain.dataset import ROW
from ...errors import DataError, DataErrors
from ..indicators import SAMTALER
from ..values import map_target_groups
from .shapes import (
    Skipped,
    SourceFile,
    SourceTable,
    header_meaning,
    load_json,
    source_frame,
)

FORMAT = "jobindsats API v3 JSON"


@dataclass(frozen=True)
class Selection:
    """What a pinned table (`[[fetch_tables]]`) says instead of the labels' meaning."""

    measures: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # column → labels
    groups: Mapping[str, str] | None = None  # group label in the answer → target group id
    target_group: str = ""  # the whole answer is one target group
    # Dimension columns by their labels ("municipality" → "Område") where the table's
    # description names them; columns not in the answer fall back to their meaning.
    columns: Mapping[str, str] = field(default_factory=dict)


def is_v3_answer(raw: object) -> bool:
    return isinstance(raw, dict) and ("columns" in raw or "rows" in raw or "cause" in raw)


def error_cause(raw: object) -> str | None:
    """Return the `cause` of a v3 error answer `{"code", "cause", "request_id"}`, else None."""
    if isinstance(raw, dict) and "cause" in raw and "rows" not in raw:
        return str(raw["cause"])
    return None


def read_jobindsats_v3(data: bytes, name: str, select: Selection | None = None) -> SourceFile:
    """Read a jobindsats.dk API v3 data answer (JSON)."""
    return read_v3_answer(load_json(data, name), name, select)


def _fail(file: str, message: str, row: int | None = None) -> DataErrors:
    return DataErrors([DataError(file, row, None, message)])


def read_v3_answer(raw: object, name: str, select: Selection | None = None) -> SourceFile:
    """Read a v3 data answer already parsed from JSON (see the module's docstring)."""
    select = select or Selection()
    if (cause := error_cause(raw)) is not None:
        code = f"code {raw['code']}: " if isinstance(raw, dict) and "code" in raw else ""
        raise _fail(name, f"this is jobindsats.dk's error answer ({code}{cause}), not data")
    columns = raw.get("columns") if isinstance(raw, dict) else None
    rows = raw.get("rows") if isinstance(raw, dict) else None
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise _fail(
            name, 'not a jobindsats v3 data answer (expected {"columns": [...], "rows": [...]})'
        )
    labels = [str(c) for c in columns]
    fixed: dict[str, int] = {}
    measures: list[tuple[int, str, str]] = []  # (index, group prefix, measure label)
    for i, label in enumerate(labels):
        meaning = _dimension(label, select)
        if meaning in ("municipality", "period", "target_group") and meaning not in fixed:
            fixed[meaning] = i
        else:
            prefix, _, measure = label.rpartition(": ")
            measures.append((i, prefix, measure))
    if "municipality" not in fixed:
        raise _fail_columns(name, labels, "no column of areas ('Område')")
    parts = _measure_tables(name, labels, measures, select)

    groups, why = _groups(rows, fixed.get("target_group"), select, len(labels))
    group_label = labels[fixed["target_group"]] if "target_group" in fixed else ""
    tables, skipped, errors = [], [], []
    for prefix, picked in parts:
        file = f"{name}[{prefix}]" if prefix else f"{name}[rows]"
        records = []
        for n, values in enumerate(rows, start=1):
            if not isinstance(values, list) or len(values) != len(labels):
                count = len(values) if isinstance(values, list) else "no"
                errors.append(
                    DataError(file, n, None, f"has {count} values; columns names {len(labels)}")
                )
                continue
            group = select.target_group or (select.groups or {}).get(prefix) or None
            if "target_group" in fixed:
                label = (
                    ""
                    if values[fixed["target_group"]] is None
                    else str(values[fixed["target_group"]])
                )
                if label not in groups:
                    reason = why.get(label, "not asked for")
                    skipped.append(Skipped(file, n, f"{group_label} {label!r}: {reason}"))
                    continue
                group = groups[label]
            record: dict[str, object] = {ROW: n, "target_group": group}
            for column in ("municipality", "period"):
                record[column] = values[fixed[column]] if column in fixed else None
            record.update({c: values[j] for c, j in picked.items()})
            records.append(record)
        shown = {c: labels[j] for c, j in (fixed | picked).items() if c != "target_group"}
        if "target_group" in fixed:
            shown["target_group"] = labels[fixed["target_group"]]
        context = tuple(t for t in (prefix, *(labels[j] for j in picked.values())) if t)
        used = set(fixed.values()) | set(picked.values())
        ignored = tuple(label for i, label in enumerate(labels) if i not in used)
        tables.append(SourceTable(file, source_frame(records), shown, context, ignored))
    if errors:
        raise DataErrors(errors)
    if not rows:
        raise _fail(f"{name}[rows]", "rows holds no rows")
    return SourceFile(name, FORMAT, tuple(tables), skipped=tuple(skipped))


def _dimension(label: str, select: Selection) -> str | None:
    """Return what a column heads if it is a dimension (area, period, target groups)."""
    for column, given in select.columns.items():
        if fold(label) == fold(given):
            return column
    if ": " in label:
        return None  # "<measure group>: <measure>"
    meaning = header_meaning(label)
    if meaning is None and fold(label).startswith(("ydelsesgrupp", "maalgrupp")):
        return "target_group"
    return meaning


def _measure_tables(
    name: str, labels: list[str], measures: list[tuple[int, str, str]], select: Selection
) -> list[tuple[str, dict[str, int]]]:
    """Return (group prefix, canonical column → index) for each table the measures form: one
    per measure group that has what the indicator requires, else all measures as one."""
    if select.measures:
        wanted = {c: {fold(x) for x in names} for c, names in select.measures.items()}
        picked = {}
        for column, names in wanted.items():
            index = next((i for i, p, m in measures if {fold(labels[i]), fold(m)} & names), None)
            if index is None:
                shown = " or ".join(repr(x) for x in select.measures[column])
                raise _fail_columns(name, labels, f"no column {shown} ({column})")
            picked[column] = index
        return [("", picked)]
    by_prefix: dict[str, dict[str, list[int]]] = {}
    for i, prefix, measure in measures:
        column = SAMTALER.column(measure)
        if column is not None:
            by_prefix.setdefault(prefix, {}).setdefault(column, []).append(i)
    complete = [(p, found) for p, found in by_prefix.items() if not SAMTALER.lacks(found)]
    if select.groups is not None and len(complete) > 1:
        complete = [(p, found) for p, found in complete if p in select.groups]
    if not complete and len(by_prefix) > 1:
        merged: dict[str, list[int]] = {}
        for found in by_prefix.values():
            for column, indexes in found.items():
                merged.setdefault(column, []).extend(indexes)
        complete = [("", merged)] if not SAMTALER.lacks(merged) else []
    tables = []
    for prefix, found in complete:
        twice = [c for c, idx in found.items() if len(idx) > 1]
        if twice:
            shown = ", ".join(repr(labels[i]) for c in twice for i in found[c])
            raise _fail_columns(name, labels, f"columns {shown} all look like {', '.join(twice)}")
        tables.append((prefix if len(complete) > 1 else "", {c: i[0] for c, i in found.items()}))
    if not tables:
        lacks = "; ".join(SAMTALER.lacks(()))
        raise _fail_columns(name, labels, f"no columns of {lacks} found by their labels")
    return tables


def _fail_columns(name: str, labels: list[str], problem: str) -> DataErrors:
    names = ", ".join(repr(label) for label in labels) or "none"
    return DataErrors([DataError(name, None, "columns", f"{problem} (columns: {names})")])


def _groups(
    rows: list, index: int | None, select: Selection, width: int
) -> tuple[dict[str, str], dict[str, str]]:
    """Return (group label → target group id, label → why it is skipped)."""
    if index is None:
        return {}, {}
    labels = sorted(
        {
            "" if r[index] is None else str(r[index])
            for r in rows
            if isinstance(r, list) and len(r) == width
        }
    )
    if select.groups is not None:
        why = {label: "not a group fetched from this table" for label in labels}
        return dict(select.groups), why
    return map_target_groups(labels)
