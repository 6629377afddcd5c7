"""Pure: the files the site offers for download, built from the canonical frame and metrics."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import asdict
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .cache import Cache, key
from .metrics import Metrics
from .registry import Registry
from .render import Output
from .sources.canonical import COLUMN_DOCS, COLUMNS, Manifest

# Bump when excel() changes what it writes, so cached workbooks are made again.
EXCEL_VERSION = "1"
NATIONAL_COLUMNS = {
    "period": "Målemåned (ÅÅÅÅ-MM).",
    "target_group": "Målgruppens id.",
    "persons": "Personer i målgruppen i kommuner med tal.",
    "persons_meeting": "Personer med de krævede samtaler i kommuner med tal.",
    "share_pct": "Vægtet andel: persons_meeting ÷ persons × 100.",
    "municipalities_reporting": "Kommuner med tal den måned.",
    "municipalities_flagged": "Kommuner, der var markant under den måned.",
}


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.1f")


def downloads(
    frame: pd.DataFrame, metrics: Metrics, registry: Registry, manifest: Manifest, cache: Cache
) -> list[Output]:
    """Return every download: the canonical table (CSV and Excel), one CSV per municipality and
    per target group, the national and regional figures, and their documentation.

    The Excel file is the slowest thing to write after the charts, so it is cached under the
    hash of the table and manifest it is made from.
    """
    canonical = frame.sort_values(["period", "target_group", "municipality_code"])[list(COLUMNS)]
    table = _csv(canonical)
    entry = key(EXCEL_VERSION, table, json.dumps(asdict(manifest), sort_keys=True))
    workbook = cache.get_or_make("xlsx", entry, lambda: excel(canonical, manifest))
    outputs = [Output("data/samtaler.csv", table), Output("data/samtaler.xlsx", workbook)]
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
    national = national.sort_values(["period", "target_group"])
    outputs.append(Output("data/landstal.csv", _csv(national)))
    regional = metrics.regional[
        ["period", "region", "target_group", "persons", "persons_meeting", "share", "reporting"]
    ].rename(columns={"share": "share_pct", "reporting": "municipalities_reporting"})
    regional = regional.sort_values(["period", "region", "target_group"])
    outputs.append(Output("data/regioner.csv", _csv(regional)))
    outputs.append(Output("data/README.md", readme(manifest, registry)))
    outputs.append(Output("data/datapackage.json", datapackage(manifest)))
    return outputs


def excel(canonical: pd.DataFrame, manifest: Manifest) -> bytes:
    """Return the canonical table as an .xlsx with Danish headers, byte-identical for the same
    input (fixed document dates and zip timestamps)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Samtaler"
    sheet.append([COLUMN_DOCS[c][0] for c in COLUMNS])
    for row in canonical.astype(object).where(canonical.notna(), None).itertuples(index=False):
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    widths = (10, 13, 18, 34, 15, 18, 18, 14)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    about = workbook.create_sheet("Om tallene")
    about.append(["Kilde", manifest.source])
    about.append(["Offentliggjort", manifest.release_date])
    about.append(["Eksempeldata", "Ja – ikke officielle tal" if manifest.demo else "Nej"])
    about.append([])
    about.append(["Kolonne", "Betydning"])
    for column in COLUMNS:
        about.append([COLUMN_DOCS[column][0], COLUMN_DOCS[column][2]])
    about.append([])
    about.append(["Tomme celler", "Tallet mangler eller er diskretioneret; tom er ikke 0."])
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    stamp = datetime.fromisoformat(manifest.release_date)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "Samtaletjek"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _reproducible(data: bytes, modified: str) -> bytes:
    """Rewrite an .xlsx so its bytes depend only on its content.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
    by fixed values (the release date, and 1980-01-01 for the zip entries).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def readme(manifest: Manifest, registry: Registry) -> str:
    """Return data/README.md: what each file and column means, in Danish."""
    demo = "\n**Eksempeldata – ikke officielle tal.** Tallene er syntetiske.\n"
    lines = [
        "# Samtaletjeks data",
        demo if manifest.demo else "",
        f"Kilde: {manifest.source}. Offentliggjort {manifest.release_date}.",
        "",
        "## Filer",
        "",
        "| fil | indhold |",
        "|---|---|",
        "| `samtaler.csv` | alle tal: én række pr. måned × kommune × målgruppe |",
        "| `samtaler.xlsx` | det samme som Excel-ark med danske overskrifter |",
        "| `kommune/<kommune>.csv` | én kommunes rækker |",
        "| `maalgruppe/<målgruppe>.csv` | én målgruppes rækker |",
        "| `landstal.csv` | vægtede landstal pr. målgruppe og måned |",
        "| `regioner.csv` | vægtede regionstal pr. region, målgruppe og måned |",
        "| `datapackage.json` | beskrivelse af `samtaler.csv` som Frictionless Data Package |",
        "",
        "CSV-filerne er UTF-8, kommasepareret, med punktum som decimaltegn. En tom celle betyder,",
        "at tallet mangler eller er diskretioneret; den er aldrig 0.",
        "",
        "## Kolonner i samtaler.csv",
        "",
        "| kolonne | type | betydning |",
        "|---|---|---|",
        *(f"| `{c}` | {COLUMN_DOCS[c][1]} | {COLUMN_DOCS[c][2]} |" for c in COLUMNS),
        "",
        "## Kolonner i landstal.csv",
        "",
        "| kolonne | betydning |",
        "|---|---|",
        *(f"| `{c}` | {text} |" for c, text in NATIONAL_COLUMNS.items()),
        "",
        "`regioner.csv` har de samme kolonner plus `region`. Land- og regionstal er vægtede:",
        "summen af personer med samtaler delt med summen af personer, aldrig et gennemsnit af",
        "kommunernes andele.",
        "",
        "## Målgrupper",
        "",
        *(f"- `{g.id}`: {g.name}" for g in registry.target_groups),
        "",
    ]
    return "\n".join(lines)


def datapackage(manifest: Manifest) -> str:
    """Return data/datapackage.json describing samtaler.csv (Frictionless Data Package)."""
    package = {
        "name": "samtaletjek",
        "title": "Samtaler med ledige og sygemeldte pr. kommune og målgruppe",
        "description": manifest.description or manifest.source,
        "sources": [{"title": manifest.source}],
        "licenses": [{"name": manifest.licence}] if manifest.licence else [],
        "resources": [
            {
                "name": "samtaler",
                "path": "samtaler.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c, "type": COLUMN_DOCS[c][1], "description": COLUMN_DOCS[c][2]}
                        for c in COLUMNS
                    ],
                    "missingValues": [""],
                    "primaryKey": ["period", "municipality_code", "target_group"],
                },
            }
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
