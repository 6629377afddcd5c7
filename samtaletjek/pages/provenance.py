"""Where each figure comes from, in the words every page, chart, card, embed, feed and download
uses: STAR's real figures name STAR/jobindsats, the table ids and the day they were fetched;
demo figures say they are examples. Made once from the manifest (`Manifest.sources`), per
indicator, so no page can tell a reader a different story about the same number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain import danish as fmt
from ..domain.dataset import CONTEXT_SOURCE, Manifest, Source
from ..domain.registry import Registry
from .rules import listing

DEMO_SHORT = "Eksempeldata – ikke STAR's tal"


@dataclass(frozen=True)
class Licence:
    """The terms the site's texts and the figures it redistributes may be reused on."""

    name: str = "CC BY 4.0"
    url: str = "https://creativecommons.org/licenses/by/4.0/deed.da"

    @property
    def spdx(self) -> str:
        """ "CC-BY-4.0": its SPDX id, for data packages."""
        return self.name.replace(" ", "-")

    @property
    def terms(self) -> str:
        """The sentence every page's footer, the data README and the downloads say it in."""
        return (
            f"Samtaletjeks tekster, tal og diagrammer må genbruges under {self.name} med "
            "kildeangivelse (Samtaletjek). STAR's tal krediteres desuden "
            '"Kilde: STAR, jobindsats.dk" med tabel og dato, som de står ved tallene.'
        )


LICENCE = Licence()


@dataclass(frozen=True)
class Origin:
    """Where one indicator's figures (or the context figures) come from."""

    name: str  # "Aktivering"
    demo: bool
    said: str  # "STAR, jobindsats.dk (tabel y60c07 og y60a02), hentet 22. august 2026"
    tag: str  # a download's `source` cell: "eksempeldata" or "STAR, jobindsats.dk: y60c07 …"

    @property
    def credit(self) -> str:
        """The line under a card, chart or table: "Kilde: STAR, jobindsats.dk (tabel …), hentet
        22. august 2026." or "Eksempeldata – ikke STAR's tal: syntetiske eksempeltal."."""
        return f"{DEMO_SHORT}: syntetiske eksempeltal." if self.demo else f"Kilde: {self.said}."

    @property
    def kind(self) -> str:
        """ "demo" or "real": the `data-origin` of what shows these figures."""
        return "demo" if self.demo else "real"


def origin(name: str, source: Source) -> Origin:
    """The words for figures from `source`."""
    if source.demo:
        return Origin(name, True, "eksempeldata, ikke STAR's tal", "eksempeldata")
    tables = f" (tabel {listing(list(source.tables))})" if source.tables else ""
    if source.retrieved:
        when = f", hentet {fmt.date(source.retrieved)}"
    elif source.release_date:
        when = f", tal offentliggjort {fmt.date(source.release_date)}"
    else:
        when = ""
    tag = ", ".join(
        part
        for part in (
            source.source,
            " ".join(source.tables),
            source.retrieved and f"hentet {source.retrieved}",
        )
        if part
    )
    return Origin(name, False, f"{source.source}{tables}{when}", tag)


@dataclass(frozen=True)
class Origins:
    """The origin of every indicator's figures and of the context figures."""

    by_key: dict[str, Origin] = field(default_factory=dict)

    def of(self, key: str) -> Origin | None:
        return self.by_key.get(key)

    @property
    def lines(self) -> tuple[str, ...]:
        """One sentence per source, the demo ones together: the footer of every page."""
        demo = [o.name for o in self.by_key.values() if o.demo]
        said = [f"{listing(demo)}: {DEMO_SHORT}."] if demo else []
        return (*said, *(f"{o.name}: {o.credit}" for o in self.by_key.values() if not o.demo))

    def citation(self, keys: Iterable[str]) -> str:
        """How a reader cites the figures of `keys`: "samtaler: eksempeldata, ikke STAR's tal;
        aktivering: STAR, jobindsats.dk (tabel y60c07 og y60a02), hentet 22. august 2026"."""
        said: dict[str, list[str]] = {}
        for key in dict.fromkeys(keys):
            if (o := self.by_key.get(key)) is not None:
                said.setdefault(o.said, []).append(o.name.lower())
        return "; ".join(f"{listing(names)}: {words}" for words, names in said.items())

    def demo(self, keys: Iterable[str]) -> tuple[Origin, ...]:
        """The origins of those of `keys` whose figures are demo figures."""
        return tuple(o for k in keys if (o := self.by_key.get(k)) and o.demo)

    def real(self, keys: Iterable[str]) -> tuple[Origin, ...]:
        return tuple(o for k in keys if (o := self.by_key.get(k)) and not o.demo)

    def banner(self, keys: Iterable[str]) -> str:
        """What the yellow banner of a page showing the figures of `keys` says after its bold
        "Eksempeldata – ikke officielle tal.": "" where none of them is demo."""
        keys = tuple(dict.fromkeys(keys))
        demo, real = self.demo(keys), self.real(keys)
        if not demo:
            return ""
        if not real:
            return "Tallene er syntetiske og viser, hvordan sitet virker; de er ikke STAR's."
        names = listing([o.name for o in demo])
        return f"{names} er syntetiske eksempeltal, ikke STAR's. " + " ".join(
            f"{o.name} er STAR's rigtige tal. {o.credit}" for o in real
        )


def origins(manifest: Manifest, registry: Registry) -> Origins:
    """Every indicator's origin, and the context table's, from the manifest."""
    named = {i.id: i.name for i in registry.indicators} or {
        registry.indicator_id: registry.indicator_id.capitalize()
    }
    found = {key: origin(name, manifest.source_of(key)) for key, name in named.items()}
    if CONTEXT_SOURCE in manifest.sources:
        found[CONTEXT_SOURCE] = origin("Ledighed", manifest.sources[CONTEXT_SOURCE])
    return Origins(found)
