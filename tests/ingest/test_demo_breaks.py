"""The demo data show the series breaks a reader must learn to see."""

from __future__ import annotations

from samtaletjek.ingest import demo


def national(data, group: str, period: str) -> float:
    samtaler = data[data["indicator"] == "samtaler"]  # aktivering has groups of these names
    part = samtaler[(samtaler["target_group"] == group) & (samtaler["period"] == period)]
    part = part.dropna(subset=["persons", "persons_meeting"])
    return part["persons_meeting"].sum() / part["persons"].sum() * 100


def test_demo_steps_at_the_2024_and_2026_breaks(registry):
    data = demo.generate(registry)
    # dagpenge: the a-kasse takes the first months in January 2024; the law's 75 % in July 2026
    assert national(data, "dagpenge", "2024-01") < national(data, "dagpenge", "2023-12") - 6
    assert national(data, "dagpenge", "2026-07") > national(data, "dagpenge", "2026-06") + 8
    # a group the law does not name loses its minimum rules in July 2026
    sick = "sygedagpenge"
    assert national(data, sick, "2026-07") < national(data, sick, "2026-06") - 4
    assert demo.demo_manifest().demo is True
