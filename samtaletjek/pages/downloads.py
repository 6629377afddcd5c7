"""The files the site offers for download, built from the canonical frame and the metrics:
the whole table as one machine-readable CSV, the country's and the regions' figures as CSV
and as CSV for Danish Excel, and their documentation. The workbooks (`spreadsheets`, written
by `publish.excel`) hold each municipality's, group's and measure's rows for Excel."""

from __future__ import annotations

import json

import pandas as pd

from ..domain.dataset import COLUMN_DOCS, COLUMNS, Manifest
from ..domain.metrics import Metrics
from ..domain.registry import DEFAULT_INDICATOR, Registry
from . import addresses, spreadsheets
from .base import Output
from .provenance import LICENCE, Origins
from .rules import rules_table
from .watch import WATCH_DOCS

in_data = addresses.in_data
ALL = in_data(addresses.ALL_CSV)  # how the data folder's README names its files
NATIONAL = in_data(addresses.NATIONAL_CSV)
REGIONAL = in_data(addresses.REGIONAL_CSV)
WATCH = in_data(addresses.WATCH_CSV)


def national_columns(registry: Registry) -> dict[str, str]:
    """The columns of landstal.csv, each with its meaning for data/README.md."""
    return {
        "period": "Målemåned (ÅÅÅÅ-MM).",
        "target_group": "Målgruppens id.",
        "persons": "Personer i målgruppen i kommuner med tal.",
        "persons_meeting": "De personer, andelen tæller (se `indicator`), i kommuner med tal; "
        "for aktivering afledt (personer × andel).",
        "share_pct": "Vægtet andel: persons_meeting ÷ persons × 100, eller STAR's eget landstal, "
        "hvor kilden har et (se `published`).",
        "published": 'true: tallet er kildens eget landstal (rækken "Hele landet"), vist som '
        "offentliggjort; false: Samtaletjeks vægtede sum af kommunernes tal.",
        "municipalities_reporting": "Kommuner med tal den måned.",
        "municipalities_below": "Kommuner under reglen for måneden: hver måned holdt op mod "
        "den linje, der gjaldt den måned (se reglerne nedenfor); tom, hvor måneden ikke holdes op "
        "mod en linje (ingen regel eller en indikator uden grænse).",
        "municipalities_on_list": "Kommuner på listen den måned: under reglen i "
        f"{registry.list_months} måneder i træk eller mere (som i `{WATCH}`); tom som ovenfor.",
        "indicator": "Indikatoren (se listen nederst).",
        "source": "Hvor tallene kommer fra: `eksempeldata` (syntetiske tal, ikke STAR's) eller "
        "kilden, tabellerne og den dag, tallene blev hentet.",
    }


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.1f")


SOURCE = "source"  # the column every download adds: where the row's figures come from


def canonical_table(frame: pd.DataFrame, origins: Origins) -> pd.DataFrame:
    """The canonical table as published: canonical columns sorted by month, indicator, group
    and code, and `source`: each row's origin (`eksempeldata` or STAR's table and date)."""
    order = ["period", "indicator", "target_group", "municipality_code"]
    table = frame.sort_values(order)[list(COLUMNS)]
    return table.assign(**{SOURCE: _sources(table["indicator"], origins)})


def _sources(indicators: pd.Series, origins: Origins) -> pd.Series:
    """The `source` cell of each row of `indicators`."""
    tags = {key: o.tag for key, o in origins.by_key.items()}
    return indicators.map(tags).fillna("")


SOURCE_DOC = ("Kilde", "Hvor rækkens tal kommer fra: eksempeldata eller STAR's tabel og dato.")


