"""One Settings object: defaults in code, overrides from `site.toml`, then from the command line."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, DataErrors, UserError

# The program's own files (templates, default content, assets, reference data) are inside the
# package, so an installed program finds them wherever it is run from.
PACKAGE = Path(__file__).resolve().parent
# The settings file a project folder is known by (`find_project`).
SETTINGS_FILE = "site.toml"


@dataclass(frozen=True)
class FetchTable:
    """One jobindsats.dk API v3 table pinned in site.toml (`[[fetch_tables]]`).

    Without any, `fetch` finds the tables of every indicator itself from the catalogue. A
    pinned table needs only its `id`; `indicator` says what it is read as (samtaler, tilbud or
    passivandel; default samtaler; the same id may be pinned once per indicator), and
    everything else given here overrides what `fetch` would read from the table's labels:
    measures by id or label, `groups` from a dimension's values (label or id) to target group
    ids of the indicator, or one `target_group` for the whole table, `area` the kommune
    hierarchy, and `filters` a selection (`hierarchy.<id>=<value>`) for other dimensions.
    """

    id: str
    indicator: str = "samtaler"  # samtaler, tilbud or passivandel
    target_group: str = ""
    persons: str = ""  # the measure with the number of persons (id or label)
    persons_meeting: str = ""  # … the number counted: who had the samtaler, an offer, …
    share: str = ""  # … the share (pct.) of them
    mean_conversations: str = ""
    groups: tuple[tuple[str, str], ...] = ()  # dimension value → target group id
    area: str = ""  # the kommune hierarchy id, e.g. "_nykom"
    filters: tuple[tuple[str, str], ...] = ()  # hierarchy id → selection, e.g. ("_kon", "/")

    @property
    def measures(self) -> dict[str, str]:
        """Canonical column → measure id or label, for the measures pinned here."""
        return {
            column: name
            for column, name in (
                ("persons", self.persons),
                ("persons_meeting", self.persons_meeting),
                ("share_pct", self.share),
                ("mean_conversations", self.mean_conversations),
            )
            if name
        }


def _fetch_table(raw: object, n: int) -> FetchTable:
    where = f"setting fetch_tables[{n}]"
    if isinstance(raw, FetchTable):
        return raw
    if not isinstance(raw, dict):
        raise UserError(f"{where}: must be a table ([[fetch_tables]] in site.toml)")
    known = {f.name for f in dataclasses.fields(FetchTable)}
    if unknown := sorted(set(raw) - known):
        raise UserError(f"{where}: unknown key(s): {', '.join(unknown)}")
    if not isinstance(raw.get("id"), str) or not raw["id"].strip():
        raise UserError(f'{where}: id is required (a table id such as "y14ti01")')
    pairs = {}
    examples = {"groups": '{ "A-dagpenge" = "dagpenge" }', "filters": '{ _kon = "/" }'}
    for key, example in examples.items():
        value = raw.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise UserError(f"{where}: {key} must be a table of texts, e.g. {example}")
        pairs[key] = tuple(sorted(value.items()))
    for key in set(raw) - {"groups", "filters"}:
        if not isinstance(raw[key], str):
            raise UserError(f"{where}: {key} must be a text")
    return FetchTable(
        **{k: v.strip() for k, v in raw.items() if k not in pairs},
        **pairs,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Settings:
    title: str = "Samtaletjek"
    # Path prefix every link starts with: "/" at a domain's root, "/samtaletjek/" on GitHub Pages.
    base_url: str = "/"
    # Scheme and host for canonical links, Open Graph and the sitemap; empty = path-only links.
    site_url: str = ""
    # Folders: a relative one (here or in site.toml) is in the project folder (`load_settings`).
    data_dir: Path = Path("site_data")
    out_dir: Path = Path("output")
    # Rendered charts, kept under the hash of their spec; delete the folder to start cold.
    cache_dir: Path = Path(".cache/charts")
    reference_dir: Path = PACKAGE / "reference"
    content_dir: Path = PACKAGE / "content"
    templates_dir: Path = PACKAGE / "templates"
    assets_dir: Path = PACKAGE / "assets"
    # Below this many persons a figure is marked "Få personer" and not ranked. The rules a
    # month is held against ("under grænsen") are data: samtaletjek/reference/maalgrupper.toml.
    min_persons: int = 10
    headline_group: str = "dagpenge"
    # Population band limits for "lignende kommuner" (peers by size), from population.csv.
    peer_bands: tuple[int, ...] = (20_000, 40_000, 60_000, 100_000)
    # python build.py fetch: the jobindsats.dk API v3. The key comes from the environment
    # variable JOBINDSATS_TOKEN, never from a file.
    api_url: str = "https://api.jobindsats.dk/v3"
    # Seconds to wait for an answer (large v3 queries are slow); one request, body included,
    # may take 3 × this, and a whole fetch 20 × this (ingest/api.py).
    fetch_timeout: float = 90.0
    fetch_retries: int = 3  # further attempts after a 5xx or 403, a timeout, a cut-off answer
    fetch_backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    fetch_months: int = 12  # the latest months asked for (fewer if a table has fewer)
    fetch_tables: tuple[FetchTable, ...] = ()  # empty: found in the catalogue
    # Seconds an import, fetch or build waits for another that is writing the data directory.
    lock_timeout: float = 60.0

    def __post_init__(self) -> None:
        base = self.base_url if self.base_url.startswith("/") else "/" + self.base_url
        object.__setattr__(self, "base_url", base if base.endswith("/") else base + "/")
        object.__setattr__(self, "site_url", self.site_url.rstrip("/"))
        for name in (
            "data_dir",
            "out_dir",
            "cache_dir",
            "reference_dir",
            "content_dir",
            "templates_dir",
            "assets_dir",
        ):
            object.__setattr__(self, name, Path(getattr(self, name)))
        if self.min_persons < 1:
            raise UserError("setting min_persons: must be at least 1")
        object.__setattr__(self, "api_url", self.api_url.rstrip("/"))
        if self.lock_timeout < 0:
            raise UserError("setting lock_timeout: must be 0 or more seconds")
        if self.fetch_timeout <= 0 or self.fetch_retries < 0 or self.fetch_backoff < 0:
            raise UserError(
                "settings fetch_timeout, fetch_retries, fetch_backoff: must be positive"
            )
        if self.fetch_months < 1:
            raise UserError("setting fetch_months: must be at least 1")
        object.__setattr__(
            self,
            "fetch_tables",
            tuple(_fetch_table(t, n) for n, t in enumerate(self.fetch_tables, start=1)),
        )


# What each setting must be, for site.toml: a problem is one line naming the setting.
_TEXT = ("title", "base_url", "site_url", "headline_group", "api_url")
_PATHS = (
    "data_dir",
    "out_dir",
    "cache_dir",
    "reference_dir",
    "content_dir",
    "templates_dir",
    "assets_dir",
)
_WHOLE = ("min_persons", "fetch_retries", "fetch_months")
_NUMBERS = ("fetch_timeout", "fetch_backoff", "lock_timeout")


def _type_problems(values: dict[str, object]) -> list[str]:
    """One line for each setting of the wrong type; ranges are checked by `Settings`."""
    problems = []
    for name, value in values.items():
        if name in _TEXT or name in _PATHS:
            ok = isinstance(value, str | Path)
            wanted = 'a text in quotes, e.g. "…"' if name in _TEXT else "a folder path in quotes"
        elif name in _WHOLE:
            ok = isinstance(value, int) and not isinstance(value, bool)
            wanted = "a whole number without quotes, e.g. 10"
        elif name in _NUMBERS:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            ok = ok and math.isfinite(value)
            wanted = "a number without quotes, e.g. 90"
        elif name == "peer_bands":
            ok = isinstance(value, list | tuple) and all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
            )
            ok = ok and list(value) == sorted(set(value))
            wanted = "a list of rising population limits, e.g. [20000, 40000, 60000, 100000]"
        elif name == "fetch_tables":
            ok = isinstance(value, list | tuple)
            wanted = "tables written [[fetch_tables]]"
        else:
            continue
        if not ok:
            problems.append(f"setting {name}: {value!r} is not {wanted}")
    return problems


def find_project(start: Path) -> Path:
    """Return the project folder: the nearest of `start` and its parents that holds site.toml,
    else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return start


