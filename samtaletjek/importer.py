"""Import STAR's files into the canonical table: read, interpret, merge, validate, write.

`import_files` and `import_sources` are the I/O shell: they read the source files and the data
directory, call the pure `plan_import`, and write `samtaler.csv`, `releases.json` and
`manifest.json` only when every check has passed, so bad input leaves the data directory
exactly as it was. Everything in between is pure and works on small frames:

- `parse_number`, `parse_period`, `find_periods`, `match_target_groups`, `classify_area`:
  the source's text → canonical values;
- `interpret`: one SourceTable → canonical rows, skipped rows and notes;
- `merge`: existing + incoming → merged table, counts and revisions (old → new).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import DataError, DataErrors, UserError
from .registry import Municipality, Registry, fold
from .releases import Release, Revision, next_release_id, read_releases, write_releases
from .sources.canonical import (
    COLUMNS,
    DATA_FILE,
    MANIFEST_FILE,
    ROW,
    Manifest,
    read_canonical,
    read_manifest,
    write_canonical,
    write_manifest,
)
from .sources.jobindsats import (
    FIGURES,
    Skipped,
    SourceFile,
    SourceTable,
    read_jobindsats_csv,
    read_jobindsats_json,
)
from .sources.star_xlsx import read_star_xlsx
from .validate import SHARE_TOLERANCE, validate

# What the site's footer says the figures come from once real data are imported.
SOURCE = "STAR / jobindsats.dk"
FIRST_YEAR = 2007  # the 98 municipalities exist from 1 January 2007
MISSING_MARKERS = frozenset({"", "-", "–", "—", "..", "...", "…", ".", "x", ":"})
_NOTE_PREFIXES = ("anm", "note", "kilde", "fodnote", "obs", "bemaerk", "forklaring", "signatur")
_NATIONAL = {"helelandet", "landetialt", "ialt", "total", "danmark", "heledanmark", "landsplan"}
_NOT_MUNICIPALITIES = {"christiansoe", "uoplyst", "uoplystkommune", "ukendt", "ovrige", "oevrige"}


# ---- values -----------------------------------------------------------------------------------


def is_missing(value: object) -> bool:
    """True for an empty cell or a missing marker (`-`, `..`, `x`, …): missing, never zero."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_MARKERS


_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}([. ]\d{3})+(,\d+)?")
_PLAIN = re.compile(r"[+-]?\d+(,\d+)?")
_POINT = re.compile(r"[+-]?\d*\.\d+")


