"""One Settings object: defaults in code, overrides from `site.toml`, then from the command line."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The program's own files (templates, content, assets, reference data) live beside the package,
# so the build works from any working directory; data and output are relative to it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    title: str = "Samtaletjek"
    # Path prefix every link starts with: "/" at a domain's root, "/samtaletjek/" on GitHub Pages.
    base_url: str = "/"
    # Scheme and host for canonical links, Open Graph and the sitemap; empty = path-only links.
    site_url: str = ""
    data_dir: Path = Path("site_data")
    out_dir: Path = Path("output")
    # Rendered charts, kept under the hash of their spec; delete the folder to start cold.
    cache_dir: Path = Path(".cache/charts")
    reference_dir: Path = PROJECT_ROOT / "site_data" / "reference"
    content_dir: Path = PROJECT_ROOT / "content"
    templates_dir: Path = PROJECT_ROOT / "templates"
    assets_dir: Path = PROJECT_ROOT / "assets"
    # The month changes are measured against: the minister's first letter (29 January 2018).
    reference_month: str = "2018-01"
    # "Markant under" follows STAR's own follow-up rule: below 80 % six months running,
    # counting only months with at least 10 persons.
    flag_threshold_pct: float = 80.0
    flag_months: int = 6
    min_persons: int = 10
    headline_group: str = "dagpenge"

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
        if not _PERIOD.match(self.reference_month):
            raise UserError(f"setting reference_month: {self.reference_month!r} is not YYYY-MM")
        if not 0 < self.flag_threshold_pct <= 100:
            raise UserError("setting flag_threshold_pct: must be between 0 and 100")
        if self.flag_months < 1 or self.min_persons < 1:
            raise UserError("settings flag_months and min_persons: must be at least 1")


def load_settings(path: Path | None = None, **overrides: object) -> Settings:
    """Return Settings from defaults, the TOML file at `path` (if it exists) and `overrides`.

    Overrides whose value is None are ignored, so CLI options that were not given fall through.
    """
    values: dict[str, object] = {}
    if path is not None and path.exists():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{path}: not valid TOML: {exc}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise UserError(f"{path}: unknown setting(s): {', '.join(unknown)}")
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except TypeError as exc:
        raise UserError(f"{path}: {exc}") from None
