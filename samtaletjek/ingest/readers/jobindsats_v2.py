"""Reader of jobindsats.dk API v2 data answers (JSON), kept for the archives users hold.

Format: a list with one object per table, `{"Variables": [{"Name", "Label"}, …], "Data":
[[…], …]}`; `Variables` names the columns (`area`, `period` and one per measure, whose `Label`
is a long Danish text) and each `Data` row holds their values as the API wrote them, often
text with a decimal comma (`"12,3"`) and missing cells as `""`, `..`, `-` or `x`. A wrong or
expired key is answered with `{"Forkert nøgle eller nøglen er udløbet.": ""}` instead. The
measures may be of samtaler, the active offer or passivity ("Passivandel i perioden i pct."),
told apart by their labels; one answer may hold several. As for v3 answers, `NaN`, `Infinity`
and out-of-range numbers are errors at their row and column, and shares are rescaled from
fractions only where the label says share and not percent (`values.shares_are_fractions`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from ..indicators import DEFAULT
from .shapes import (
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_ROWS,
    Matched,
    Part,
    Skipped,
    SourceFile,
    SourceTable,
    is_scalar,
    load_json,
    match_columns,
    missing_columns,
    source_frame,
)

# What a wrong or expired token gets instead of data.
WRONG_TOKEN_MARK = "nøgle"


def is_wrong_token_answer(raw: object) -> bool:
    """True for jobindsats' answer to a wrong or expired token: `{"Forkert nøgle …": ""}`."""
    return (
        isinstance(raw, dict)
        and len(raw) == 1
        and WRONG_TOKEN_MARK in next(iter(raw)).lower()
        and "Data" not in raw
    )


def read_jobindsats_json(
    data: bytes, name: str, measures: Mapping[str, str] | None = None
) -> SourceFile:
    """Read a jobindsats.dk API v2 data answer (JSON).

    The answer is a list of objects `{"Variables": [{"Name", "Label"}, …], "Data": [[…], …]}`.
    Columns are found by `Name` (`area`, `period`, and the measure ids in `measures`, a map from
    canonical column to measure Name, as configured for fetch) or else by the meaning of `Label`.
    """
    return read_v2_answer(load_json(data, name), name, measures)


def read_v2_answer(raw: object, name: str, measures: Mapping[str, str] | None = None) -> SourceFile:
    """Read an API v2 data answer already parsed from JSON (see `read_jobindsats_json`)."""
    if is_wrong_token_answer(raw):
        message = next(iter(raw))
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    f"this is jobindsats.dk's answer to a wrong or expired API key ({message!r}), "
                    "not data",
                )
            ]
        )
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(
        isinstance(part, dict) and "Variables" in part and "Data" in part for part in raw
    ):
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    "not a jobindsats v2 data answer "
                    '(expected [{"Variables": [...], "Data": [...]}])',
                )
            ]
        )
    if not raw:
        raise DataErrors([DataError(name, None, None, "the answer holds no table")])
    tables = []
    skipped: list[Skipped] = []
    errors: list[DataError] = []
    for n, part in enumerate(raw):
        file = f"{name}[Data]" if len(raw) == 1 else f"{name}[{n}].Data"
        try:
            found, dropped = _json_tables(part, file, measures)
            tables += found
            skipped += [Skipped(file, None, why) for why in dropped]
        except DataErrors as exc:
            errors.extend(exc.errors)
            if len(errors) >= MAX_ERRORS or exc.stopped:
                raise DataErrors(errors, stopped=True) from None
    if errors:
        raise DataErrors(errors)
    return SourceFile(name, "jobindsats API v2 JSON", tuple(tables), skipped=tuple(skipped))


