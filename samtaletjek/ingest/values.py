"""Pure: a source's cells and labels → canonical values: numbers, months, target groups and
what an area name is (a municipality, the country, a region, a note)."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
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
            why[label] = "not one of the target groups"
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
    if region_named(text, registry) or f.startswith(("region", "amk")):
        return Area("region")
    if f in _NOT_MUNICIPALITIES:
        return Area("other")
    names = {fold(n): m.name for m in registry.municipalities for n in (m.name, *m.aliases)}
    close = difflib.get_close_matches(f.removesuffix("kommune"), list(names), n=1, cutoff=0.6)
    return Area("unknown", suggestion=names[close[0]] if close else "")


def region_named(name: str, registry: Registry) -> str | None:
    """Return the region an area name means ("Region Sjælland", "Sjælland"), or None."""
    names = {fold(r): r for r in registry.regions}
    names |= {fold(r).removeprefix("region"): r for r in registry.regions}
    return names.get(fold(name))
