"""The package's shape: read at the edges, pure in the middle, write once at the end."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "samtaletjek"
PURE = ("domain", "charts", "pages")
EDGES = ("store", "ingest", "publish", "cli", "build")


def imported(path: Path) -> set[str]:
    """The package modules `path` imports, as dotted names below `samtaletjek`."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = here[:-1] if here[-1] != "__init__" else here[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n.removeprefix("samtaletjek.") for n in names if n.startswith("samtaletjek")}


# What each stage may import besides itself: the direction of the two pipelines. The pure
# middle imports no edge; the store knows nothing of pages, charts or the sources.
ALLOWED = {
    "domain": {"errors"},
    "charts": {"domain"},
    "pages": {"domain", "charts"},
    "store": {"domain", "errors"},
    "ingest": {"domain", "errors", "settings", "store"},
    "publish": {"domain", "charts", "pages", "errors", "settings", "store"},
    "settings": {"errors"},
    "errors": set(),
}


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_each_stage_imports_only_what_comes_before_it(stage: str):
    paths = [PACKAGE / f"{stage}.py"] if (PACKAGE / f"{stage}.py").is_file() else []
    paths += sorted((PACKAGE / stage).rglob("*.py")) if (PACKAGE / stage).is_dir() else []
    assert paths, stage
    for path in paths:
        for name in imported(path):
            top = name.split(".")[0]
            if top in (stage, "samtaletjek", "__init__"):
                continue
            assert top in ALLOWED[stage], f"{path.relative_to(PACKAGE)} imports {name}"


@pytest.mark.parametrize("folder", PURE)
def test_the_pure_middle_imports_no_edge(folder: str):
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for name in imported(path):
            assert name.split(".")[0] not in EDGES, f"{path.relative_to(PACKAGE)} imports {name}"


def test_modules_are_small_and_the_top_level_is_short():
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 500, f"{path.relative_to(PACKAGE)} has {lines} lines"
    top = [p for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file()]
    top = [p for p in top if not p.name.startswith("__")]  # the package's own entry points
    assert len(top) <= 12, sorted(p.name for p in top)


def test_every_reader_names_its_source_format():
    readers = [
        p
        for p in (PACKAGE / "ingest" / "readers").glob("*.py")
        if p.stem not in ("__init__", "shapes")
    ]
    readers += [
        PACKAGE / "store" / name
        for name in ("canonical.py", "releases.py", "content.py", "reference.py")
    ]
    for path in readers:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert "Format" in doc or "format" in doc, path.name
        assert "FORMATS.md" not in path.read_text(encoding="utf-8"), path.name