def _json_tables(
    part: dict, file: str, measures: Mapping[str, str] | None
) -> tuple[list[SourceTable], list[str]]:
    """Return the tables of one answer, one per indicator its measures' labels speak of, and
    why an indicator's measures too few to import are left out."""
    variables = part["Variables"]
    if (
        not isinstance(variables, list)
        or len(variables) > MAX_COLUMNS
        or not all(
            isinstance(v, dict) and is_scalar(v.get("Name", [])) and is_scalar(v.get("Label"))
            for v in variables
        )
    ):
        raise DataErrors(
            [
                DataError(
                    file,
                    None,
                    None,
                    f"Variables must be a list of at most {MAX_COLUMNS} {{Name, Label}} (texts)",
                )
            ]
        )
    names = [str(v["Name"]) for v in variables]
    labels = [str(v.get("Label") or v["Name"]) for v in variables]
    shown = [
        labels[i] if labels[i] == names[i] else f"{names[i]} ({labels[i]})"
        for i in range(len(names))
    ]
    by_name = {n.lower(): i for i, n in enumerate(names)}
    fixed = {
        c: by_name[n] for c, n in (("municipality", "area"), ("period", "period")) if n in by_name
    }
    matched = match_columns(labels, shown, fixed=fixed)
    if measures:
        matched = _configured(matched, measures, names, shown, by_name)
    if matched.problems:
        raise DataErrors([DataError(file, None, "Variables", p) for p in matched.problems])

    data = part["Data"]
    if not isinstance(data, list):
        raise DataErrors([DataError(file, None, None, "Data must be a list of rows")])
    if len(data) > MAX_ROWS:
        raise DataErrors(
            [
                DataError(
                    file,
                    None,
                    None,
                    f"holds {len(data):,} rows; the import reads at most {MAX_ROWS:,} from one "
                    "answer",
                )
            ]
        )
    errors = []
    for i, values in enumerate(data, start=1):
        if not isinstance(values, list) or len(values) != len(names):
            count = len(values) if isinstance(values, list) else "no"
            errors.append(
                DataError(file, i, None, f"has {count} values; Variables names {len(names)}")
            )
        elif not all(is_scalar(v) for v in values):
            j = next(j for j, v in enumerate(values) if not is_scalar(v))
            what = "a list" if isinstance(values[j], list) else "an object"
            errors.append(DataError(file, i, shown[j], f"holds {what}, not a value"))
        if len(errors) >= MAX_ERRORS:
            raise DataErrors(errors, stopped=True)
    if errors:
        raise DataErrors(errors)
    if not data:
        raise DataErrors([DataError(file, None, None, "Data holds no rows")])
    tables = []
    for found in matched.parts:
        rows = [
            {ROW: i, **{c: values[j] for c, j in found.columns.items()}}
            for i, values in enumerate(data, start=1)
        ]
        used_labels = {c: shown[j] for c, j in found.columns.items()}
        context = tuple(labels[j] for c, j in found.columns.items() if c in FIGURES)
        tables.append(
            SourceTable(
                file,
                source_frame(rows),
                used_labels,
                context,
                tuple(matched.ignored),
                found.indicator,
                found.said_by,
                national_rows=True,  # `Hele landet` is STAR's own national figure
            )
        )
    return tables, matched.dropped


def _configured(
    matched: Matched,
    measures: Mapping[str, str],
    names: list[str],
    shown: list[str],
    by_name: Mapping[str, int],
) -> Matched:
    """Configured measure ids win over meaning (they are samtaler's, as configured for v2
    fetching); a configured id that is absent is an error."""
    columns = dict(matched.dims)
    problems = [p for p in matched.problems if p.startswith(("columns", "no column of muni"))]
    for column, measure in measures.items():
        if not measure:
            continue
        if measure.lower() not in by_name:
            problems.append(
                f"measure {measure!r} (configured for {column}) is not in the answer; "
                f"it has {', '.join(names)}"
            )
        else:
            columns[column] = by_name[measure.lower()]
    problems += missing_columns(columns)
    used = set(columns.values())
    ignored = [shown[i] for i in range(len(names)) if i not in used]
    return Matched([Part(DEFAULT, "configured", columns)], ignored, problems, [])
