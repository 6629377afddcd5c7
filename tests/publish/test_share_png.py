"""The share images drawn with Pillow (publish/share_png.py) look as vl-convert draws the same
card's Vega-Lite spec (charts/share_card.py): both are drawn and their pixels compared."""

from __future__ import annotations

import dataclasses
import functools
import io
import math

import numpy as np
import pytest
from PIL import Image, ImageFilter

from samtaletjek.charts.share_card import Card, CardText, share_card, share_card_spec
from samtaletjek.charts.specs import ms, spec_json
from samtaletjek.charts.theme import MUNICIPALITY, NATIONAL, REGION, STYLES
from samtaletjek.publish import draw, share_png

MONTHS = [f"{y}-{m:02d}" for y in range(2017, 2027) for m in range(1, 13)][:118]
DEMO = "Samtaletjek · Eksempeldata – ikke officielle tal"


def points(share, months=MONTHS, unknown=()):
    """(t, share) of `months`, the share `share(i)` of the i-th, None in the months `unknown`."""
    return [(ms(p), None if i in unknown else round(share(i), 1)) for i, p in enumerate(months)]


def wave(level, height, period):
    return lambda i: level + height * math.sin(i / period)


COUNTRY = ("Hele landet", STYLES[NATIONAL], points(wave(78, 4, 9)))
CARDS = {
    # The longest names, a headline across the card, a municipality below the country.
    "long name": share_card(
        "Ringkøbing-Skjern",
        "72,4 % af dagpengemodtagere fik samtalerne til tiden",
        "oktober 2026 · under linjen · hele landet 80,1 %",
        DEMO,
        [("Ringkøbing-Skjern", STYLES[MUNICIPALITY], points(wave(62, 18, 7))), COUNTRY],
    ),
    # Figures from 2019 only, unknown months (one alone between two known ones: no line
    # shows it) and a share of 0 % and 100 %.
    "missing months": share_card(
        "Læsø",
        "100,0 % af sygedagpengemodtagere fik samtalerne til tiden",
        "oktober 2026 · få personer · hele landet 80,1 %",
        "Samtaletjek · STAR, jobindsats.dk",
        [
            (
                "Læsø",
                STYLES[MUNICIPALITY],
                points(lambda i: 100 * (i % 9 < 4), MONTHS[24:], {10, 11, 12, 14, 40, 41}),
            ),
            COUNTRY,
        ],
    ),
    # No figures for the group: the headline says so, the legend still names the series.
    "no figures": share_card(
        "Høje-Taastrup",
        "Ingen tal for jobparate kontanthjælpsmodtagere",
        " · hele landet –",
        DEMO,
        [("Høje-Taastrup", STYLES[MUNICIPALITY], []), COUNTRY],
    ),
    "national": share_card(
        "Får de ledige deres samtaler?",
        "80,1 % af dagpengemodtagere i hele landet",
        "oktober 2026 · 61 kommuner over linjen, 37 under",
        DEMO,
        [COUNTRY],
    ),
    # A dashed series (the region's style), its dashes going on across the months.
    "dashed": share_card(
        "Aabenraa",
        "55,0 % af dagpengemodtagere fik samtalerne til tiden",
        "oktober 2026",
        "Samtaletjek",
        [
            ("Region Syddanmark", STYLES[REGION], points(wave(55, 25, 3), MONTHS[:40], {20})),
            ("Hele landet", STYLES[NATIONAL], points(wave(60, 5, 5), MONTHS[:40])),
        ],
    ),
    # A site of one month: each series a single point, in the middle, which no line shows.
    "one month": share_card(
        "Aabenraa",
        "55,0 % af dagpengemodtagere fik samtalerne til tiden",
        "januar 2017",
        "Samtaletjek",
        [
            ("Aabenraa", STYLES[MUNICIPALITY], points(wave(55, 0, 1), MONTHS[:1])),
            ("Hele landet", STYLES[NATIONAL], points(wave(60, 0, 1), MONTHS[:1])),
        ],
    ),
}
# Two drawings are compared blurred (a Gaussian of 1.5 px): the two text rasterisers (resvg's
# unhinted outlines, FreeType's hinted glyphs) and the two line rasterisers put edges up to
# half a pixel apart, and the palettes differ a shade, which the blur evens out; a pixel then
# differs when a channel differs by more than `TOLERANCE`. Measured (2 December 2026): the
# cards here 0.003–0.012 % of their pixels, the site's 102 cards at most 0.025 %. Unblurred,
# 0.45–1.4 % of the pixels differ by more than 64, all of them at the edges of glyphs and
# lines. A line of text 2 px lower makes 0.89 %, a series or the footer missing 0.6–1.1 %,
# the legend's names missing 0.50 % (`test_the_comparison_sees_a_misplaced_line`); 1 px
# lower makes 0.08 % and passes: nobody sees it.
TOLERANCE = 48
ALLOWED = 0.002  # of the card's pixels


