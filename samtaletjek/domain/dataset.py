"""The data set's vocabulary: the canonical table's columns (the public contract), the manifest
that says where the figures come from, and the release log's records. Reading and writing them
is the store's work (`samtaletjek.store`)."""

from __future__ import annotations

from collections.abc import Iterable
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
    "activation_degree",
)
# Files without the optional columns stay valid: no mean, every row is samtaler, every figure
# is as the source published it, and no activation degree.
OPTIONAL = {  # the value of a column a file lacks
    "mean_conversations": "",
    "indicator": "samtaler",
    "derived": "",
    "activation_degree": "",
}
REQUIRED = tuple(c for c in COLUMNS if c not in OPTIONAL)
KEY = ["period", "municipality_code", "indicator", "target_group"]
# The figures of a row: what an import may add or revise.
FIGURES = ("persons", "persons_meeting", "share_pct", "mean_conversations", "activation_degree")
# The published national figure ("Hele landet") where a source has one: a row with this code
# and name beside the 98 municipalities'. Aggregates never include it; pages show it as the
# national figure, in place of the weighted sum of the municipalities.
NATIONAL_CODE = 0
NATIONAL_NAME = "Hele landet"
# What each column means and what Excel users see as its header: the public contract.
COLUMN_DOCS = {
    "period": ("Måned", "string", "Målemåned, skrevet ÅÅÅÅ-MM."),
    "municipality_code": (
        "Kommunekode",
        "integer",
        "Kommunekode, 101–860; 0 er hele landet, som kilden selv har offentliggjort det.",
    ),
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
        "lavere, jo bedre) eller aktivering (i et aktivt tilbud mindst én dag i måneden). En "
        "fil uden kolonnen er samtaler.",
    ),
    "derived": (
        "Afledt",
        "string",
        "De kolonner i rækken, Samtaletjek har regnet ud, fordi kilden ikke oplyser dem: "
        "persons_meeting = persons × share_pct ÷ 100, afrundet, hvor kilden kun giver andelen. "
        "Andelen er da den offentliggjorte. Tom: alle tal i rækken er offentliggjort.",
    ),
    "activation_degree": (
        "Aktiveringsgrad (%)",
        "number",
        "Kun aktivering: hvor stor en del af tiden borgerne i gennemsnit var i et aktivt "
        "tilbud i måneden, som STAR offentliggør den (0–100).",
    ),
}
DERIVED_MEETING = "persons_meeting"  # the value of `derived` where the count was worked out
INTEGER_COLUMNS = ("municipality_code", "persons", "persons_meeting")
FLOAT_COLUMNS = ("share_pct", "mean_conversations", "activation_degree")
# The line in the file a frame row came from; kept so later checks can name it.
ROW = "row"
SHARE_TOLERANCE = 0.1  # percentage points; shares are published with one decimal


@dataclass(frozen=True)
class Source:
    """Where the figures of one indicator (or of a context table) come from."""

    demo: bool  # synthetic figures: every page, chart and download showing them says so
    source: str  # "STAR, jobindsats.dk", or "Eksempeldata fra Samtaletjek – ikke STAR's tal"
    tables: tuple[str, ...] = ()  # the source's table ids: ("y60c07", "y60a02")
    retrieved: str = ""  # YYYY-MM-DD: the day the figures were fetched from the source
    release_date: str = ""  # YYYY-MM-DD: the day they were published (or generated)
    description: str = ""
    licence: str = ""

    @property
    def line(self) -> str:
        """ "STAR, jobindsats.dk y60c07 y60a02, retrieved 2026-08-22": the source in a line."""
        tables = f" {' '.join(self.tables)}" if self.tables else ""
        when = f", retrieved {self.retrieved}" if self.retrieved else ""
        return f"{self.source}{tables}{when}"


@dataclass(frozen=True)
class Manifest:
    """Where the figures come from: `sources` by indicator id (and "ledighed" for the context
    figures); an indicator not in it has the top-level source."""

    source: str
    release_date: str  # YYYY-MM-DD: the day the figures were published or generated
    demo: bool  # the top-level source is synthetic
    description: str = ""
    licence: str = ""
    sources: dict[str, Source] = field(default_factory=dict)

    @property
    def default(self) -> Source:
        return Source(
            self.demo, self.source, (), "", self.release_date, self.description, self.licence
        )

    def source_of(self, key: str) -> Source:
        """The source of an indicator's figures (or of a context table, "ledighed")."""
        return self.sources.get(key, self.default)

    def demo_of(self, keys: Iterable[str]) -> tuple[str, ...]:
        """Those of `keys` whose figures are demo figures, in order."""
        return tuple(k for k in keys if self.source_of(k).demo)


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
    demo: bool = False  # a release of synthetic figures (demo-data), labelled so on pages


def next_release_id(releases: tuple[Release, ...] | list[Release], date: str) -> str:
    """Return a new id for a release made on `date`: the date and a running number."""
    same_day = sum(1 for r in releases if r.date == date)
    return f"{date}-{same_day + 1}"


# The context table `ledighed.csv`: registered unemployment per municipality and month (STAR's
# table y25i01), shown beside a municipality's figures so a reader can weigh them; never
# judged. The same conventions as the canonical table: an empty cell is missing.
CONTEXT_COLUMNS = (
    "period",
    "municipality_code",
    "municipality",
    "unemployed",
    "unemployment_pct",
)
CONTEXT_INTEGER = ("municipality_code", "unemployed")
CONTEXT_FLOAT = ("unemployment_pct",)
CONTEXT_KEY = ["period", "municipality_code"]
CONTEXT_SOURCE = "ledighed"  # its key in Manifest.sources