def downloads(
    canonical: pd.DataFrame,
    metrics: Metrics,
    registry: Registry,
    manifest: Manifest,
    origins: Origins,
    others: dict[str, Metrics] | None = None,
) -> list[Output]:
    """Return every download but the Excel files: the canonical table, the national and
    regional figures of samtaler (`metrics`) and of the other indicators (`others`), these
    also as CSV for Danish Excel, and their documentation."""
    outputs = [Output(addresses.ALL_CSV, _csv(canonical))]
    measured = {DEFAULT_INDICATOR: metrics, **(others or {})}
    national = pd.concat(
        [m.national.assign(indicator=i) for i, m in measured.items()], ignore_index=True
    )[
        ["period", "target_group", "persons", "persons_meeting", "share", "published"]
        + ["reporting", "below", "on_list", "indicator"]
    ].rename(
        columns={
            "share": "share_pct",
            "reporting": "municipalities_reporting",
            "below": "municipalities_below",
            "on_list": "municipalities_on_list",
        }
    )
    national = national.sort_values(["period", "indicator", "target_group"])
    national["published"] = national["published"].map({True: "true", False: "false"})
    national = national.assign(**{SOURCE: _sources(national["indicator"], origins)})
    outputs.append(Output(addresses.NATIONAL_CSV, _csv(national)))
    excel = addresses.excel_csv
    outputs.append(Output(excel(addresses.NATIONAL_CSV), _excel_csv(national, registry)))
    regional = pd.concat(
        [m.regional.assign(indicator=i) for i, m in measured.items()], ignore_index=True
    )[
        ["period", "region", "target_group", "persons", "persons_meeting", "share", "reporting"]
        + ["indicator"]
    ].rename(columns={"share": "share_pct", "reporting": "municipalities_reporting"})
    regional = regional.sort_values(["period", "indicator", "region", "target_group"])
    regional = regional.assign(**{SOURCE: _sources(regional["indicator"], origins)})
    outputs.append(Output(addresses.REGIONAL_CSV, _csv(regional)))
    outputs.append(Output(excel(addresses.REGIONAL_CSV), _excel_csv(regional, registry)))
    outputs.append(Output(addresses.DATA_README, readme(manifest, registry, origins)))
    outputs.append(Output(addresses.DATAPACKAGE, datapackage(manifest, origins)))
    return outputs


def _excel_csv(frame: pd.DataFrame, registry: Registry) -> str:
    return spreadsheets.excel_csv(spreadsheets.in_words(frame, registry))


