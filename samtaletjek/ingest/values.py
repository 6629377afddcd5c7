"""Pure: a source's cells and labels → canonical values: numbers, months, target groups and
what an area name is (a municipality, the country, a region, a note)."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..domain.danish import fold
from ..domain.registry import Municipality, Registry

FIRST_YEAR = 2007  # the 98 municipalities exist from 1 January 2007
MISSING_MARKERS = frozenset({"", "-", "–", "—", "..", "...", "…", ".", "x", ":"})
_NOTE_PREFIXES = ("anm", "note", "kilde", "fodnote", "obs", "bemaerk", "forklaring", "signatur")
_NATIONAL = {"helelandet", "landetialt", "ialt", "total", "danmark", "heledanmark", "landsplan"}
_NOT_MUNICIPALITIES = {
    "christiansoe",
    "uoplyst",
    "uoplystkommune",
    "uoplystomraade",
    "ukendt",
    "ukendtomraade",
    "ovrige",
    "oevrige",
}


def is_missing(value: object) -> bool:
    """True for an empty cell or a missing marker (`-`, `..`, `x`, …): missing, never zero.

    A float NaN is not missing: no source writes one for a suppressed figure (JSON has `null`,
    a sheet an empty cell), so it is an error `parse_number` names."""
    if value is None:
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_MARKERS


class BadNumber(str):
    """A number in a source that no figure can be, kept as the text the source wrote (JSON's
    `NaN`, `Infinity`, `1e999`, an integer beyond 64 bits), so that the row and column that
    hold it are named when it is read as a figure."""


# Figures are counts of persons, shares and means: anything this large is a mistake, and beyond
# 2**53 a count could not even be stored exactly.
LARGEST = 2**53


def shown(value: object, width: int = 40) -> str:
    """Return how messages quote a cell: its repr, cut to `width` characters."""
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) <= width:
        return text
    return text[: width - 2] + "…" + ("'" if isinstance(value, str) else "")


_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}([. ]\d{3})+(,\d+)?")
_PLAIN = re.compile(r"[+-]?\d+(,\d+)?")
_POINT = re.compile(r"[+-]?\d*\.\d+")
# "1,234": an English thousands separator, or a Danish decimal comma with three decimals.
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")
_ENGLISH = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")


def parse_number(value: object) -> float | None:
    """Return the number a cell holds (None = missing); raise ValueError saying why not.

    Accepts finite numbers below 2**53 and Danish text: decimal comma, `.` or space between
    thousands ("1.234,5"), a trailing `%`; a lone decimal point ("0.453") is read as a decimal
    point. "1,234" is refused as ambiguous: English for 1234, Danish for 1.234.
    """
    if isinstance(value, BadNumber):
        token = value if len(value) <= 40 else value[:39] + "…"
        if value.lstrip("+-") in ("NaN", "Infinity"):
            raise ValueError(f"{token} is not a number (a missing figure is null or empty)")
        raise ValueError(f"{token} is out of range for a figure")
    if is_missing(value):
        return None
    if isinstance(value, bool | dt.date | dt.datetime):
        raise ValueError(f"{value!s} is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value} is not a number (a missing figure is empty)")
        if abs(value) >= LARGEST:
            raise ValueError(f"{shown(value)} is out of range for a figure")
        return float(value)
    text = str(value).strip().replace("\u00a0", " ").replace("\u2212", "-")
    text = text.removesuffix("%").strip()
    if _AMBIGUOUS.fullmatch(text):
        raise ValueError(
            f"{shown(str(value))} is ambiguous: 1,234 is 1234 with an English thousands "
            "separator but 1.234 with a Danish decimal comma; write the number without a "
            "thousands separator"
        )
    if _GROUPED.fullmatch(text) and not ("." in text and " " in text):
        number = float(text.replace(".", "").replace(" ", "").replace(",", "."))
    elif _PLAIN.fullmatch(text):
        number = float(text.replace(",", "."))
    elif _POINT.fullmatch(text):
        number = float(text)
    elif _ENGLISH.fullmatch(text):
        raise ValueError(
            f"{shown(str(value))} is written the English way (',' between thousands); write it "
            "without a thousands separator, with a decimal comma"
        )
    else:
        raise ValueError(f"{shown(str(value))} is not a number")
    if not abs(number) < LARGEST:  # also inf, from a long enough row of digits
        raise ValueError(f"{shown(str(value))} is out of range for a figure")
    return number


def shares_are_fractions(label: str, shares: Iterable[float]) -> bool:
    """True if a source's shares are fractions (0–1) to be read as percentages.

    Only where the source says so: its label speaks of a share ("Andel med mindst 4 samtaler",
    "Passivandel") and not of percent (no "pct", "procent" or "%"), and every share is ≤ 1
    (and one above 0). A label saying pct or % holds percentages, however small: 0,5 stays
    0,5 %. (A spreadsheet cell formatted as a percentage is read as the percentage shown by
    its reader, before this.)
    """
    folded = fold(label.replace("%", " pct "))
    if any(w in folded for w in ("pct", "procent", "percent")) or "andel" not in folded:
        return False
    values = list(shares)
    return bool(values) and max(values) <= 1 and any(v > 0 for v in values)


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


_EXACT_MONTHS = (
    re.compile(rf"(?P<name>{_NAMES})\.?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})M(?P<month>\d{2})", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})"),
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T][\d:.]+)?")


def parse_period(value: object) -> str:
    """Return the month (YYYY-MM) a period cell names; raise ValueError saying why not.

    Accepts exactly `2018M06` (jobindsats), `2018-06`, `juni 2018` and date cells; nothing
    before or after them (`2018-06xyz` is not a month, nor is the text `2018-06-15`).
    """
    if isinstance(value, dt.date | dt.datetime):
        return f"{value.year:04d}-{value.month:02d}"
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueError("is empty")
    if _NOT_MONTHLY.match(text):
        raise ValueError(
            f"{shown(text)} is not a month (a quarter, half-year or year); only monthly figures "
            "(e.g. 2018M06) can be imported"
        )
    for pattern in _EXACT_MONTHS:
        match = pattern.fullmatch(text)
        if match:
            return _month(match)
    if _DATE.fullmatch(text):
        raise ValueError(f"{shown(text)} is a date, not a month (write {text[:7]} or 2018M06)")
    raise ValueError(f"{shown(text)} is not a month (write 2018M06, 2018-06 or juni 2018)")


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


def match_own_groups(text: str, words: Mapping[str, Sequence[str]], own: Iterable[str]) -> set[str]:
    """Return those of the groups `own` a text names, by the folded `words` naming each group
    (id → id, name, short name, noun; of every indicator's groups), the longest word first:
    "kontanthjaelp_aktivering" → kontanthjaelp; "Sygedagpenge" names sygedagpenge, so not
    dagpenge."""
    f = fold(text)
    ranked = sorted(
        ((fold(w), g) for g, ws in words.items() for w in ws if len(fold(w)) > 3),
        key=lambda item: -len(item[0]),
    )
    found = set()
    for word, group in ranked:
        if word in f:
            found.add(group)
            f = f.replace(word, "|")  # a shorter word inside it ("dagpenge") is not named
    return found & set(own)


NO_GROUP = "not one of the target groups"  # why a source's group label is not used
# … and where a label neither names a group nor is a listed other benefit group is added.
UNPLACED = (
    NO_GROUP + ", nor an [[other_label]]: add it to samtaletjek/reference/maalgrupper.toml "
    "(README: Publicér rigtige tal)"
)


def map_target_groups(
    labels: Iterable[str], known: Iterable[str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Return (label → target group, label → why not) for a source's group labels, such as the
    values of jobindsats' "Ydelsesgrupper": a label is used when it names exactly one known
    group (of `known`, if given) and no other label names the same one. Totals
    ("Ydelsesgrupper i alt") and benefits outside the kontaktforløb name none."""
    ids = None if known is None else set(known)
    named: dict[str, set[str]] = {}
    why: dict[str, str] = {}
    for label in dict.fromkeys(labels):
        found = match_target_groups(label)
        if ids is not None:
            found = (found & ids) | ({label} & ids)
        if len(found) == 1:
            named[label] = found
        elif found:
            why[label] = f"names several target groups ({', '.join(sorted(found))})"
        elif fold(label).endswith(("ialt", "total", "alle")) or fold(label) in ("ialt", "total"):
            why[label] = "a total over target groups"
        else:
            why[label] = NO_GROUP
    by_group: dict[str, list[str]] = {}
    for label, found in named.items():
        by_group.setdefault(next(iter(found)), []).append(label)
    mapping = {}
    for group, same in by_group.items():
        if len(same) == 1:
            mapping[same[0]] = group
        else:
            for label in same:
                others = ", ".join(repr(o) for o in same if o != label)
                why[label] = f"looks like {group}, as does {others}"
    return mapping, why


@dataclass(frozen=True)
class Area:
    kind: str  # municipality, national, region, rar, other, note, unknown, blank
    municipality: Municipality | None = None
    suggestion: str = ""


def classify_area(name: str, registry: Registry, suggest: bool = True) -> Area:
    """Return what an area name in a source is: a municipality, the country, a region, …;
    for a name not known, the closest municipality's name as `suggestion` (if `suggest`)."""
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
    if region_named(text, registry) or f.startswith(("region", "amk")):
        return Area("region")
    if f in _NOT_MUNICIPALITIES:
        return Area("other")
    if len(f) > 100 or not suggest:  # no name is this long; comparing would only take time
        return Area("unknown")
    names = {fold(n): m.name for m in registry.municipalities for n in (m.name, *m.aliases)}
    close = difflib.get_close_matches(f.removesuffix("kommune"), list(names), n=1, cutoff=0.6)
    return Area("unknown", suggestion=names[close[0]] if close else "")


def region_named(name: str, registry: Registry) -> str | None:
    """Return the region an area name means ("Region Sjælland", "Sjælland"), or None."""
    return _region_names(registry.regions).get(fold(name))


@functools.cache
def _region_names(regions: tuple[str, ...]) -> dict[str, str]:
    names = {fold(r): r for r in regions}
    return names | {fold(r).removeprefix("region"): r for r in regions}


def unknown_area(name: str, registry: Registry) -> str:
    """What an import says of an area it does not know, with the closest name if there is one."""
    suggestion = classify_area(name, registry).suggestion
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    return f"{shown(name)} is not a known municipality{hint}"
