"""The cards of a municipality page: one per target group and indicator, each with its month,
its share, the rule it is held against and its status, and the cards of one target group side
by side (samtaler, the offer within 6 months, passivity)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import danish as fmt
from ..domain.metrics import NO_MUNICIPAL, Metrics, MunicipalRow
from ..domain.registry import Municipality, Registry, TargetGroup
from ..domain.rows import NationalRow
from . import addresses
from .base import rank_text
from .provenance import Origin, Origins
from .rules import NO_CHANGE, Change, change, ended_phrase, measure_phrase
from .status import JUDGED, ON_LIST, UNJUDGED, Judged, Status, missing_reason, status


@dataclass(frozen=True)
class GroupCard:
    """A target group's figure for one indicator on the municipality page."""

    indicator: str  # the card's heading: "Samtaler", "Tilbud inden for 6 måneder"
    group_id: str
    heading: str  # the name with soft hyphens, so a narrow card breaks it at a joint
    href: str  # the target group's page for this indicator
    month: str
    share: str
    measure: str  # what the share is: "fik mindst 4 samtaler"
    of: str  # "af 73 personer", "af 1 person", "" without a count
    status: Status
    change: Change  # the one change: the last 12 months, or since the rule changed in them
    national: str
    regional: str
    rank: str  # "nr. 12 af 97", "Få personer" under the minimum, "–" without a figure
    rank_label: str  # "Placering", or "Placering (lavest er nr. 1)" where lower is better
    small: bool
    missing_reason: str  # why the share is "–", empty when it is there
    list_href: str  # the municipality's row on the list, where this figure puts it there
    slot: int = 1  # the indicator's column in a family: 1 samtaler, 2 tilbud, 3 passivandel
    origin: Origin | None = None  # where its figures come from: STAR's, or demo figures
    national_label: str = "Hele landet"  # "Hele landet (STAR's tal)" where STAR published it
    degree: str = ""  # aktivering: the activation degree ("11,6 %"), "" for other indicators
    ended: str = ""  # "Målgruppen ophørte efter december 2026": a group the data have left


@dataclass(frozen=True)
class GroupFamily:
    """A target group's cards side by side: samtaler first, then the other indicators."""

    heading: str
    cards: tuple[GroupCard, ...]

    @property
    def wide(self) -> bool:
        """More than one card: the family takes a whole row, the others share one."""
        return len(self.cards) > 1

    @property
    def slots(self) -> int:
        """The columns a wide family needs: one per indicator up to its last card's. The page
        gives every wide family the most any needs, so the samtale cards, the offer cards and
        the passivity cards line up down the page."""
        return max(c.slot for c in self.cards)


def national_label(row: NationalRow) -> str:
    """ "Hele landet", or "Hele landet (STAR's tal)" where the figure is the source's own
    published national figure, not the weighted sum worked out here."""
    return "Hele landet (STAR's tal)" if row.published else "Hele landet"


def group_card(
    m: Municipality,
    g: TargetGroup,
    metrics: Metrics,
    registry: Registry,
    own: dict[str, MunicipalRow],
    origin: Origin | None = None,
) -> tuple[GroupCard, Judged]:
    """The card of `m` in `g` for the registry's indicator. `own`: the municipality's row in
    each group's latest month."""
    ind = registry.indicator
    month = metrics.latest.get(g.id)
    r = own.get(g.id, NO_MUNICIPAL)
    rule = g.rule_for(month) if month else None
    national = metrics.national_row(g.id, month)
    regional = metrics.regional_row(m.region, g.id, month)
    share, persons = r.share, r.persons
    reason = missing_reason(r)
    card_status = status(g, month, r, rule)
    # A direction only where the figure is judged or, without a line, rests on enough persons:
    # on a few persons it is noise.
    enough = rule is not None and persons is not None and persons >= rule.flag.min_persons
    judged = card_status.kind in JUDGED or (card_status.kind == UNJUDGED and enough)
    card_change = change(g, month, r) if judged else NO_CHANGE
    small = share is not None and bool(r.small)
    card = GroupCard(
        indicator=ind.name,
        group_id=g.id,
        heading=fmt.soft_hyphens(g.name),
        href=addresses.group(g),
        month=fmt.month(month) if month else fmt.MISSING,
        share=fmt.pct(share),
        measure=f"{ind.verb} {measure_phrase(rule, ind)}",
        of=f"af {fmt.count(persons, 'person', 'personer')}" if persons is not None else "",
        status=card_status,
        change=card_change,
        national=fmt.pct(national.share),
        regional=fmt.pct(regional.share),
        rank="Få personer" if small else rank_text(r.rank, r.ranked),
        rank_label="Placering" if ind.higher_is_better else "Placering (lavest er nr. 1)",
        small=small,
        missing_reason=reason,
        list_href=addresses.watch_row(m) if card_status.kind == ON_LIST else "",
        slot=[i.id for i in registry.indicators].index(ind.id) + 1 if registry.indicators else 1,
        origin=origin,
        national_label=national_label(national),
        degree=fmt.pct(r.activation_degree) if r.activation_degree is not None else "",
        ended=ended_words(g, metrics.periods[-1] if metrics.periods else ""),
    )
    return card, Judged(g, month, card_status, card_change, int(r.run or 0))


def families(
    m: Municipality,
    samtaler: list[GroupCard],
    others: list[tuple[Registry, Metrics]],
    origins: Origins | None = None,
) -> tuple[tuple[GroupFamily, ...], tuple[tuple[str, list[Judged]], ...]]:
    """Each target group's cards side by side: its samtale card, then one card for each other
    indicator that measures the group (in the indicators' order); the groups with more than
    one card first, in the groups' order, then the others. Also, for each other indicator,
    its name and what its cards judged, for the verdict."""
    extra: dict[str, list[GroupCard]] = {}
    seen: list[tuple[str, list[Judged]]] = []
    for registry, metrics in others:
        own = metrics.latest_of(metrics.rows_of(m.code))
        seen.append((registry.indicator.name, []))
        for g in registry.target_groups:
            origin = origins.of(registry.indicator_id) if origins else None
            card, judged = group_card(m, g, metrics, registry, own, origin)
            extra.setdefault(g.id, []).append(card)
            seen[-1][1].append(judged)
    out = [GroupFamily(c.heading, (c, *extra.pop(c.group_id, []))) for c in samtaler]
    out += [GroupFamily(cs[0].heading, tuple(cs)) for cs in extra.values()]
    # The groups of the latest month first, those measured in more ways first, each on its own
    # row; the rest share rows; the groups that have ended last, with their history.
    order = sorted(out, key=lambda f: (bool(f.cards[0].ended), not f.wide))
    return tuple(order), tuple(seen)


def ended_words(g: TargetGroup, latest: str) -> str:
    """ "Målgruppen ophørte efter december 2026." for a group that ended before the latest
    month of the data, else ""."""
    if not g.valid_to or not latest or g.valid_to >= latest:
        return ""
    return f"{ended_phrase(g)}."