def project_settings(project: Path | None, config: Path | None, **overrides: object) -> Settings:
    """Return the settings of a command: of the project folder (`project`, else the one found
    from the working directory), read from `config` or the project's site.toml."""
    if project is None:
        here = Path.cwd()
        found = find_project(here)
        project = Path() if found == here else found  # here: paths stay short in messages
    path = config if config is not None else project / SETTINGS_FILE
    return load_settings(path, project, **overrides)


def load_settings(path: Path | None = None, root: Path = Path(), **overrides: object) -> Settings:
    """Return Settings from defaults, the TOML file at `path` (if it exists) and `overrides`.

    A relative folder of the defaults or of the file is taken as in the project folder `root`;
    the overrides are the command line's, whose folders are as given (from the working
    directory). Overrides whose value is None are ignored, so options not given fall through.
    """
    values: dict[str, object] = {}
    if path is not None and path.exists():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{path}: not valid TOML: {exc}") from None
        except OSError as exc:
            raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - known)
    if "reference_month" in unknown:
        raise UserError(
            f"{path}: setting reference_month is no longer used: every change is measured over "
            "the last 12 months, or since the rule changed in them; remove the line"
        )
    if unknown:
        raise UserError(f"{path}: unknown setting(s): {', '.join(unknown)}")
    where = str(path) if path is not None else "settings"
    problems = _type_problems(values)
    if problems:
        raise DataErrors([DataError(where, None, None, problem) for problem in problems])
    given = {k for k, v in overrides.items() if v is not None}
    defaults = {f.name: f.default for f in dataclasses.fields(Settings)}
    for name in _PATHS:
        if name not in given:
            values[name] = root / Path(values.get(name, defaults[name]))  # type: ignore[arg-type]
    if "peer_bands" in values:
        values["peer_bands"] = tuple(values["peer_bands"])  # type: ignore[arg-type]
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except (TypeError, UserError) as exc:
        message = exc.message if isinstance(exc, UserError) else str(exc)
        raise UserError(f"{where}: {message}") from None