def pixels(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png)).convert("RGB").filter(ImageFilter.GaussianBlur(1.5))
    return np.asarray(image, dtype=np.int16)


def differing(a: bytes, b: bytes) -> float:
    """The share of pixels of two PNGs that differ by more than `TOLERANCE`, blurred."""
    return float((np.abs(pixels(a) - pixels(b)).max(axis=2) > TOLERANCE).mean())


@functools.cache
def vl_convert(card: Card) -> bytes:
    return draw.render(("png", spec_json(share_card_spec(card))))


def pillow(card: Card) -> bytes:
    return share_png.render(spec_json(card.as_dict()))


def as_set(card: Card) -> Card:
    """The card with each text in the size Pillow sets it in: smaller where it would run past
    the card (vl-convert would cut it off)."""
    room = card.width - 2 * card.left
    return dataclasses.replace(
        card,
        texts=tuple(
            dataclasses.replace(t, size=share_png._fitting(t.text, t.size, t.bold, room))
            for t in card.texts
        ),
    )


@pytest.mark.parametrize("name", CARDS)
def test_a_card_drawn_with_pillow_looks_as_vl_convert_draws_it(name: str):
    card = CARDS[name]
    png = pillow(card)
    assert differing(vl_convert(as_set(card)), png) <= ALLOWED
    image = Image.open(io.BytesIO(png))
    assert image.size == (1200, 630) and image.mode == "P"
    assert len(image.getcolors()) <= share_png.COLOURS
    assert pillow(card) == png  # the same card, the same bytes


def test_a_line_longer_than_the_card_is_set_smaller_not_cut_off():
    card = CARDS["missing months"]
    room = card.width - 2 * card.left
    long = max(card.texts, key=lambda t: share_png._font(t.size, t.bold).getlength(t.text))
    assert share_png._font(long.size, long.bold).getlength(long.text) > room  # would be cut
    size = share_png._fitting(long.text, long.size, long.bold, room)
    assert share_png.SMALLEST <= size < long.size
    assert share_png._font(size, long.bold).getlength(long.text) <= room
    for t in card.texts:  # the others keep their size
        if t is not long:
            assert share_png._fitting(t.text, t.size, t.bold, room) == t.size


def test_the_comparison_sees_a_misplaced_line():
    card = CARDS["long name"]
    drawn = vl_convert(card)
    headline = card.texts[1]
    lower = dataclasses.replace(headline, y=headline.y + 2)
    moved = dataclasses.replace(card, texts=(card.texts[0], lower, *card.texts[2:]))
    assert differing(drawn, pillow(moved)) > 2 * ALLOWED
    no_country = dataclasses.replace(card, series=card.series[:1])
    assert differing(drawn, pillow(no_country)) > 2 * ALLOWED
    unnamed = tuple(dataclasses.replace(s, name="") for s in card.series)
    assert differing(drawn, pillow(dataclasses.replace(card, series=unnamed))) > 2 * ALLOWED


def test_the_cache_key_changes_with_what_is_drawn():
    card = CARDS["national"]
    texts = (CardText("Andet", 40, 64, "#000000", True), *card.texts[1:])
    other = dataclasses.replace(card, texts=texts)
    assert spec_json(card.as_dict()) != spec_json(other.as_dict())
    assert share_png.VERSION in draw.VERSION  # a new drawer draws every card again


def test_a_card_as_json_is_what_dataclasses_asdict_gives():
    for card in CARDS.values():
        assert spec_json(card.as_dict()) == spec_json(dataclasses.asdict(card))
