"""Reader of jobindsats.dk API v3 data answers (JSON), as `fetch` archives them.

Format: one object `{"columns": [...], "rows": [[...], ...]}`. `columns` holds labels, not
ids: `Periode`, `Område`, one label per dimension asked for (e.g. `Ydelsesgrupper`), then one
per measure; a measure of a measure group reads `<group>: <measure>` ("Jobsamtaler: Antal
personer"). Each row holds one value per column. Rows come in any order; counts are JSON
integers, shares JSON floats with a decimal point, and a suppressed or empty cell is `null`
(missing, not zero). Areas are bare names (`Vesthimmerlands`, `Høje-Taastrup`, `Hele
landet`, `Uoplyst område`); periods are codes such as `2026M05`. An error answer
`{"code": 422, "cause": "…", "request_id": "…"}` is not data. A number no figure can be (JSON
`NaN`, `Infinity`, `1e999`, an integer beyond 64 bits) is an error at its row and column, never
a missing figure; so is a list or object where a value belongs. Shares labelled "(pct.)" are
percentages however small; only a label speaking of a share and not of percent, with every
share ≤ 1, is read as fractions (`values.shares_are_fractions`).

Measures are read by what their labels say (the indicators' rules in `ingest/indicators.py`):
"Jobsamtaler: Andel med mindst 4 jobsamtaler (pct.)" is samtaler, "Tilbud: Andel med aktivt
tilbud (pct.)" the active offer, "Passivandel i perioden i pct." passivity, and an answer
holding several gives one table each; measures of none of them (asked for with `mgroup.*=*`)
are left out. A dimension of target groups is read by what its values say: totals
("Ydelsesgrupper i alt") and benefits outside the kontaktforløb are skipped and listed, and
so are groups the indicator does not measure (sygedagpenge has no offer share). A column of
texts that holds alternatives an indicator must not add up (passivity's look-back windows,
"Seneste 1½ mdr." … "Seneste 12 mdr.") keeps the rows of the one it measures (the last 12
months); the others are skipped and listed, and an answer without that one is an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from ...domain.danish import fold
from ...domain.dataset import ROW
from ...errors import DataError, DataErrors
from ..indicators import DEFAULT, INDICATORS, IndicatorWords, Label, read_label
from ..values import map_target_groups
from .shapes import (
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_ROWS,
    Skipped,
    SourceFile,
    SourceTable,
    header_meaning,
    is_scalar,
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
    indicator: str = ""  # take only this indicator's measures ("" = every one the labels name)


def is_v3_answer(raw: object) -> bool:
    return isinstance(raw, dict) and ("columns" in raw or "rows" in raw or "cause" in raw)


def error_cause(raw: object) -> str | None:
    """Return the `cause` of a v3 error answer `{"code", "cause", "request_id"}`, else None."""
    if isinstance(raw, dict) and "cause" in raw and "rows" not in raw:
        cause = raw["cause"]
        return str(cause) if is_scalar(cause) else type(cause).__name__
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
        given = raw.get("code") if isinstance(raw, dict) else None
        code = f"code {given}: " if is_scalar(given) and given is not None else ""
        raise _fail(name, f"this is jobindsats.dk's error answer ({code}{cause}), not data")
    columns = raw.get("columns") if isinstance(raw, dict) else None
    rows = raw.get("rows") if isinstance(raw, dict) else None
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise _fail(
            name, 'not a jobindsats v3 data answer (expected {"columns": [...], "rows": [...]})'
        )
    if len(columns) > MAX_COLUMNS or not all(is_scalar(c) for c in columns):
        raise _fail(
            name, f"columns must be at most {MAX_COLUMNS} labels (texts); this answer's are not"
        )
    if len(rows) > MAX_ROWS:
        raise _fail(
            f"{name}[rows]",
            f"holds {len(rows):,} rows; the import reads at most {MAX_ROWS:,} from one answer "
            "(ask for fewer months at a time)",
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
    skipped: list[Skipped] = []
    parts = _measure_tables(name, labels, measures, select, skipped)

    _check_rows(f"{name}[rows]", rows, labels)
    if not rows:
        raise _fail(f"{name}[rows]", "rows holds no rows")
    groups = _groups(rows, fixed.get("target_group"), select, len(labels))
    tables = []
    for prefix, part, indicator, picked in parts:
        file = f"{name}[{part}]" if part else f"{name}[rows]"
        group = select.target_group or (select.groups or {}).get(prefix) or None
        keep = _narrowed(file, labels, rows, [i for i, _, _ in measures], INDICATORS[indicator])
        records, left_out = _records(file, rows, labels, fixed, picked, groups, group, keep)
        skipped += [dataclasses.replace(s, indicator=indicator) for s in left_out]
        shown = {c: labels[j] for c, j in (fixed | picked).items()}
        context = tuple(t for t in (prefix, *(labels[j] for j in picked.values())) if t)
        used = set(fixed.values()) | set(picked.values()) | set(keep)
        ignored = tuple(label for i, label in enumerate(labels) if i not in used)
        said = "configured" if select.measures else "columns"
        table = SourceTable(file, source_frame(records), shown, context, ignored, indicator, said)
        tables.append(dataclasses.replace(table, skip_other_groups=True))
    return SourceFile(name, FORMAT, tuple(tables), skipped=tuple(skipped))


def _check_rows(file: str, rows: list, labels: list[str]) -> None:
    """Raise the first MAX_ERRORS rows that are not a list of one value per column."""
    bad = []
    for n, values in enumerate(rows, start=1):
        count = len(values) if isinstance(values, list) else "no"
        if count != len(labels):
            bad.append(DataError(file, n, None, f"has {count} values; columns names {len(labels)}"))
        elif not all(is_scalar(v) for v in values):
            i = next(i for i, v in enumerate(values) if not is_scalar(v))
            what = "a list" if isinstance(values[i], list) else "an object"
            bad.append(DataError(file, n, labels[i], f"holds {what}, not a value"))
        if len(bad) >= MAX_ERRORS:
            raise DataErrors(bad, stopped=True)
    if bad:
        raise DataErrors(bad)


def _records(
    file: str,
    rows: list[list],
    labels: list[str],
    fixed: Mapping[str, int],
    picked: Mapping[str, int],
    groups: tuple[dict[str, str], dict[str, str]],
    group: str | None,
    keep: Mapping[int, tuple[str, str]],
) -> tuple[list[dict[str, object]], list[Skipped]]:
    """Return one table's records, and the rows not taken: groups (totals, other benefits),
    and values of a narrowed dimension other than the one kept."""
    mapping, why = groups
    records, skipped = [], []
    for n, values in enumerate(rows, start=1):
        other = next(((i, values[i]) for i, (v, _) in keep.items() if values[i] != v), None)
        if other is not None:
            i, value = other
            skipped.append(Skipped(file, n, f"{labels[i]} {value!r}: not {keep[i][1]}"))
            continue
        if "target_group" in fixed:
            label = (
                "" if values[fixed["target_group"]] is None else str(values[fixed["target_group"]])
            )
            if label not in mapping:
                reason = why.get(label, "not asked for")
                skipped.append(
                    Skipped(file, n, f"{labels[fixed['target_group']]} {label!r}: {reason}")
                )
                continue
            group = mapping[label]
        record: dict[str, object] = {ROW: n, "target_group": group}
        for column in ("municipality", "period"):
            record[column] = values[fixed[column]] if column in fixed else None
        record.update({c: values[j] for c, j in picked.items()})
        records.append(record)
    return records, skipped


def _narrowed(
    file: str, labels: list[str], rows: list[list], candidates: list[int], indicator: IndicatorWords
) -> dict[int, tuple[str, str]]:
    """Return the columns of dimensions `indicator` must not add up (look-back windows, each a
    column of texts), each with the value kept and what it is; none with the wanted value is
    an error."""
    keep = {}
    for i in candidates:
        values = [r[i] for r in rows if r[i] is not None]
        if not values or not all(isinstance(v, str) for v in values):
            continue  # a measure: numbers
        names = list(dict.fromkeys(values))
        for rule in indicator.narrow:
            if not rule.applies(names):
                continue
            picks = rule.pick(names)
            if len(picks) != 1:
                said = ", ".join(map(repr, names))
                raise _fail(
                    file,
                    f"column {labels[i]!r} holds {said}: {indicator.id} is measured over "
                    f"{rule.what}, and {'none' if not picks else 'more than one'} of them is that",
                )
            keep[i] = (picks[0], rule.what)
    return keep


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
    name: str,
    labels: list[str],
    measures: list[tuple[int, str, str]],
    select: Selection,
    skipped: list[Skipped],
) -> list[tuple[str, str, str, dict[str, int]]]:
    """Return (measure group, name, indicator, canonical column → index) for each table the
    measures form: per indicator, one per measure group that has what it requires, else all
    its measures as one. A measure that names no indicator ("Antal personer") is shared; an
    indicator's measures too few to import are said in `skipped`."""
    if select.measures:
        return [("", "", select.indicator or DEFAULT, _pinned(name, labels, measures, select))]
    read = [(i, prefix, read_label(labels[i])) for i, prefix, _ in measures]
    wanted = [select.indicator] if select.indicator else list(INDICATORS)
    tables, dropped = [], []
    for indicator in (INDICATORS[i] for i in wanted):
        found = _of(indicator, read, select)
        tables += [(p, indicator.id, columns) for p, columns in found]
        own = [
            labels[i] for i, _, label in read if label.column and label.indicators == {indicator.id}
        ]
        if own and not found:
            dropped.append((indicator.id, own))
    for _, _, found in tables:
        twice = [c for c, idx in found.items() if len(idx) > 1]
        if twice:
            shown = ", ".join(repr(labels[i]) for c in twice for i in found[c])
            raise _fail_columns(name, labels, f"columns {shown} all look like {', '.join(twice)}")
    if not tables:
        lacks = "; ".join(INDICATORS[DEFAULT].lacks(()))
        said = f"{lacks} found by their labels (of {', '.join(wanted)})"
        raise _fail_columns(name, labels, f"no columns of {said}")
    for indicator, own in dropped:
        what = f"{indicator} without the number of persons or the share"
        skipped.append(
            Skipped(name, None, f"columns {', '.join(map(repr, own))}: {what}", indicator)
        )
    prefixes = [p for p, _, _ in tables]
    # Read for one indicator, an answer that holds others too names its table by indicator.
    others = bool(select.indicator) and any(
        label.indicators - {select.indicator} for _, _, label in read
    )
    return [
        (
            p,
            _part_name(p, i, prefixes, len(tables), others),
            i,
            {c: idx[0] for c, idx in found.items()},
        )
        for p, i, found in tables
    ]


