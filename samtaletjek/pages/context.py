"""The size of what a municipality's shares measure, beside them on its page: how many are on
kontanthjælp (the persons of the aktivering table) and registered unemployment (`ledighed.csv`,
STAR's table y25i01), each for its latest month and with its source. Shown, never judged."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain import danish as fmt
from ..domain.dataset import CONTEXT_SOURCE, NATIONAL_CODE
from ..domain.metrics import Metrics
from .provenance import Origin, Origins

RECIPIENTS_GROUP = "kontanthjaelp"  # the aktivering group whose persons are the recipients
RECIPIENTS_INDICATOR = "aktivering"


@dataclass(frozen=True)
class ContextFact:
    label: str  # "Kontanthjælpsmodtagere"
    value: str  # "651", "1,8 % af arbejdsstyrken (431 ledige)"
    month: str  # "juli 2026"
    origin: Origin | None


def context_facts(
    context: pd.DataFrame, others: dict[str, Metrics], origins: Origins
) -> dict[int, tuple[ContextFact, ...]]:
    """Municipality code → its context facts, each from its latest month with a figure."""
    facts: dict[int, list[ContextFact]] = {}
    activation = others.get(RECIPIENTS_INDICATOR)
    if activation is not None and RECIPIENTS_GROUP in activation.latest:
        rows = activation.municipal
        rows = rows[(rows["target_group"] == RECIPIENTS_GROUP) & rows["persons"].notna()]
        latest = rows.sort_values("period").groupby("municipality_code").tail(1)
        for code, period, persons in zip(
            latest["municipality_code"], latest["period"], latest["persons"], strict=True
        ):
            facts.setdefault(int(code), []).append(
                ContextFact(
                    "Kontanthjælpsmodtagere",
                    fmt.number(persons),
                    fmt.month(period),
                    origins.of(RECIPIENTS_INDICATOR),
                )
            )
    known = context[
        context["unemployment_pct"].notna() & (context["municipality_code"] != NATIONAL_CODE)
    ]
    latest = known.sort_values("period").groupby("municipality_code").tail(1)
    for code, period, pct, count in zip(
        latest["municipality_code"],
        latest["period"],
        latest["unemployment_pct"],
        latest["unemployed"],
        strict=True,
    ):
        counted = "" if pd.isna(count) else f" ({fmt.count(int(count), 'ledig', 'ledige')})"
        facts.setdefault(int(code), []).append(
            ContextFact(
                "Registreret ledighed",
                f"{fmt.pct(pct)} af arbejdsstyrken{counted}",
                fmt.month(period),
                origins.of(CONTEXT_SOURCE),
            )
        )
    return {code: tuple(found) for code, found in facts.items()}