def parse_number(value: object) -> float | None:
    """Return the number a cell holds (None = missing); raise ValueError saying why not.

    Accepts numbers and Danish text: decimal comma, `.` or space between thousands
    ("1.234,5"), a trailing `%`; a lone decimal point ("0.453") is read as a decimal point.
    """
    if is_missing(value):
        return None
    if isinstance(value, bool | dt.date | dt.datetime):
        raise ValueError(f"{value!s} is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", " ").replace("\u2212", "-")
    text = text.removesuffix("%").strip()
    if _GROUPED.fullmatch(text) and not ("." in text and " " in text):
        return float(text.replace(".", "").replace(" ", "").replace(",", "."))
    if _PLAIN.fullmatch(text):
        return float(text.replace(",", "."))
    if _POINT.fullmatch(text):
        return float(text)
    raise ValueError(f"{str(value)!r} is not a number")


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jan"),
            ("februar", "feb"),
            ("marts", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MENTIONS = (
    re.compile(rf"\b(?P<name>{_NAMES})\.?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})M(?P<month>\d{1,2})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})\b(?!-\d{4})"),
)
# A month named right after these words is a reference month ("Ændring ift. januar 2018").
_REFERENCE = re.compile(
    r"\b(ift\.?|i forhold til|siden|sammenlignet med|ændring|aendring|ref\.?|reference)\s*$",
    re.IGNORECASE,
)
_NOT_MONTHLY = re.compile(r"^\d{4}(QMAT|HMAT|Q|H|Y)\d{1,2}$", re.IGNORECASE)


def parse_period(value: object) -> str:
    """Return the month (YYYY-MM) a period cell names; raise ValueError saying why not.

    Accepts `2018M06` (jobindsats), `2018-06`, `juni 2018` and dates.
    """
    if isinstance(value, dt.date | dt.datetime):
        return f"{value.year:04d}-{value.month:02d}"
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueError("is empty")
    if _NOT_MONTHLY.match(text):
        raise ValueError(
            f"{text!r} is not a month (a quarter, half-year or year); only monthly figures "
            "(e.g. 2018M06) can be imported"
        )
    for pattern in _MENTIONS:
        match = pattern.fullmatch(text) or pattern.fullmatch(text[:7])
        if match:
            return _month(match)
    raise ValueError(f"{text!r} is not a month (write 2018M06, 2018-06 or juni 2018)")


def _month(match: re.Match) -> str:
    year = int(match["year"])
    month = MONTHS[match["name"].lower()] if "name" in match.groupdict() else int(match["month"])
    if not 1 <= month <= 12:
        raise ValueError(f"{match[0]!r} is not a possible month (month {month})")
    return f"{year:04d}-{month:02d}"


def find_periods(texts: Iterable[str]) -> tuple[set[str], list[str]]:
    """Return the months free text names as the measurement month, and impossible mentions.

    A month right after "ift.", "siden", "ændring" … is the reference month and is ignored.
    """
    found: set[str] = set()
    impossible: list[str] = []
    for text in texts:
        for pattern in _MENTIONS:
            for match in pattern.finditer(text):
                if _REFERENCE.search(text[: match.start()]):
                    continue
                try:
                    found.add(_month(match))
                except ValueError as exc:
                    impossible.append(str(exc))
    return found, impossible


def check_period(period: str, today: str) -> str | None:
    """Return why `period` cannot hold figures imported on `today`, or None if it can."""
    if int(period[:4]) < FIRST_YEAR:
        return f"{period} is before {FIRST_YEAR}, when the 98 municipalities were formed"
    if period > today[:7]:
        return f"{period} is after the import date {today}"
    return None


def match_target_groups(text: str) -> set[str]:
    """Return the target groups a text names, by folded keywords.

    "Dagpengemodtagere" → dagpenge (not sygedagpenge); "Aktivitetsparate
    kontanthjælpsmodtagere" → kontanthjaelp-aktivitetsparate. A benefit named without its
    readiness ("Kontanthjælp") names both of its groups: ambiguous, on purpose.
    """
    f = fold(text).replace("ressourceforloebsydelse", "")
    found = set()
    if "jobafklaring" in f:
        found.add("jobafklaring")
    if "ressourceforloeb" in f:
        found.add("ressourceforloeb")
    if "sygedagpenge" in f:
        found.add("sygedagpenge")
    if "dagpenge" in f.replace("sygedagpenge", "") or "forsikredeledige" in f:
        found.add("dagpenge")
    for benefit, other in (
        ("kontanthjaelp", "jobparate"),
        ("uddannelseshjaelp", "uddannelsesparate"),
    ):
        if benefit not in f:
            continue
        groups = {
            f"{benefit}-aktivitetsparate": "aktivitetsparat" in f,
            f"{benefit}-{other}": other[:-1] in f,
        }
        named = {g for g, said in groups.items() if said}
        found |= named or set(groups)
    return found


@dataclass(frozen=True)
class Area:
    kind: str  # municipality, national, region, rar, other, note, unknown, blank
    municipality: Municipality | None = None
    suggestion: str = ""


def classify_area(name: str, registry: Registry) -> Area:
    """Return what an area name in a source is: a municipality, the country, a region, …"""
    text = name.strip()
    f = fold(text)
    if not f:
        return Area("note") if text.startswith("*") else Area("blank")
    municipality = registry.find_municipality(text)
    if municipality is None and f.endswith("kommune"):
        municipality = registry.find_municipality(re.sub(r"(?i)\s*kommune\s*\**$", "", text))
    if municipality is not None:
        return Area("municipality", municipality)
    if text.startswith(("*", "¹", "²", "(")) or f.startswith(_NOTE_PREFIXES):
        return Area("note")
    if f in _NATIONAL:
        return Area("national")
    if f.startswith("rar"):
        return Area("rar")
    if _region(text, registry) or f.startswith(("region", "amk")):
        return Area("region")
    if f in _NOT_MUNICIPALITIES:
        return Area("other")
    names = {fold(n): m.name for m in registry.municipalities for n in (m.name, *m.aliases)}
    close = difflib.get_close_matches(f.removesuffix("kommune"), list(names), n=1, cutoff=0.6)
    return Area("unknown", suggestion=names[close[0]] if close else "")


# ---- one table → canonical rows ---------------------------------------------------------------

_Report = Callable[[int | None, str | None, str], None]  # (row, column, message)


@dataclass
class Interpreted:
    """The canonical rows read from one table, and everything said about it on the way."""

    frame: pd.DataFrame  # COLUMNS + ROW + "file" + "mean_given"
    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)


