"""The data set's vocabulary: the canonical table's columns (the public contract), the manifest
that says where the figures come from, and the release log's records. Reading and writing them
is the store's work (`samtaletjek.store`)."""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = (
    "period",
    "municipality_code",
    "municipality",
    "target_group",
    "persons",
    "persons_meeting",
    "share_pct",
    "mean_conversations",
    "indicator",
    "derived",
)
# Files without the optional columns stay valid: no mean, every row is samtaler, and every
# figure is as the source published it.
OPTIONAL = {"mean_conversations": "", "indicator": "samtaler", "derived": ""}  # if missing
REQUIRED = tuple(c for c in COLUMNS if c not in OPTIONAL)
KEY = ["period", "municipality_code", "indicator", "target_group"]
# The figures of a row: what an import may add or revise.
FIGURES = ("persons", "persons_meeting", "share_pct", "mean_conversations")
# What each column means and what Excel users see as its header: the public contract.
COLUMN_DOCS = {
    "period": ("Måned", "string", "Målemåned, skrevet ÅÅÅÅ-MM."),
    "municipality_code": ("Kommunekode", "integer", "Kommunekode, 101–860."),
    "municipality": ("Kommune", "string", "Kommunens officielle navn."),
    "target_group": (
        "Målgruppe",
        "string",
        "Målgruppens faste id, fx dagpenge eller kontanthjaelp-aktivitetsparate.",
    ),
    "persons": ("Antal personer", "integer", "Personer i målgruppen i måneden."),
    "persons_meeting": (
        "Personer, andelen tæller",
        "integer",
        "De personer, andelen tæller: for samtaler dem, der havde fået det antal samtaler, "
        "reglerne kræver; for tilbud dem, der havde fået et aktivt tilbud; for passivandel "
        "dem uden nogen aktiv indsats i de seneste 12 måneder.",
    ),
    "share_pct": (
        "Andel (%)",
        "number",
        "persons_meeting ÷ persons × 100, med én decimal (0–100).",
    ),
    "mean_conversations": (
        "Gns. antal samtaler",
        "number",
        "Gennemsnitligt antal samtaler pr. person, hvor kilden oplyser det (kun samtaler).",
    ),
    "indicator": (
        "Indikator",
        "string",
        "Hvad andelen måler: samtaler (de krævede samtaler), tilbud (et aktivt tilbud inden "
        "for 6 måneder) eller passivandel (ingen aktiv indsats i de seneste 12 måneder; jo "
        "lavere, jo bedre). En fil uden kolonnen er samtaler.",
    ),
    "derived": (
        "Afledt",
        "string",
        "De kolonner i rækken, Samtaletjek har regnet ud, fordi kilden ikke oplyser dem: "
        "persons_meeting = persons × share_pct ÷ 100, afrundet, hvor kilden kun giver andelen. "
        "Andelen er da den offentliggjorte. Tom: alle tal i rækken er offentliggjort.",
    ),
}
DERIVED_MEETING = "persons_meeting"  # the value of `derived` where the count was worked out
INTEGER_COLUMNS = ("municipality_code", "persons", "persons_meeting")
FLOAT_COLUMNS = ("share_pct", "mean_conversations")
# The line in the file a frame row came from; kept so later checks can name it.
ROW = "row"
SHARE_TOLERANCE = 0.1  # percentage points; shares are published with one decimal


@dataclass(frozen=True)
class Manifest:
    source: str
    release_date: str  # YYYY-MM-DD: the day the figures were published or generated
    demo: bool
    description: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Revision:
    period: str
    municipality_code: int
    target_group: str
    column: str
    old: str
    new: str
    indicator: str = "samtaler"


@dataclass(frozen=True)
class Release:
    id: str
    date: str
    source: str
    periods: tuple[str, ...]
    added: int
    revised: int
    files: tuple[str, ...] = ()
    revisions: tuple[Revision, ...] = field(default_factory=tuple)


def next_release_id(releases: tuple[Release, ...] | list[Release], date: str) -> str:
    """Return a new id for a release made on `date`: the date and a running number."""
    same_day = sum(1 for r in releases if r.date == date)
    return f"{date}-{same_day + 1}"
