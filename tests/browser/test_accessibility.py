"""axe-core in Chromium: no WCAG 2.1 A or AA violation, with and without the site's scripts."""

from __future__ import annotations

import pytest

from .conftest import AXE, require

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = ["", "kommune/varde/", "maalgruppe/dagpenge/", "metode/"]


def describe(violations: list[dict]) -> str:
    """One readable block per violated rule, with up to five offending elements."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} [{rule['helpUrl']}]")
        for node in rule["nodes"][:5]:
            summary = " / ".join(
                line.strip() for line in node["failureSummary"].splitlines()[1:] if line.strip()
            )
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(rule["nodes"]) > 5:
            lines.append(f"    … and {len(rule['nodes']) - 5} more")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {
              runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    return result["violations"]


# A known defect, reported: the static SVG keeps vl-convert's role="graphics-symbol" on its mark
# groups. Fix in render.py (_accessible_svg): strip role, aria-roledescription and aria-label
# inside the SVG before adding role="img". Until then exactly this violation is an xfail; any
# other violation fails.
STATIC_SVG_ROLES = (
    "known defect: static chart SVGs keep vl-convert's ARIA roles (axe svg-img-alt); "
    "fix in samtaletjek/render.py"
)


@pytest.mark.parametrize("scripts", [True, False], ids=["with-scripts", "without-scripts"])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "overview")
def test_no_wcag_21_aa_violations(visit, path, scripts):
    require(AXE.is_file(), f"axe-core not found at {AXE}")
    page = visit(path, site_scripts=scripts).page
    violations = axe_violations(page)
    if violations and not scripts and all(static_svg_roles(rule) for rule in violations):
        pytest.xfail(STATIC_SVG_ROLES)
    assert not violations, f"axe found WCAG 2.1 A/AA violations on /{path}:\n" + describe(
        violations
    )


def static_svg_roles(rule: dict) -> bool:
    return rule["id"] == "svg-img-alt" and all(
        "mark" in " ".join(map(str, node["target"])) for node in rule["nodes"]
    )
