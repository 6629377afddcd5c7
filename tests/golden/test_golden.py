"""The small site, file by file, as the golden copy in tests/golden/site/ has it: an unintended
change to any page, download or spec shows as a diff.

The copy is the `plain_site` fixture (tests/fixtures/small with its own reference data, the
stand-in pictures of tests/stand_in.py, so it is small and does not change with vl-convert).
Text files are kept whole; PNG and Excel files by their SHA-256 in `binary.sha256`; `assets/`
is not copied (the build copies the project's assets/ verbatim, which is checked instead).

After an intended change, refresh the copy and review its diff before committing:

    python3 -m pytest tests/golden --update-golden
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from samtaletjek.settings import Settings

HERE = Path(__file__).parent
GOLDEN = HERE / "site"
HASHES = HERE / "binary.sha256"
BINARY = (".png", ".xlsx")
SHOWN = 5  # files whose diff the failure shows
LINES = 40  # lines of each diff shown


def site_files(root: Path) -> list[str]:
    """Every file of a built site but its verbatim assets, as sorted relative paths."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != "assets"
    )


def hashes(root: Path, paths: list[str]) -> str:
    """`sha256  path` lines for the binary files among `paths`."""
    return "".join(
        f"{hashlib.sha256((root / p).read_bytes()).hexdigest()}  {p}\n"
        for p in paths
        if p.endswith(BINARY)
    )


def readable(path: str, content: bytes) -> list[str]:
    """The lines a diff shows: JSON indented, so a change in one value is one line."""
    text = content.decode("utf-8")
    if path.endswith(".json"):
        with contextlib.suppress(json.JSONDecodeError):
            text = json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True)
    return text.splitlines()


def differences(built: Path) -> list[str]:
    """What differs between `built` and the golden copy, as readable lines (none if equal)."""
    files = site_files(built)
    text = [p for p in files if not p.endswith(BINARY)]
    golden = site_files(GOLDEN)
    report = [f"missing from the build: {p}" for p in sorted(set(golden) - set(text))]
    report += [f"not in the golden copy: {p}" for p in sorted(set(text) - set(golden))]
    changed = [
        p
        for p in sorted(set(text) & set(golden))
        if (built / p).read_bytes() != (GOLDEN / p).read_bytes()
    ]
    report += [f"changed: {p}" for p in changed]
    expected, found = HASHES.read_text(encoding="utf-8").splitlines(), hashes(built, files)
    diff = list(difflib.unified_diff(expected, found.splitlines(), lineterm="", n=0))
    report += [f"binary files differ: {line}" for line in diff[2:] if line[0] in "+-"]
    for p in changed[:SHOWN]:
        diff = difflib.unified_diff(
            readable(p, (GOLDEN / p).read_bytes()),
            readable(p, (built / p).read_bytes()),
            f"golden/{p}",
            f"built/{p}",
            lineterm="",
        )
        lines = list(diff)
        report += ["", *lines[:LINES]]
        if len(lines) > LINES:
            report.append(f"… {len(lines) - LINES} more lines")
    if len(changed) > SHOWN:
        report.append(f"… and {len(changed) - SHOWN} more changed files")
    return report


def refresh(built: Path) -> int:
    """Replace the golden copy with `built`; return how many files were written."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    files = site_files(built)
    for p in files:
        if not p.endswith(BINARY):
            (GOLDEN / p).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built / p, GOLDEN / p)
    HASHES.write_text(hashes(built, files), encoding="utf-8")
    return len(files)


def test_the_small_site_is_as_the_golden_copy_has_it(plain_site: Path, request):
    if request.config.getoption("--update-golden"):
        pytest.skip(f"golden copy refreshed: {refresh(plain_site)} files; review `git diff`")
    report = differences(plain_site)
    if report:
        pytest.fail(
            "the small site differs from tests/golden/site (if intended: "
            "python3 -m pytest tests/golden --update-golden, then review the diff):\n"
            + "\n".join(report),
            pytrace=False,
        )


def test_the_assets_are_published_as_they_are(plain_site: Path):
    source = Settings().assets_dir
    expected = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    published = plain_site / "assets"
    files = [p for p in published.rglob("*") if p.is_file()]
    assert sorted(p.relative_to(published).as_posix() for p in files) == expected
    for path in expected:
        assert (published / path).read_bytes() == (source / path).read_bytes(), path