def _pinned(
    name: str, labels: list[str], measures: list[tuple[int, str, str]], select: Selection
) -> dict[str, int]:
    wanted = {c: {fold(x) for x in names} for c, names in select.measures.items()}
    picked = {}
    for column, names in wanted.items():
        index = next((i for i, p, m in measures if {fold(labels[i]), fold(m)} & names), None)
        if index is None:
            shown = " or ".join(repr(x) for x in select.measures[column])
            raise _fail_columns(name, labels, f"no column {shown} ({column})")
        picked[column] = index
    return picked


def _of(
    indicator: IndicatorWords, read: list[tuple[int, str, Label]], select: Selection
) -> list[tuple[str, dict[str, list[int]]]]:
    """Return (measure group, column → indexes) of the tables one indicator's measures form."""
    by_prefix: dict[str, dict[str, list[int]]] = {}
    for i, prefix, label in read:
        if label.column and label.indicators == {indicator.id}:
            by_prefix.setdefault(prefix, {}).setdefault(label.column, []).append(i)
    shared = [(i, p, label.column) for i, p, label in read if label.column and not label.indicators]
    own = {prefix: set(found) for prefix, found in by_prefix.items()}
    for i, prefix, column in shared:  # an indicator's own persons go before shared ones
        if prefix in by_prefix and column not in own[prefix]:
            by_prefix[prefix].setdefault(str(column), []).append(i)
    complete = [(p, found) for p, found in by_prefix.items() if not indicator.lacks(found)]
    if select.groups is not None and len(complete) > 1:
        complete = [(p, found) for p, found in complete if p in select.groups]
    if complete or not by_prefix:
        return complete
    # No group has all it needs: its measures may be spread over groups ("Personer: Antal
    # personer", "Jobsamtaler: Andel …").
    merged: dict[str, list[int]] = {}
    for found in by_prefix.values():
        for column, indexes in found.items():
            merged.setdefault(column, []).extend(indexes)
    mine = set(merged)
    for i, prefix, column in shared:
        if prefix not in by_prefix and column not in mine:
            merged.setdefault(str(column), []).append(i)
    return [("", merged)] if not indicator.lacks(merged) else []


def _part_name(
    prefix: str, indicator: str, prefixes: list[str], count: int, others: bool = False
) -> str:
    """How messages name one table of an answer: "" (the whole answer), its measure group, or
    its indicator where groups do not tell the tables apart (or the answer holds `others`)."""
    if count == 1 and not others:
        return ""
    if prefixes.count(prefix) == 1 and (prefix or not others):
        return prefix
    return f"{prefix}, {indicator}" if prefix else indicator


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