def readme(manifest: Manifest, registry: Registry, origins: Origins) -> str:
    """Return data/README.md: where each indicator's figures come from, and what each file and
    column means, in Danish."""
    demo = [o.name for o in origins.by_key.values() if o.demo]
    lines = [
        "# Samtaletjeks data",
        "",
        "## Kilder",
        "",
        *(
            f"- **{o.name}**: "
            + ("**Eksempeldata – ikke officielle tal.** Syntetiske tal." if o.demo else o.credit)
            for o in origins.by_key.values()
        ),
        "",
        *(
            [
                "Rækker med eksempeldata har `eksempeldata` i kolonnen `source`; rigtige tal har "
                "kilden, tabellerne og datoen.",
                "",
            ]
            if demo
            else []
        ),
        f'Offentliggjort {manifest.release_date}. Rækker med kommunekode 0 ("Hele landet") er '
        "kildens eget landstal, vist som offentliggjort. For aktivering er `persons_meeting` "
        "afledt: personer (tabel a02) × andel aktiveringsberørte (tabel c07), afrundet; kolonnen "
        "`derived` siger det på hver række.",
        "",
        "## Licens",
        "",
        f"{LICENCE.terms} <{LICENCE.url}>",
        "",
        "## Filer",
        "",
        "| fil | indhold |",
        "|---|---|",
        f"| `{ALL}` | alle tal: én række pr. måned × kommune × indikator × målgruppe |",
        f"| `{in_data(addresses.indicator_workbook())}` | én indikators rækker som Excel-ark "
        "(alle målgrupper og kommuner) |",
        f"| `{in_data(addresses.municipality_workbook())}` | én kommunes rækker som Excel-ark "
        "(alle indikatorer) |",
        *(
            f"| `{in_data(addresses.group_workbook(folder=folder))}` | én målgruppes rækker som "
            "Excel-ark for "
            f"{'samtaler' if i.id == DEFAULT_INDICATOR else i.name.lower()} |"
            for i in registry.indicators
            for folder in [addresses.indicator(i).rstrip("/")]
        ),
        f"| `{NATIONAL}` | vægtede landstal pr. indikator, målgruppe og måned |",
        f"| `{REGIONAL}` | vægtede regionstal pr. indikator, region, målgruppe og måned |",
        f"| `{WATCH}` | listen: kommuner under reglen i {registry.list_months} måneder i træk "
        "(Samtaletjeks beregning af STAR's regel) |",
        f"| `{in_data(addresses.DATAPACKAGE)}` | beskrivelse af `{ALL}` som Frictionless Data "
        "Package |",
        "",
        f"Hver række findes én gang som CSV, i `{ALL}`, og i Excel-arkene (`.xlsx`: danske",
        "overskrifter, målgruppernes navne, måneden som dato, tal som tal, en fane om tallene).",
        "Landstal, regionstal og listen findes også som CSV til dansk Excel (`-excel.csv`:",
        "UTF-8 med BOM, semikolon mellem felterne, decimalkomma, danske overskrifter, måneden",
        "som dato ÅÅÅÅ-MM-01).",
        "",
        "De øvrige CSV-filer er maskinlæsbare: UTF-8, kommasepareret, punktum som decimaltegn,",
        "faste engelske kolonnenavne og målgruppernes id'er, som beskrevet herunder. En tom celle",
        "betyder, at tallet mangler eller er skjult af STAR (for få personer); den er aldrig 0.",
        "",
        f"## Kolonner i {ALL}",
        "",
        "| kolonne | type | betydning |",
        "|---|---|---|",
        *(f"| `{c}` | {COLUMN_DOCS[c][1]} | {COLUMN_DOCS[c][2]} |" for c in COLUMNS),
        f"| `{SOURCE}` | string | {SOURCE_DOC[1]} |",
        "",
        f"## Kolonner i {NATIONAL}",
        "",
        "| kolonne | betydning |",
        "|---|---|",
        *(f"| `{c}` | {text} |" for c, text in national_columns(registry).items()),
        "",
        f"`{REGIONAL}` har de samme kolonner plus `region`. Land- og regionstal er vægtede:",
        "summen af de personer, andelen tæller, delt med summen af personer, aldrig et",
        "gennemsnit af kommunernes andele.",
        "",
        f"## Kolonner i {WATCH}",
        "",
        "Én række pr. kommune, indikator og målgruppe, der i sin seneste måned har ligget under",
        f"reglen i {registry.list_months} måneder i træk eller mere: Samtaletjeks beregning af "
        "STAR's regel, hver måned holdt op mod reglen, der gjaldt den måned. Hvad reglerne er, og",
        "hvor mange personer en måned skal have for at blive vurderet, står herunder.",
        "",
        "## Reglerne",
        "",
        *(
            line
            for i in registry.indicators
            for line in (f"### {i.name}", "", rules_table(registry.for_indicator(i.id)), "")
        ),
        "",
        "| kolonne | betydning |",
        "|---|---|",
        *(f"| `{c}` | {text} |" for c, text in WATCH_DOCS.items()),
        "",
        "## Indikatorer og målgrupper",
        "",
        "Kolonnen `indicator` siger, hvad andelen måler. En fil uden kolonnen er samtaler.",
        "",
        *(
            line
            for i in registry.indicators
            for line in (
                f"### `{i.id}`: {i.name}",
                "",
                i.description
                + ("" if i.higher_is_better else " Jo lavere andel, jo bedre; rang 1 er lavest."),
                "",
                *(f"- `{g.id}`: {g.name}" for g in registry.groups_of(i.id)),
                "",
            )
        ),
    ]
    return "\n".join(lines)


def datapackage(manifest: Manifest, origins: Origins) -> str:
    """Return data/datapackage.json describing the canonical table (Frictionless Data
    Package), with one source per indicator."""
    package = {
        "name": "samtaletjek",
        "title": "Samtaler, tilbud og passivitet for ledige og sygemeldte pr. kommune og målgruppe",
        "description": manifest.description or manifest.source,
        "sources": [
            {"title": f"{o.name}: {'Eksempeldata – ikke officielle tal' if o.demo else o.credit}"}
            for o in origins.by_key.values()
        ],
        "licenses": [{"name": LICENCE.spdx, "path": LICENCE.url, "title": LICENCE.name}],
        "resources": [
            {
                "name": "samtaler",
                "path": ALL,
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c, "type": COLUMN_DOCS[c][1], "description": COLUMN_DOCS[c][2]}
                        for c in COLUMNS
                    ]
                    + [{"name": SOURCE, "type": "string", "description": SOURCE_DOC[1]}],
                    "missingValues": [""],
                    "primaryKey": ["period", "municipality_code", "indicator", "target_group"],
                },
            }
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
