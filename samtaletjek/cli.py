"""The command line: a thin shell over the build, check and data functions."""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from pathlib import Path

import click

# The build, the store and the ingest import pandas and Altair (most of a second): each
# command imports what it uses, so `build` with nothing changed is skipped without them.
from .errors import DATA_PROBLEM, DataErrors, UserError
from .publish import fingerprint
from .settings import PACKAGE, SETTINGS_FILE, Settings, find_project, project_settings

data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory with samtaler.csv and manifest.json (default: site_data/).",
)
project_option = click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Project folder: its site.toml, and its site_data/ and output/ unless site.toml says "
    "otherwise (default: the nearest folder from here up that holds site.toml, else here).",
)
config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: site.toml in the project folder); missing is fine, defaults "
    "apply.",
)


def settings_options(command: click.Command) -> click.Command:
    """--project and --config: where a command's settings come from."""
    return project_option(config_option(command))


def _default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _ChartProgress:
    """A progress bar for chart rendering on a terminal; nothing in CI logs, which get one line
    per stage instead."""

    def __init__(self) -> None:
        self.bar = None

    def __enter__(self):  # noqa: ANN204
        return self if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="  rendering charts", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)
        if done == total:  # finish the bar before the next stage's line is printed
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


# Faults of the machine, not of the program: a full disk, a read-only or forbidden folder.
# Each is one line naming the file; what the command was writing was not put in place.
_STORAGE_FAULTS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EMFILE,
    errno.ENFILE,
    errno.EIO,
}