def resolve_table_context(
    table: SourceTable,
    source: SourceFile,
    *,
    period: str | None = None,
    target_group: str | None = None,
) -> tuple[str | None, str | None, list[DataError]]:
    """Return (month, target group) of a table that has no such columns, from its sheet name and
    title, else from the rest of the file, else from the options; and what is wrong."""
    errors: list[DataError] = []
    month = None
    if table.frame["period"].isna().all():
        own, impossible = find_periods(table.context)
        errors += [DataError(table.file, None, None, f"sheet or title: {m}") for m in impossible]
        others: set[str] = set(find_periods(source.context)[0])
        for other in source.tables:
            if other is not table and other.frame["period"].isna().all():
                others |= find_periods(other.context)[0]
        month, problem = _pick("month", own, others, period, "--period YYYY-MM")
        if problem:
            errors.append(DataError(table.file, None, None, problem))
    group = None
    if table.frame["target_group"].isna().all():
        # Each text may narrow the others: "Akt. kontanthjælp" and "Aktivitetsparate
        # kontanthjælpsmodtagere" together name one group; texts that disagree name several.
        named = [g for g in (match_target_groups(t) for t in table.context) if g]
        own = set.intersection(*named) if named else set()
        own = own or set().union(*named)
        others = set().union(*(match_target_groups(t) for t in source.context))
        group, problem = _pick("target group", own, others, target_group, "--target-group ID")
        if problem:
            errors.append(DataError(table.file, None, None, problem))
    return month, group, errors


def _pick(
    what: str, own: set[str], others: set[str], option: str | None, flag: str
) -> tuple[str | None, str]:
    if len(own) == 1:
        (value,) = own
        if option is not None and option != value:
            return (
                None,
                f"the sheet or title says {what} {value}, but {flag.split()[0]} says {option}",
            )
        return value, ""
    if len(own) > 1:
        if option in own:
            return option, ""
        return None, f"names several {what}s ({', '.join(sorted(own))}); say which with {flag}"
    if option is not None:
        return option, ""
    if len(others) == 1:
        return next(iter(others)), ""
    if len(others) > 1:
        return None, (
            f"does not name its {what}, and the file mixes {', '.join(sorted(others))}; "
            f"say which with {flag}"
        )
    return None, f"does not say which {what} it holds; give {flag}"


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
    groups = set(registry.target_group_ids)

    def error(row: int | None, column: str | None, message: str) -> None:
        out.errors.append(DataError(table.file, row, labels.get(column, column), message))

    parsed: list[dict] = []  # municipality rows, and national/region rows for cross-checks
    for rec in table.frame.to_dict("records"):
        row = int(rec[ROW])
        out.read += 1
        name = "" if is_missing(rec["municipality"]) else str(rec["municipality"]).strip()
        given = [c for c in FIGURES if c in labels and not is_missing(rec[c])]
        area = classify_area(name, registry)
        if area.kind == "blank":
            if given:
                error(row, "municipality", "has figures but no municipality")
            else:
                out.skipped.append(Skipped(table.file, row, "row without a municipality"))
            continue
        if area.kind == "note" or (area.kind == "unknown" and not given):
            out.skipped.append(Skipped(table.file, row, "note or text below the table"))
            continue
        if area.kind == "unknown":
            hint = f"; did you mean {area.suggestion!r}?" if area.suggestion else ""
            error(row, "municipality", f"{name!r} is not a known municipality{hint}")
            continue
        if area.kind == "other":
            out.skipped.append(
                Skipped(table.file, row, f"{_short(name)} is not one of the 98 municipalities")
            )
            continue

        values: dict[str, object] = {"row": row, "kind": area.kind, "name": name}
        for column in FIGURES:
            try:
                values[column] = parse_number(rec[column]) if column in labels else None
            except ValueError as exc:
                error(row, column, str(exc))
                values[column] = None
        values["period"] = period
        if period is None:
            try:
                values["period"] = parse_period(rec["period"])
                problem = check_period(values["period"], today)
                if problem:
                    error(row, "period", problem)
            except ValueError as exc:
                error(row, "period", str(exc))
                values["period"] = None
        values["target_group"] = target_group
        if target_group is None:
            text = "" if is_missing(rec["target_group"]) else str(rec["target_group"])
            found = {text} & groups or match_target_groups(text)
            if len(found) == 1:
                values["target_group"] = next(iter(found))
            else:
                error(row, "target_group", f"{text!r} does not name one target group")
        if area.kind == "municipality":
            values["municipality"] = area.municipality
            parsed.append(values)
        else:
            what = {
                "national": "the national figure, used only as a cross-check",
                "region": "a regional figure, used only as a cross-check",
                "rar": "a RAR area, not a municipality",
            }[area.kind]
            out.skipped.append(Skipped(table.file, row, f"{_short(name)}: {what}"))
            parsed.append(values)

    _scale_shares(parsed, labels, table.file, out)
    if "persons_meeting" not in labels:
        out.notes.append(
            f"{table.file}: no column with the number who had the samtaler; "
            "persons_meeting = persons × share ÷ 100, rounded"
        )
    rows = [_figures(v, labels, error, out) for v in parsed if v["kind"] == "municipality"]
    out.notes += _cross_checks(parsed, registry, table.file)
    out.frame = _canonical_frame(rows, table.file, "mean_conversations" in labels)
    return out


