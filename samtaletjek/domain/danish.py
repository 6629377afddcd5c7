"""Danish text: numbers, months and dates independent of the machine's locale, the Danish
sort order, and folding names for matching and URLs."""

from __future__ import annotations

import math
import re
import unicodedata

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MISSING = "–"


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))  # NaN/NA
    except TypeError:  # pandas.NA refuses bool()
        return True


def number(value: float | int | None, decimals: int = 0) -> str:
    """Return `1.234,5`-style text; missing values become "–"."""
    if _missing(value):
        return MISSING
    rounded = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pct(value: float | None, decimals: int = 1) -> str:
    """Return a share as `45,3 %`."""
    text = number(value, decimals)
    return text if text == MISSING else f"{text} %"


def pp(value: float | None, decimals: int = 1) -> str:
    """Return a change in percentage points with its sign: `+2,5 procentpoint`, `−1,0
    procentpoint` (one word, so a line never breaks inside it)."""
    if _missing(value):
        return MISSING
    rounded = round(float(value), decimals)
    if rounded == 0:
        return f"{number(0, decimals)} procentpoint"
    sign = "+" if rounded > 0 else "−"
    return f"{sign}{number(abs(rounded), decimals)} procentpoint"


def month(period: str) -> str:
    """Return `juni 2018` for `2018-06`."""
    return f"{MONTHS[int(period[5:7]) - 1]} {period[:4]}"


def month_span(start: str, end: str) -> str:
    """Return `marts–juni 2026`, `november 2025–februar 2026` or `marts 2026` (one month)."""
    if start == end:
        return month(start)
    if start[:4] == end[:4]:
        return f"{MONTHS[int(start[5:7]) - 1]}–{month(end)}"
    return f"{month(start)}–{month(end)}"


def date(iso: str) -> str:
    """Return `2. november 2026` for `2026-11-02`."""
    year, mon, day = iso[:10].split("-")
    return f"{int(day)}. {MONTHS[int(mon) - 1]} {year}"


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def sort_key(name: str) -> str:
    """Return a sort key that puts æ, ø, å after z, as Danish readers expect."""
    return name.lower().replace("aa", "å").translate(_DANISH_ORDER)


_SLUG_MAP = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slugify(name: str) -> str:
    """Return the URL slug of a Danish name: `Høje-Taastrup` → `hoeje-taastrup`."""
    text = name.lower().translate(_SLUG_MAP)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def fold(text: str) -> str:
    """Return text folded for matching: lower case, æøå spelled out, accents and spacing gone."""
    return slugify(text).replace("-", "")


def count(n: int | None, singular: str, plural: str) -> str:
    """Return "1 person", "2 personer", "1.234 personer"; a missing count is "–"."""
    if _missing(n):
        return MISSING
    return f"{number(n)} {singular if int(n) == 1 else plural}"


def more_or_fewer(diff: int) -> str:
    """Return "1 mere", "3 flere", "2 færre" or "samme antal" for a change in a count."""
    if diff == 0:
        return "samme antal"
    if diff > 0:
        return f"{number(diff)} {'mere' if diff == 1 else 'flere'}"
    return f"{number(-diff)} færre"


# Where Danish compounds of the site's vocabulary may break, so a narrow card breaks
# "kontanthjælps-modtagere" at a joint instead of "kontanthjælpsmodtager-e".
_JOINTS = (
    ("kontanthjælps", "modtagere"),
    ("uddannelseshjælps", "modtagere"),
    ("sygedagpenge", "modtagere"),
    ("dagpenge", "modtagere"),
    ("ledighedsydelses", "modtagere"),
    ("uddannelses", "hjælps"),
    ("kontant", "hjælps"),
    ("uddannelses", "parate"),
    ("aktivitets", "parate"),
    ("jobafklarings", "forløb"),
    ("ressource", "forløb"),
    ("syge", "dagpenge"),
)
_SHY = "\u00ad"


def soft_hyphens(text: str) -> str:
    """Return `text` with soft hyphens at the joints of long compounds (shown only at a break)."""
    for left, right in _JOINTS:
        text = re.sub(f"({left})({right})", rf"\1{_SHY}\2", text, flags=re.IGNORECASE)
    return text
