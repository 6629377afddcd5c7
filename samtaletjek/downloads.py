"""Pure: the CSV files the site offers for download, built from the canonical frame and metrics."""

from __future__ import annotations

import pandas as pd

from .metrics import Metrics
from .registry import Registry
from .render import Output
from .sources.canonical import COLUMNS


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.1f")


def downloads(frame: pd.DataFrame, metrics: Metrics, registry: Registry) -> list[Output]:
    """Return the canonical table, one file per municipality and target group, and the national
    and regional figures, all in the canonical column names (see data/README.md)."""
    canonical = frame.sort_values(["period", "target_group", "municipality_code"])[list(COLUMNS)]
    outputs = [Output("data/samtaler.csv", _csv(canonical))]
    for m in registry.municipalities:
        part = canonical[canonical["municipality_code"] == m.code]
        outputs.append(Output(f"data/kommune/{m.slug}.csv", _csv(part)))
    for g in registry.target_groups:
        part = canonical[canonical["target_group"] == g.id]
        outputs.append(Output(f"data/maalgruppe/{g.id}.csv", _csv(part)))
    national = metrics.national[
        ["period", "target_group", "persons", "persons_meeting", "share", "reporting", "flagged"]
    ].rename(
        columns={
            "share": "share_pct",
            "reporting": "municipalities_reporting",
            "flagged": "municipalities_flagged",
        }
    )
    outputs.append(
        Output("data/landstal.csv", _csv(national.sort_values(["period", "target_group"])))
    )
    regional = metrics.regional[
        ["period", "region", "target_group", "persons", "persons_meeting", "share", "reporting"]
    ].rename(columns={"share": "share_pct", "reporting": "municipalities_reporting"})
    outputs.append(
        Output(
            "data/regioner.csv", _csv(regional.sort_values(["period", "region", "target_group"]))
        )
    )
    return outputs
