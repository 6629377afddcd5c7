"""Every card speaks of its own measure (issue 23): a card of each indicator in each state
(over, under, a month no rule covers, too few persons, no figure) says what its indicator
counts, in its indicator's words, and a month held against an announced rule says so."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import canonical_frame as frame

from samtaletjek.domain.metrics import compute
from samtaletjek.pages.cards import group_card
from samtaletjek.pages.status import BELOW, MISSING, OK, SMALL, UNJUDGED

VARDE, KOEBENHAVN = 573, 101
JUDGED_MONTH = "2026-10"  # every indicator with a line has one in force
UNRULED = "2027-02"  # no rule for tilbud's and passivandel's groups (yet)
# What a state's figures are: (persons, meeting) for Varde; København has 100 of 100.
STATES = {"over": (100, 99), "under": (100, 10), "few": (5, 5), "missing": (100, None)}


def _card(registry, indicator, month, persons, meeting, no_rule=False):  # noqa: ANN001, ANN202
    view = registry.for_indicator(indicator)
    g = view.target_groups[0]
    if no_rule and g.rule_for(month) is not None:
        # a group whose rules cover every month: the same group with no rules (as a new
        # group from 2027 would be before its rule is known)
        g = dataclasses.replace(g, rules=())
        view = dataclasses.replace(view, target_groups=(g, *view.target_groups[1:]))
    rows = [(month, VARDE, g.id, persons, meeting), (month, KOEBENHAVN, g.id, 100, 100)]
    metrics = compute(frame(rows, indicator), view, 10)
    varde = view.municipality(VARDE)
    own = metrics.latest_of(metrics.rows_of(VARDE))
    card, _ = group_card(varde, g, metrics, view, own)
    return g, card


def _foreign_words(indicator: str, text: str) -> list[str]:
    """Words of another measure in `text` (samtale words on a tilbud card, and so on)."""
    words = {
        "samtaler": ("samtale",),
        "tilbud": ("tilbud inden for",),
        "passivandel": ("ingen aktiv indsats",),
        "aktivering": ("mindst én dag",),
    }
    return [w for i, ws in words.items() if i != indicator for w in ws if w in text.lower()]


@pytest.mark.parametrize("indicator", ["samtaler", "tilbud", "passivandel", "aktivering"])
@pytest.mark.parametrize("state", list(STATES))
def test_a_card_speaks_of_its_own_measure_in_every_state(registry, indicator: str, state: str):
    g, card = _card(registry, indicator, JUDGED_MONTH, *STATES[state])
    ind = registry.indicator_by_id(indicator)
    assert card.measure.startswith(ind.verb + " "), card.measure
    said = f"{card.measure} {card.status.text}"
    assert not _foreign_words(indicator, said), said
    rule = g.rule_for(JUDGED_MONTH)
    lined = rule is not None and rule.flag.sets_line
    expected = {
        "over": OK if lined else UNJUDGED,
        "under": BELOW if lined else UNJUDGED,
        "few": SMALL if lined else UNJUDGED,
        "missing": MISSING,
    }[state]
    assert card.status.kind == expected, card.status
    if state == "missing":
        assert card.share == "–" and card.missing_reason


@pytest.mark.parametrize("indicator", ["samtaler", "tilbud", "passivandel", "aktivering"])
def test_a_month_no_rule_covers_is_shown_in_its_own_words_and_not_judged(registry, indicator):
    _, card = _card(registry, indicator, UNRULED, 100, 99, no_rule=True)
    ind = registry.indicator_by_id(indicator)
    assert card.share == "99,0 %" and card.of == "af 100 personer"  # shown as published
    assert card.status.kind == UNJUDGED
    assert card.status.text.startswith("Ingen kendt regel for ")
    assert card.measure == ind.got or card.measure.startswith(ind.verb + " ")
    assert not _foreign_words(indicator, f"{card.measure} {card.status.text}")


def test_tilbud_in_2027_has_no_rule_and_borrows_no_samtale_words(registry):
    _, card = _card(registry, "tilbud", "2027-02", 21, 20)
    assert card.status.text == "Ingen kendt regel for februar 2027: vurderes ikke"
    assert "samtale" not in card.measure and "tilbud" in card.measure


def test_a_month_under_an_announced_rule_says_so_and_counts_to_no_list(registry):
    g = registry.for_indicator("samtaler").target_group("dagpenge")
    assert g.rule_for("2027-02").expected  # the reference data's announced 2027 rule
    _, over = _card(registry, "samtaler", "2027-02", 100, 99)
    assert over.status.kind == OK
    assert over.status.text == "Over den forventede grænse på 75 % (reglen er ikke vedtaget)"
    _, under = _card(registry, "samtaler", "2027-02", 100, 10)
    assert under.status.kind == BELOW and "forventede" in under.status.text
