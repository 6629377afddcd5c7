"""The "nothing changed" skip without a build: the output compared by stat, the skip asked
before the build is imported, with the build's own hash of the inputs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from samtaletjek.publish import draw, fingerprint
from samtaletjek.settings import project_settings

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"
# Run the command line as `build.py build` does, then say which heavy libraries it imported.
CLI = """
import sys
from samtaletjek.cli import cli
try:
    cli(["build", "--project", sys.argv[1]])
finally:
    print(sorted(m for m in ("pandas", "altair", "jinja2") if m in sys.modules))
"""


def site(root: Path) -> Path:
    """A small stand-in for a built site: a few files in folders."""
    (root / "kommune" / "varde").mkdir(parents=True)
    (root / "index.html").write_text("<p>Forsiden</p>", encoding="utf-8")
    (root / "kommune" / "varde" / "index.html").write_text("<p>Varde</p>", encoding="utf-8")
    (root / "kommune" / "varde" / "tal.json").write_text("{}", encoding="utf-8")
    return root


def after_a_tick(path: Path) -> None:
    """Return once a file written now gets a later ctime than `path`'s: the file system's
    clock is coarse (a few ms), and a change within the same tick would look like none."""
    probe = path.with_name(".probe")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        probe.write_bytes(b"")
        later = probe.stat().st_ctime_ns > path.stat().st_ctime_ns
        probe.unlink()
        if later:
            return
    raise AssertionError("the file system's clock did not move in 5 s")


def test_the_output_check_notices_what_a_hand_does_to_a_file(tmp_path: Path):
    out = site(tmp_path / "output")
    page = out / "kommune" / "varde" / "index.html"
    before = fingerprint.output(out)
    assert fingerprint.output(out) == before  # reading changes nothing
    assert fingerprint.output(tmp_path / "none") == ""

    # edited by hand to the same size, and its mtime set back: the ctime tells
    stat = page.stat()
    after_a_tick(page)
    page.write_text("<p>Vejle</p>", encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert page.stat().st_size == stat.st_size and page.stat().st_mtime_ns == stat.st_mtime_ns
    assert fingerprint.output(out) != before

    now = fingerprint.output(out)
    (out / "kommune" / "varde" / "ekstra.html").write_text("", encoding="utf-8")
    assert fingerprint.output(out) != now  # a file added
    (out / "kommune" / "varde" / "ekstra.html").unlink()
    assert fingerprint.output(out) == now
    (out / "kommune" / "varde" / "tal.json").unlink()
    assert fingerprint.output(out) != now  # a file removed


def test_a_skip_needs_the_same_inputs_and_the_output_as_it_was_left(tmp_path: Path):
    out, cache = site(tmp_path / "output"), tmp_path / "cache"
    assert not fingerprint.unchanged(cache, out, "a")  # no build recorded
    fingerprint.remember(cache, out, "a")
    assert fingerprint.unchanged(cache, out, "a")
    assert not fingerprint.unchanged(cache, out, "b")  # other inputs
    after_a_tick(out / "index.html")
    (out / "index.html").write_text("<p>Rettet</p>", encoding="utf-8")  # edited by hand
    assert not fingerprint.unchanged(cache, out, "a")


def test_the_quick_skip_hashes_the_inputs_as_the_build_does(tmp_path: Path):
    from samtaletjek.build import inputs_hash
    from samtaletjek.publish.pictures import VL_CONVERT

    settings = project_settings(tmp_path, None, data_dir=SMALL, reference_dir=SMALL / "reference")
    assert fingerprint.of_settings(settings, draw.RENDERER_VERSION) == inputs_hash(
        settings, VL_CONVERT
    )


def test_build_with_nothing_changed_is_skipped_without_importing_the_build(tmp_path: Path):
    (tmp_path / "site.toml").write_text('title = "Samtaletjek"\n', encoding="utf-8")
    (tmp_path / "site_data").mkdir()
    (tmp_path / "site_data" / "samtaler.csv").write_text("kommune\n", encoding="utf-8")
    site(tmp_path / "output")
    settings = project_settings(tmp_path, None)
    inputs = fingerprint.of_settings(settings, draw.RENDERER_VERSION)
    fingerprint.remember(settings.cache_dir, settings.out_dir, inputs)
    assert fingerprint.unchanged_build(settings)

    done = subprocess.run(
        [sys.executable, "-c", CLI, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"Nothing changed since the last build of {settings.out_dir} (")
    assert lines[-1] == "[]"  # no pandas, Altair or jinja2
    after_a_tick(settings.out_dir / "index.html")
    (settings.out_dir / "index.html").write_text("rettet", encoding="utf-8")
    assert not fingerprint.unchanged_build(settings)