def _short(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _scale_shares(
    parsed: list[dict], labels: Mapping[str, str], file: str, out: Interpreted
) -> None:
    """Shares all ≤ 1 are fractions (0–1): scale them to percentages, and say so."""
    shares = [v["share_pct"] for v in parsed if v["share_pct"] is not None]
    if shares and max(shares) <= 1 and any(s > 0 for s in shares):
        for v in parsed:
            if v["share_pct"] is not None:
                v["share_pct"] *= 100
        out.notes.append(f"{file}: shares were written as 0–1 ({labels['share_pct']}); ×100")


def _half_up(x: float, decimals: int = 0) -> float:
    scale = 10**decimals
    return math.floor(x * scale + 0.5 + 1e-9) / scale


def _figures(v: dict, labels: Mapping[str, str], error: _Report, out: Interpreted) -> dict:
    """Check one municipality row's figures and fill what follows from the others."""
    row = v["row"]
    persons, meeting, share, mean = (v[c] for c in FIGURES)
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
    elif persons is not None and share is not None and "persons_meeting" not in labels:
        # The source gives only the share: the count follows, and the share must stay
        # consistent with it (validate allows ±0.1 points).
        meeting = _half_up(persons * share / 100)
        if persons > 0:
            computed = meeting / persons * 100
            if abs(_half_up(share, 1) - computed) > SHARE_TOLERANCE + 1e-9:
                out.notes.append(
                    f"{v['municipality'].name} {v['period']} {v['target_group']}: the share "
                    f"{share:.1f} cannot be had with whole persons ({meeting:g} of {persons:g} "
                    f"= {computed:.1f} %); stored {computed:.1f} from the counts"
                )
                share = computed
    return {
        "period": v["period"],
        "municipality_code": v["municipality"].code,
        "municipality": v["municipality"].name,
        "target_group": v["target_group"],
        "persons": persons,
        "persons_meeting": meeting,
        "share_pct": None if share is None else _half_up(share, 1),
        "mean_conversations": None if mean is None else _half_up(mean, 1),
        ROW: row,
    }


def _cross_checks(parsed: list[dict], registry: Registry, file: str) -> list[str]:
    """Compare `Hele landet` and region rows with the municipalities of the same table."""
    notes = []
    munis = [v for v in parsed if v["kind"] == "municipality"]
    for total in (v for v in parsed if v["kind"] in ("national", "region")):
        region = _region(total["name"], registry)
        if total["kind"] == "region" and region is None:
            continue  # an AMK or other grouping the reference data do not describe
        scope = {m.code for m in registry.municipalities if region in (None, m.region)}
        part = [
            v
            for v in munis
            if v["municipality"].code in scope
            and (v["period"], v["target_group"]) == (total["period"], total["target_group"])
        ]
        where = (
            f"{file} row {total['row']} {total['name']} {total['period']} {total['target_group']}"
        )
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
        matches = persons == total["persons"] and (
            share is None or said is None or abs(share - said) <= 0.5
        )
        shown = "" if share is None else f", {share:.1f} %"
        said_shown = "" if said is None else f", {said:.1f} %"
        notes.append(
            f"cross-check {where}: the row says {total['persons']:g} persons{said_shown}; "
            f"the municipalities add up to {persons:g}{shown} "
            f"({'matches' if matches else 'DIFFERS: check the file'})"
        )
    return notes


def _region(name: str, registry: Registry) -> str | None:
    """Return the region an area name means ("Region Sjælland", "Sjælland"), or None."""
    names = {fold(r): r for r in registry.regions}
    names |= {fold(r).removeprefix("region"): r for r in registry.regions}
    return names.get(fold(name))


def _canonical_frame(rows: list[dict], file: str, mean_given: bool) -> pd.DataFrame:
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
            ROW: pd.array(frame[ROW], dtype="Int64"),
        }
    )
    return typed.assign(file=file, mean_given=mean_given)


