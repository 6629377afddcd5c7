"""The rules' words come from the reference data: no threshold, year of a rule change,
minimum of persons or count of groups or municipalities is typed in `templates/` or `pages/`;
and the site speaks of the rules with one word for each thing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from samtaletjek.settings import PACKAGE, Settings
from samtaletjek.store.reference import load_registry

PAGES = PACKAGE / "pages"
TEMPLATES = PACKAGE / "templates"


def rule_years() -> set[str]:
    """The years in which a rule of the reference data began."""
    registry = load_registry(Settings().reference_dir)
    return {r.first_month[:4] for g in registry.every_group for r in g.rules if r.first_month}


def literal_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string a module writes (its docstrings and comments left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _literals_of(code: re.Match) -> str:
    """A Jinja tag or expression as the strings it holds (`length > 1` is code, not a rule),
    its line breaks kept."""
    quoted = re.findall(r"'[^']*'|\"[^\"]*\"", code.group(0))
    return " ".join(quoted) + "\n" * code.group(0).count("\n")


def template_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of a template: its text and the string literals in its Jinja code, its
    Jinja comments left out."""
    text = re.sub(
        r"\{#.*?#\}", lambda m: "\n" * m.group(0).count("\n"), path.read_text("utf-8"), flags=re.S
    )
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", _literals_of, text, flags=re.S)
    return list(enumerate(text.splitlines(), start=1))


def offences(texts: list[tuple[int, str]], years: set[str]) -> list[str]:
    """What in `texts` states a rule's number by hand."""
    patterns = {
        "a threshold": re.compile(r"\b\d+(?:,\d+)? %"),  # Danish: "80 %", not CSS "100%"
        "a year of a rule change": re.compile(rf"\b(?:{'|'.join(sorted(years))})\b"),
        "a minimum of persons": re.compile(r"\bmindst \d+\b"),
        "a count of municipalities or groups": re.compile(
            r"\b98\b|\b(?:otte|tretten|fem) målgrupper\b|\bseks måneder\b"
        ),
    }
    found = []
    for line, text in texts:
        for what, pattern in patterns.items():
            if match := pattern.search(text):
                found.append(f"line {line}: {what}: {match.group(0)!r} in {text.strip()[:70]!r}")
    return found


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.py")), ids=lambda p: p.name)
def test_no_page_module_types_a_rule_by_hand(path: Path):
    found = offences(literal_texts(path), rule_years())
    assert not found, f"{path.name}: make it from the registry: " + "; ".join(found)


@pytest.mark.parametrize("path", sorted(TEMPLATES.iterdir()), ids=lambda p: p.name)
def test_no_template_types_a_rule_by_hand(path: Path):
    found = offences(template_texts(path), rule_years())
    assert not found, f"{path.name}: put it in the context: " + "; ".join(found)


def test_the_check_reads_strings_in_jinja_code_but_not_the_code(tmp_path: Path):
    template = tmp_path / "t.html"
    template.write_text(
        '{% if n > 1 %}ok{% endif %}\n{{ "under 80 %" if x }}\n{# 75 % #}\n', "utf-8"
    )
    found = offences(template_texts(template), {"2020"})
    assert [f.split(":")[0] for f in found] == ["line 2"]


def test_the_check_finds_a_rule_typed_by_hand(tmp_path: Path):
    module = tmp_path / "x.py"
    module.write_text('TEXT = f"Under 80 % fra januar 2020, mindst 10 personer"\n', "utf-8")
    found = offences(literal_texts(module), {"2020"})
    assert len(found) == 3


# One word for each thing (the wording): "krav" for what the law sets, "grænse" for
# STAR's line, "reglen" for both; none of the phrases readers found confusing.
RETIRED = (
    "tæller fra",
    "ikke længe nok til at tælle",
    "brugt bagud",
    "pct.-point",
    "over grænsen i 0",
    "STAR's overvågningsliste",
    "det krævede antal samtaler",
)


@pytest.mark.parametrize("path", [*sorted(PAGES.glob("*.py")), *sorted(TEMPLATES.iterdir())])
def test_no_retired_phrase_is_left(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not [p for p in RETIRED if p in text], path.name