class _Commands(click.Group):
    """The command group: storage faults become one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno not in _STORAGE_FAULTS:
                raise
            where = exc.filename or "a file"
            raise UserError(
                f"{where}: cannot write ({exc.strerror}); nothing was replaced"
            ) from None


@click.group(cls=_Commands)
@click.version_option(package_name="samtaletjek")
def cli() -> None:
    """Samtaletjek: build the static site on municipalities' job conversations.

    Example:

        python build.py demo-data && python build.py build
    """
    # Stopped by SIGTERM (a CI job cancelled, `kill`), a command ends as if Ctrl-C had been
    # pressed: its clean-up runs (worker processes killed, half-written files removed) and
    # nothing it had not finished is left in place.
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: output/). Replaced only when the build succeeds.",
)
base_url_option = click.option(
    "--base-url",
    default=None,
    help="Path prefix of every link, e.g. /samtaletjek/ for a GitHub Pages project site.",
)


@cli.command()
@data_option
@out_option
@base_url_option
@click.option(
    "--site-url",
    default=None,
    help="Scheme and host for canonical links, feeds and the sitemap, e.g. https://x.github.io.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for chart rendering (default: all cores).",
)
@click.option("--no-cache", is_flag=True, help="Render every chart again (a cold build).")
@settings_options
def build(
    data_dir: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    site_url: str | None,
    jobs: int | None,
    no_cache: bool,
    project: Path | None,
    config: Path | None,
) -> None:
    """Build the site from the data directory into the output directory.

    Example:

        python build.py build --base-url /samtaletjek/ --out output
    """
    start = time.perf_counter()
    settings = project_settings(
        project, config, data_dir=data_dir, out_dir=out_dir, base_url=base_url, site_url=site_url
    )
    if not no_cache and fingerprint.unchanged_build(settings):  # as site_build.build would say
        seconds = time.perf_counter() - start
        click.echo(f"Nothing changed since the last build of {settings.out_dir} ({seconds:.1f} s).")
        return
    from . import build as site_build

    with _ChartProgress() as tick:
        report = site_build.build(
            settings,
            jobs or _default_jobs(),
            progress=lambda line: click.echo(f"  {line}", err=True),
            use_cache=not no_cache,
            tick=tick,
        )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    total = sum(report.seconds.values())
    if report.skipped:
        click.echo(f"Nothing changed since the last build of {settings.out_dir} ({total:.1f} s).")
        return
    click.echo(
        f"Built {report.pages} pages with {report.charts} charts ({report.rendered} rendered), "
        f"{report.files} files "
        f"({report.bytes / 1e6:.1f} MB) into {settings.out_dir} in {total:.1f} s."
    )


@cli.command()
@data_option
@settings_options
def check(data_dir: Path | None, project: Path | None, config: Path | None) -> None:
    """Validate the data directory without building; exit 1 listing every problem.

    Example:

        python build.py check --data site_data
    """
    from . import build as site_build
    from .domain.metrics import unruled

    settings = project_settings(project, config, data_dir=data_dir)
    registry, _, (frame, manifest, releases, _context), content, *_ = site_build.read_inputs(
        settings
    )
    click.echo(site_build.summary(registry, frame, manifest, len(releases), len(content)))
    for gap in unruled(frame, registry):
        click.echo(f"warning: {gap.warning}", err=True)


@cli.command("demo-data")
@data_option
@click.option("--force", is_flag=True, help="Replace real (non-demo) data too.")
@settings_options
def demo_data(
    data_dir: Path | None, force: bool, project: Path | None, config: Path | None
) -> None:
    """Write the deterministic demo dataset (2017-01 to 2026-10) into the data directory.

    The real figures of an indicator (and ledighed.csv) stay as they are; only the other
    indicators get demo figures. --force replaces everything.

    Example:

        python build.py demo-data --data site_data
    """
    from .ingest import demo
    from .ingest.importer import write_demo
    from .store.reference import load_registry

    settings = project_settings(project, config, data_dir=data_dir)
    target = settings.data_dir
    registry = load_registry(settings.reference_dir)
    out = write_demo(target, registry, force=force, lock_timeout=settings.lock_timeout)
    click.echo(f"Wrote {out.generated} rows of demo data ({demo.START} to {demo.END}) to {target}.")
    if out.kept:
        click.echo(f"Kept the real figures of {', '.join(out.kept)}.")


@cli.command()
@data_option
@out_option
@base_url_option
@click.option("--port", type=int, default=8000, show_default=True, help="0: any free port.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the web browser.")
@settings_options
def serve(
    data_dir: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    port: int,
    host: str,
    open_browser: bool,
    project: Path | None,
    config: Path | None,
) -> None:
    """Build and serve the site under its base URL, as GitHub Pages would; rebuild it and
    reload the browser when content, templates, assets, data or settings change (an edit of
    a content page's text or of an asset rewrites only that file).

    Example:

        python build.py serve --base-url /samtaletjek/ --open
    """
    import webbrowser

    from .preview import Preview
    from .publish import serve as serve_module

    def settings() -> Settings:
        return project_settings(
            project, config, data_dir=data_dir, out_dir=out_dir, base_url=base_url
        )

    def say(line: str) -> None:
        click.echo(line, err=True)

    toml = config or (project or find_project(Path.cwd())) / SETTINGS_FILE
    site = Preview(settings, _default_jobs(), say)
    try:
        # Builds run here, in the main thread, so a stop signal ends them like any build.
        serve_module.run(
            site,
            [*site.folders, toml],
            site.settings.out_dir,
            site.settings.base_url,
            (host, port),
            say,
            open_browser=webbrowser.open if open_browser else None,
        )
    except KeyboardInterrupt:
        click.echo("stopped")


@cli.command("vendor")
def vendor() -> None:
    """Regenerate the vendored Vega/Vega-Lite/vega-embed bundle from vl-convert.

    Example:

        python build.py vendor
    """
    import vl_convert as vlc

    path = PACKAGE / "assets" / "vendor" / "vega-embed.bundle.js"
    path.write_text(vlc.javascript_bundle(), encoding="utf-8")
    click.echo(
        f"Wrote {path} (vega-embed {vlc.get_vega_embed_version()}, vega {vlc.get_vega_version()})."
    )


date_option = click.option(
    "--date",
    default=None,
    help="Import date YYYY-MM-DD for the release log, not after today (default: "
    "SOURCE_DATE_EPOCH, else today).",
)


def _echo_summary(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


allow_missing_option = click.option(
    "--allow-missing",
    is_flag=True,
    help="Let the import make published figures missing (e.g. counts STAR now suppresses); "
    "each is listed. Without it such an import is refused.",
)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_option
@click.option(
    "--target-group",
    default=None,
    help="Target group id for files that do not say, e.g. dagpenge.",
)
@click.option("--period", default=None, help="Month YYYY-MM for files that do not say.")
@click.option(
    "--retrieved",
    default=None,
    help="The day YYYY-MM-DD the figures were taken from jobindsats.dk, for the manifest "
    "(default: the import date).",
)
@allow_missing_option
@date_option
@settings_options
def import_command(
    files: tuple[Path, ...],
    data_dir: Path | None,
    target_group: str | None,
    period: str | None,
    retrieved: str | None,
    allow_missing: bool,
    date: str | None,
    project: Path | None,
    config: Path | None,
) -> None:
    """Import STAR statement workbooks (.xlsx) or jobindsats JSON/CSV files into the data.

    New rows are added, changed figures recorded as revisions in releases.json; bad input
    changes nothing and exits with 1, one line per problem.

    Example:

        python build.py import samtaler-juni-2018.xlsx --data site_data
    """
    from .ingest import importer
    from .ingest.dates import import_date
    from .store.reference import load_registry

    settings = project_settings(project, config, data_dir=data_dir)
    registry = load_registry(settings.reference_dir)
    summary = importer.import_files(
        files,
        settings.data_dir,
        registry,
        today=import_date(date),
        target_group=target_group,
        period=period,
        lock_timeout=settings.lock_timeout,
        allow_missing=allow_missing,
        retrieved=retrieved,
    )
    _echo_summary(summary.lines())


@cli.command()
@data_option
@click.option(
    "--api-url",
    default=None,
    help="API base, ending in /v3 (default: https://api.jobindsats.dk/v3).",
)
@click.option(
    "--list",
    "list_tables",
    is_flag=True,
    help="Only list the catalogue's candidate tables of every indicator and what each would fill.",
)
@allow_missing_option
@date_option
@settings_options
def fetch(
    data_dir: Path | None,
    api_url: str | None,
    list_tables: bool,
    allow_missing: bool,
    date: str | None,
    project: Path | None,
    config: Path | None,
) -> None:
    """Download the tables of every indicator (samtaler, tilbud, aktivering, and passivandel
    where the catalogue has a table of it) from jobindsats.dk's API v3 and import them.

    Without [[fetch_tables]] in site.toml the tables are found in the catalogue by what their
    names, measures and groups say; what was chosen, and why, is printed first. A July 2026
    scan of the v3 catalogue found no passivandel table: where none is found, that is a note,
    and passivandel is imported from a file that holds it. The API key is read from the
    environment variable JOBINDSATS_TOKEN. Exits with 0 and "No new data" when nothing
    changed, with 1 (one line on stderr) when nothing fits or the API fails, with 3 when the
    answer cannot be imported (e.g. a target group label the reference data lack).

    Example:

        JOBINDSATS_TOKEN=... python build.py fetch --list
    """
    from .ingest import api as jobindsats_api
    from .ingest import fetch as jobindsats
    from .ingest.dates import import_date
    from .ingest.fetch_list import list_lines
    from .store.reference import load_registry

    token = os.environ.get(jobindsats_api.TOKEN_VARIABLE, "").strip()
    if not token:
        raise UserError(
            f"set the environment variable {jobindsats_api.TOKEN_VARIABLE} to your jobindsats.dk "
            "API v3 key (see README, 'Publicér rigtige tal')"
        )
    jobindsats_api.check_token(token)
    settings = project_settings(project, config, data_dir=data_dir, api_url=api_url)
    registry = load_registry(settings.reference_dir)

    def say(line: str) -> None:  # every line the user sees goes through the redaction
        click.echo(jobindsats_api.redact(line, token))

    try:
        if list_tables:
            lines = list_lines(jobindsats.list_survey(settings, registry, token))
        else:
            today = import_date(date)
            lines = jobindsats.fetch(
                settings, registry, token, today=today, say=say, allow_missing=allow_missing
            ).lines()
    except click.ClickException as exc:
        if isinstance(exc, DataErrors):  # the answer itself: the workflow fails on it
            exc.exit_code = DATA_PROBLEM
        raise jobindsats_api.redact_error(exc, token) from None
    for line in lines:
        say(line)
