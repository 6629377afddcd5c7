"""The command line: a thin shell over the build, check and data functions."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import build as site_build
from . import demo
from .errors import UserError
from .registry import load_registry
from .settings import PROJECT_ROOT, Settings, load_settings
from .sources.canonical import MANIFEST_FILE, read_manifest, write_canonical, write_manifest

CONFIG = Path("site.toml")

data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory with samtaler.csv and manifest.json (default: site_data/).",
)
config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG,
    show_default=True,
    help="Settings file; missing is fine, defaults apply.",
)


def _settings(config: Path, **overrides: object) -> Settings:
    return load_settings(config, **overrides)


def _default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@click.group()
@click.version_option(package_name="samtaletjek")
def cli() -> None:
    """Samtaletjek: build the static site on municipalities' job conversations.

    Example:

        python build.py demo-data && python build.py build
    """


@cli.command()
@data_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: output/). Replaced only when the build succeeds.",
)
@click.option(
    "--base-url",
    default=None,
    help="Path prefix of every link, e.g. /samtaletjek/ for a GitHub Pages project site.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for chart rendering (default: all cores).",
)
@click.option("--no-cache", is_flag=True, help="Render every chart again (a cold build).")
@config_option
def build(
    data_dir: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    jobs: int | None,
    no_cache: bool,
    config: Path,
) -> None:
    """Build the site from the data directory into the output directory.

    Example:

        python build.py build --base-url /samtaletjek/ --out output
    """
    settings = _settings(config, data_dir=data_dir, out_dir=out_dir, base_url=base_url)
    report = site_build.build(
        settings,
        jobs or _default_jobs(),
        progress=lambda line: click.echo(f"  {line}", err=True),
        use_cache=not no_cache,
    )
    total = sum(report.seconds.values())
    click.echo(
        f"Built {report.pages} pages with {report.charts} charts ({report.rendered} rendered), "
        f"{report.files} files "
        f"({report.bytes / 1e6:.1f} MB) into {settings.out_dir} in {total:.1f} s."
    )


@cli.command()
@data_option
@config_option
def check(data_dir: Path | None, config: Path) -> None:
    """Validate the data directory without building; exit 1 listing every problem.

    Example:

        python build.py check --data site_data
    """
    settings = _settings(config, data_dir=data_dir)
    registry = load_registry(settings.reference_dir)
    frame, manifest = site_build.load_data(settings, registry)
    periods = sorted(frame["period"].unique())
    kind = "demo data" if manifest.demo else "data"
    click.echo(
        f"OK: {len(frame)} rows of {kind}, {periods[0]} to {periods[-1]}, "
        f"{frame['municipality_code'].nunique()} municipalities, "
        f"{frame['target_group'].nunique()} target groups."
    )


@cli.command("demo-data")
@data_option
@click.option("--force", is_flag=True, help="Replace real (non-demo) data too.")
@config_option
def demo_data(data_dir: Path | None, force: bool, config: Path) -> None:
    """Write the deterministic demo dataset (2017-01 to 2026-10) into the data directory.

    Example:

        python build.py demo-data --data site_data
    """
    settings = _settings(config, data_dir=data_dir)
    target = settings.data_dir
    if (target / MANIFEST_FILE).exists() and not force and not read_manifest(target).demo:
        raise UserError(
            f"{target / MANIFEST_FILE}: the directory holds real data; "
            "demo data would replace it. Use --force, or --data to choose another directory."
        )
    registry = load_registry(settings.reference_dir)
    frame = demo.generate(registry)
    write_canonical(frame, target)
    write_manifest(demo.demo_manifest(), target)
    click.echo(f"Wrote {len(frame)} rows of demo data ({demo.START} to {demo.END}) to {target}.")


@cli.command("vendor")
def vendor() -> None:
    """Regenerate the vendored Vega/Vega-Lite/vega-embed bundle from vl-convert.

    Example:

        python build.py vendor
    """
    import vl_convert as vlc

    path = PROJECT_ROOT / "assets" / "vendor" / "vega-embed.bundle.js"
    path.write_text(vlc.javascript_bundle(), encoding="utf-8")
    click.echo(
        f"Wrote {path} (vega-embed {vlc.get_vega_embed_version()}, vega {vlc.get_vega_version()})."
    )