# ---- merge ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    frame: pd.DataFrame  # the canonical table after the import (COLUMNS)
    added: int
    revised: int
    unchanged: int
    revisions: tuple[Revision, ...]
    periods: tuple[str, ...]  # months with an added or revised row


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(int(value))


def _same(a: object, b: object) -> bool:
    if _cell(a) == "" or _cell(b) == "":
        return _cell(a) == _cell(b)
    return abs(float(a) - float(b)) < 1e-6


def merge(existing: pd.DataFrame, incoming: pd.DataFrame) -> Merged:
    """Return the table with `incoming` rows added or revised; nothing existing is dropped.

    Rows are keyed by (period, municipality_code, target_group). A row whose source gave no
    `mean_conversations` column (`mean_given` false) keeps the existing value.
    """
    old = {
        (r["period"], int(r["municipality_code"]), r["target_group"]): r
        for r in existing[list(COLUMNS)].to_dict("records")
    }
    revisions: list[Revision] = []
    rows = []
    added = revised = unchanged = 0
    periods = set()
    for r in incoming.to_dict("records"):
        key = (r["period"], int(r["municipality_code"]), r["target_group"])
        row = {c: r[c] for c in COLUMNS}
        before = old.pop(key, None)
        if before is not None and not r.get("mean_given", True):
            row["mean_conversations"] = before["mean_conversations"]
        if before is None:
            added += 1
            periods.add(key[0])
        else:
            changes = [
                Revision(key[0], key[1], key[2], c, _cell(before[c]), _cell(row[c]))
                for c in FIGURES
                if not _same(before[c], row[c])
            ]
            if changes:
                revised += 1
                periods.add(key[0])
                revisions += changes
            else:
                unchanged += 1
        rows.append(row)
    kept = pd.DataFrame(list(old.values()), columns=list(COLUMNS))
    new = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = _typed(pd.concat([_typed(kept), _typed(new)], ignore_index=True))
    return Merged(frame, added, revised, unchanged, tuple(revisions), tuple(sorted(periods)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = {c: "string" for c in ("period", "municipality", "target_group")}
    kinds |= {c: "Int64" for c in ("municipality_code", "persons", "persons_meeting")}
    kinds |= {c: "Float64" for c in ("share_pct", "mean_conversations")}
    return frame.astype(kinds)


def _sorted_with_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` in the order `write_canonical` writes it, ROW = its line in that file."""
    ordered = frame.sort_values(["period", "target_group", "municipality_code"]).reset_index(
        drop=True
    )
    return ordered.assign(**{ROW: range(2, len(ordered) + 2)})


def _gaps(merged: pd.DataFrame, incoming: pd.DataFrame) -> list[DataError]:
    """Report months an import leaves missing inside a series it touches."""
    errors = []
    touched = incoming.drop_duplicates(["municipality_code", "target_group"])
    months = merged["period"].str[:4].astype(int) * 12 + merged["period"].str[5:7].astype(int) - 1
    present = merged.assign(_m=months).groupby(["municipality_code", "target_group"])["_m"]
    sets = {k: set(v) for k, v in present}
    for r in touched.to_dict("records"):
        have = sets[(r["municipality_code"], r["target_group"])]
        lacking = [m for m in range(min(have), max(have) + 1) if m not in have]
        if not lacking:
            continue
        shown = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in lacking]
        listed = ", ".join(shown[:6]) + (" …" if len(shown) > 6 else "")
        errors.append(
            DataError(
                r["file"],
                int(r[ROW]),
                "period",
                f"after this import the series {r['municipality']}/{r['target_group']} would "
                f"lack {len(shown)} month(s): {listed}; import those months too (or give "
                "them rows with empty figures)",
            )
        )
    return errors


def _duplicates(incoming: pd.DataFrame) -> list[DataError]:
    keys = ["period", "municipality_code", "target_group"]
    first: dict[tuple, dict] = {}
    errors = []
    for r in incoming.to_dict("records"):
        key = tuple(r[k] for k in keys)
        if key in first:
            f = first[key]
            where = f"row {f[ROW]}" if f["file"] == r["file"] else f"{f['file']} row {f[ROW]}"
            errors.append(
                DataError(
                    r["file"],
                    int(r[ROW]),
                    None,
                    f"duplicate of {where}: {r['municipality']} {r['period']} {r['target_group']} "
                    "twice",
                )
            )
        else:
            first[key] = r
    return errors


# ---- the plan: everything decided before anything is written -----------------------------------


@dataclass(frozen=True)
class Existing:
    """What the data directory holds before the import."""

    frame: pd.DataFrame  # COLUMNS; empty for a new directory
    manifest: Manifest | None
    releases: tuple[Release, ...] = ()


@dataclass(frozen=True)
class ImportSummary:
    data_dir: str
    files: tuple[str, ...]
    formats: tuple[str, ...]
    read: int
    added: int
    revised: int
    unchanged: int
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    periods: tuple[str, ...]
    target_groups: tuple[str, ...]
    revisions: tuple[Revision, ...] = ()
    replaced_demo: int = 0  # rows of demo data the import replaced
    release: Release | None = None
    rows_after: int = 0

    @property
    def changed(self) -> bool:
        return self.added + self.revised > 0

    def lines(self) -> list[str]:
        """Return the summary a person reads after an import, one line each."""
        skipped_rows = sum(1 for s in self.skipped if s.row is not None)
        counts = (
            f"read {self.read} rows: {self.added} added, {self.revised} revised, "
            f"{self.unchanged} unchanged, {skipped_rows} skipped"
        )
        if not self.changed:
            lines = [f"No new data: {counts}; nothing was written to {self.data_dir}."]
        else:
            lines = [f"Imported {', '.join(self.files)} into {self.data_dir}:", f"  {counts}"]
        lines.append(f"  read as {', '.join(self.formats)}")
        lines.append(
            f"  months {_span(self.periods)}; target groups {', '.join(self.target_groups) or '–'}"
        )
        for reason, where in _grouped(self.skipped):
            lines.append(f"  skipped {len(where)} × {reason}: {_places(where)}")
        lines += [f"  note: {n}" for n in self.notes[:20]]
        if len(self.notes) > 20:
            lines.append(f"  … and {len(self.notes) - 20} more notes")
        for r in self.revisions[:20]:
            lines.append(
                f"  revised {r.period} {r.municipality_code} {r.target_group} {r.column}: "
                f"{r.old or '–'} → {r.new or '–'}"
            )
        if len(self.revisions) > 20:
            lines.append(f"  … and {len(self.revisions) - 20} more revisions (see releases.json)")
        if self.replaced_demo:
            lines.append(
                f"  replaced the demo data ({self.replaced_demo} rows): the directory now holds "
                "real figures only (manifest.json demo: false)"
            )
        if self.release is not None:
            lines.append(
                f"  wrote {DATA_FILE} ({self.rows_after} rows), {MANIFEST_FILE} and releases.json "
                f"(release {self.release.id})"
            )
        return lines


def _span(periods: Sequence[str]) -> str:
    if not periods:
        return "–"
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]} ({len(periods)})"


def _grouped(skipped: Sequence[Skipped]) -> list[tuple[str, list[Skipped]]]:
    groups: dict[str, list[Skipped]] = {}
    for s in skipped:
        reason = re.sub(r"^'[^']*': ", "", s.reason)  # group "'Hele landet': …" by what it is
        groups.setdefault(reason, []).append(s)
    return list(groups.items())


def _places(where: list[Skipped]) -> str:
    """Return "a.xlsx[Ark] rows 5, 16; b.csv row 3" (at most six rows per file)."""
    rows: dict[str, list[int]] = {}
    for s in where:
        rows.setdefault(s.file, [])
        if s.row is not None:
            rows[s.file].append(s.row)
    parts = []
    for file, numbers in rows.items():
        listed = ", ".join(map(str, numbers[:6])) + (", …" if len(numbers) > 6 else "")
        parts.append(f"{file} row{'s' if len(numbers) > 1 else ''} {listed}" if numbers else file)
    return "; ".join(parts)


@dataclass(frozen=True)
class Plan:
    summary: ImportSummary
    frame: pd.DataFrame | None  # None: nothing to write
    manifest: Manifest | None
    releases: tuple[Release, ...]


def read_incoming(
    sources: Sequence[SourceFile],
    registry: Registry,
    *,
    today: str,
    target_group: str | None = None,
    period: str | None = None,
) -> Interpreted:
    """Return the canonical rows of every table in `sources`, or raise DataErrors. Pure."""
    out = Interpreted(frame=pd.DataFrame())
    frames = []
    for src in sources:
        out.skipped += src.skipped
        found = 0
        for table in src.tables:
            month, group, problems = resolve_table_context(
                table, src, period=period, target_group=target_group
            )
            if month is not None and (why := check_period(month, today)):
                problems.append(DataError(table.file, None, None, why))
            out.errors += problems
            if problems:
                continue
            result = interpret(table, registry, today=today, period=month, target_group=group)
            out.errors += result.errors
            out.skipped += result.skipped
            out.notes += result.notes
            out.read += result.read
            frames.append(result.frame)
            found += len(result.frame)
        if not out.errors and not found:
            out.errors.append(
                DataError(src.name, None, None, "holds no municipality rows (only totals or notes)")
            )
    if out.errors:
        raise DataErrors(out.errors)
    incoming = pd.concat(frames, ignore_index=True)
    errors = _duplicates(incoming)
    # A month or group column in the file wins over the options only if they agree.
    for column, option, flag in (
        ("period", period, "--period"),
        ("target_group", target_group, "--target-group"),
    ):
        if option is not None:
            errors += [
                DataError(
                    r["file"], int(r[ROW]), None, f"says {r[column]}, but {flag} says {option}"
                )
                for r in incoming[incoming[column] != option].to_dict("records")
            ]
    if errors:
        raise DataErrors(errors)
    out.frame = incoming
    return out


def plan_import(
    sources: Sequence[SourceFile],
    existing: Existing,
    registry: Registry,
    *,
    today: str,
    source: str,
    data_dir: str,
    target_group: str | None = None,
    period: str | None = None,
) -> Plan:
    """Return what an import into `data_dir` would write, or raise DataErrors naming every
    problem. Pure: `existing` is what the directory holds, `today` the import date."""
    read = read_incoming(sources, registry, today=today, target_group=target_group, period=period)
    incoming, notes = read.frame, list(read.notes)
    # Real figures never mix with demo figures: they replace them, and the summary says so.
    demo = existing.manifest is not None and existing.manifest.demo
    merged = merge(existing.frame.iloc[0:0] if demo else existing.frame, incoming)
    after = _sorted_with_rows(merged.frame)
    label = f"{Path(data_dir) / DATA_FILE} (after the import)"
    errors = _gaps(after, incoming) or validate(after, registry, label)
    if errors:
        raise DataErrors(errors)

    releases = () if demo else existing.releases
    release = None
    if merged.added + merged.revised:
        release = Release(
            id=next_release_id(releases, today),
            date=today,
            source=source,
            periods=merged.periods,
            added=merged.added,
            revised=merged.revised,
            files=tuple(Path(s.name).name for s in sources),
            revisions=merged.revisions,
        )
        if demo and existing.releases:
            notes.append(f"dropped the demo data's release log ({len(existing.releases)})")
    summary = ImportSummary(
        data_dir=data_dir,
        files=tuple(s.name for s in sources),
        formats=tuple(dict.fromkeys(s.format for s in sources)),
        read=read.read,
        added=merged.added,
        revised=merged.revised,
        unchanged=merged.unchanged,
        skipped=tuple(read.skipped),
        notes=tuple(notes),
        periods=tuple(sorted(set(incoming["period"]))),
        target_groups=tuple(sorted(set(incoming["target_group"]))),
        revisions=merged.revisions,
        replaced_demo=len(existing.frame) if demo else 0,
        release=release,
        rows_after=len(after),
    )
    if release is None:
        return Plan(summary, None, None, existing.releases)
    manifest = Manifest(
        source=SOURCE,
        release_date=today,
        demo=False,
        description=f"Tal fra STAR (jobindsats.dk), senest indlæst {today}.",
        licence="" if demo or existing.manifest is None else existing.manifest.licence,
    )
    return Plan(summary, after[list(COLUMNS)], manifest, (*releases, release))


# ---- the I/O shell ----------------------------------------------------------------------------

_IMAGES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}


def detect_format(data: bytes, name: str) -> str:
    """Return "xlsx", "json" or "csv" from a file's content (and name); raise if it is neither."""
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    for magic, kind in _IMAGES.items():
        if data.startswith(magic):
            raise DataErrors(
                [DataError(name, None, None, f"is {kind}, not a data file (.xlsx, .json or .csv)")]
            )
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise DataErrors([DataError(name, None, None, "is a WebP image, not a data file")])
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    "is an old Excel 97–2003 (.xls) file; open it in Excel and save it as .xlsx",
                )
            ]
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix in (".xlsx", ".xlsm"):
        raise DataErrors(
            [
                DataError(
                    name, None, None, f"is named {suffix} but is not an Excel workbook (not a zip)"
                )
            ]
        )
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if start in (b"[", b"{"):
        return "json"
    if suffix == ".json":
        raise DataErrors(
            [DataError(name, None, None, "is named .json but does not hold JSON (no [ or { first)")]
        )
    return "csv"


def read_source(path: Path) -> SourceFile:
    """Read one source file, whichever of the three formats it is."""
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataErrors([DataError(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise DataErrors([DataError(name, None, None, "is a directory, not a file")]) from None
    readers = {"xlsx": read_star_xlsx, "json": read_jobindsats_json, "csv": read_jobindsats_csv}
    return readers[detect_format(data, name)](data, name)


def read_existing(data_dir: Path) -> Existing:
    """Return what a data directory holds; a missing or empty directory holds nothing."""
    if not (data_dir / DATA_FILE).exists() and not (data_dir / MANIFEST_FILE).exists():
        return Existing(pd.DataFrame(columns=list(COLUMNS)).pipe(_typed), None, ())
    manifest = read_manifest(data_dir)
    frame, errors = read_canonical(data_dir)
    if errors:
        raise DataErrors(errors)
    return Existing(frame.drop(columns=[ROW]), manifest, read_releases(data_dir))


def check_options(registry: Registry, target_group: str | None, period: str | None) -> None:
    """Raise UserError for a --target-group or --period the import cannot use."""
    if target_group is not None and target_group not in registry.target_group_ids:
        raise UserError(
            f"--target-group {target_group!r} is not one of: {', '.join(registry.target_group_ids)}"
        )
    if period is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise UserError(f"--period {period!r} is not a month written YYYY-MM")


def import_sources(
    sources: Sequence[SourceFile],
    data_dir: Path,
    registry: Registry,
    *,
    today: str,
    source: str,
    target_group: str | None = None,
    period: str | None = None,
) -> ImportSummary:
    """Merge read sources into `data_dir` and write it, or raise and leave it untouched."""
    check_options(registry, target_group, period)
    existing = read_existing(data_dir)
    plan = plan_import(
        sources,
        existing,
        registry,
        today=today,
        source=source,
        data_dir=str(data_dir),
        target_group=target_group,
        period=period,
    )
    if plan.frame is not None and plan.manifest is not None:
        # Every check has passed; each file is replaced atomically (temp file, then rename).
        write_canonical(plan.frame, data_dir)
        write_releases(plan.releases, data_dir)
        write_manifest(plan.manifest, data_dir)
    return plan.summary


def import_files(
    paths: Sequence[Path],
    data_dir: Path,
    registry: Registry,
    *,
    today: str,
    target_group: str | None = None,
    period: str | None = None,
) -> ImportSummary:
    """Import STAR statement workbooks and jobindsats JSON/CSV files into `data_dir`."""
    sources, errors = [], []
    for path in paths:
        try:
            sources.append(read_source(path))
        except DataErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise DataErrors(errors)
    return import_sources(
        sources,
        data_dir,
        registry,
        today=today,
        source=f"{SOURCE}: filer indlæst med python build.py import",
        target_group=target_group,
        period=period,
    )
