"""Pure: what the tables and measures of each indicator are called, as data.

jobindsats.dk's table and measure ids are not known in advance, so `fetch` finds the tables by
what their names say, and every reader reads the measures by what their labels say. Each
indicator is a set of folded keywords (case, æøå and spacing folded, as `domain.danish.fold`
does):

- `words`: a measure label holding one speaks of this indicator ("Andel med aktivt tilbud
  (pct.)" is tilbud, "Passivandel i perioden i pct." passivandel); where no label names one,
  the sheet name or title may. A label that names none ("Antal personer") is shared by the
  indicators of its table; one naming several is ambiguous. `outranks`: indicators a text
  naming this one too does not speak of ("uden aktivt tilbud" is passivity, not the offer);
- `table_words`: a table whose name, group or portal path holds one is a candidate;
- `avoid_tables`: words that mean a candidate is something else, each with the reason shown;
- `measures`: one rule per canonical column, tried in order (the first that fits wins), so
  "Andel med mindst 4 jobsamtaler" is a share before it is a count;
- `required`: the columns a table must have, each entry a set of alternatives;
- `narrow`: dimensions a table of this indicator must not be summed over, each narrowed to
  one value (passivandel is measured over the last 12 months on the benefit, and jobindsats'
  table gives 1½, 3, 6, 9 and 12 months side by side);
- `persons_table`: where the table gives the share but not the persons it is a share of
  (aktivering), the words of the sibling table of the same benefit that counts them;
- `not_on_v3`: what `fetch` says when the catalogue has no table of the indicator.

The indicators are samtaler (the required job conversations), tilbud (an active offer by 6
months), passivandel (no active effort in the last 12 months) and aktivering (in an active
offer at least one day in the month, with the activation degree beside it). Another one is
another `IndicatorWords` value, not new code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.danish import fold


@dataclass(frozen=True)
class MeasureRule:
    """A measure label means `column` when every entry of `needs` has one of its words in the
    folded label, and no word of `avoid` is in it."""

    column: str
    needs: tuple[tuple[str, ...], ...]
    avoid: tuple[str, ...] = ()

    def fits(self, label: str) -> bool:
        text = fold(label.replace("%", " pct "))
        return all(any(w in text for w in words) for words in self.needs) and not any(
            w in text for w in self.avoid
        )


@dataclass(frozen=True)
class Narrowing:
    """A dimension whose values match `kind` (on their lower-case text) holds alternatives that
    must not be added up; the value matching `wanted` is the one the indicator measures."""

    kind: str  # a regular expression
    wanted: str  # a regular expression
    what: str  # what the wanted value is, for messages: "the last 12 months"

    def applies(self, values: Iterable[str]) -> bool:
        return any(re.search(self.kind, v.lower()) for v in values)

    def pick(self, values: Iterable[str]) -> list[str]:
        """Return the values that are the wanted one (one, if the dimension is as expected)."""
        return [v for v in values if re.search(self.wanted, v.lower())]


@dataclass(frozen=True)
class IndicatorWords:
    """How sources name one indicator (what it means is the registry's `Indicator`)."""

    id: str
    name: str  # how messages name it
    words: tuple[str, ...]
    table_words: tuple[str, ...]
    avoid_tables: tuple[tuple[str, str], ...]  # (word, why a table with it is not this)
    measures: tuple[MeasureRule, ...]
    required: tuple[tuple[str, ...], ...]
    counted: str  # the persons the share counts, for messages: "who had the samtaler"
    example: str  # a label of its share, for messages
    outranks: tuple[str, ...] = ()
    narrow: tuple[Narrowing, ...] = ()
    persons_table: tuple[str, ...] = ()
    not_on_v3: str = ""

    def is_candidate(self, texts: Iterable[str]) -> bool:
        """True if one of a table's texts holds one of `table_words`."""
        return any(w in fold(t) for t in texts for w in self.table_words)

    def avoided(self, texts: Iterable[str]) -> list[str]:
        """Return why a table is not this indicator, from the words of its texts."""
        folded = [fold(t) for t in texts]
        return list(
            dict.fromkeys(why for w, why in self.avoid_tables if any(w in t for t in folded))
        )

    def column(self, label: str) -> str | None:
        """Return the canonical column a measure label means, or None."""
        return next((r.column for r in self.measures if r.fits(label)), None)

    def lacks(self, columns: Iterable[str]) -> list[str]:
        """Return the required columns (alternatives joined by "or") that `columns` lack."""
        have = set(columns)
        return [" or ".join(need) for need in self.required if not have & set(need)]


_CHANGE = ("aendring", "procentpoint", "pctpoint")
_SHARE = ("andel", "pct", "procent")
_PERSONS = ("personer", "borgere")
_OFFER = ("tilbud",)
_NO_OFFER = ("udentilbud", "ingentilbud", "ikketilbud", "udenaktivt", "ingenaktivt")
_PASSIVE = ("passiv", "udenaktiv", "ingenaktiv", "manglendeaktiv", "udennogenaktiv")
_REQUIRED = (("persons",), ("persons_meeting", "share_pct"))
_ACTIVATED = "aktiveringsberoert"  # "Andel aktiveringsberørte": in an offer this month
# Measures of none of the indicators, though their words are close: the activation rate,
# activated persons counted as such, full-time equivalents (not persons), persons who came or
# left.
FOREIGN = ("aktiveringsgrad", "aktiverede", "aktiveret", "fuldtidsperson", "tilgang", "afgang")
# A dimension of look-back windows ("Seneste 1½ mdr." … "Seneste 12 mdr."): the 12 months.
_LAST_12_MONTHS = Narrowing(
    kind=r"\b(mdr|måned|maaned)",
    wanted=r"(?<![\d½,.])12\s*(mdr|måned|maaned)",
    what="the last 12 months",
)


def _persons(*avoid: str) -> MeasureRule:
    """The number of persons measured: a label of persons that says nothing of what they got."""
    return MeasureRule(
        "persons",
        (_PERSONS,),
        ("samtale", "tilbud", *_PASSIVE, *_SHARE, "gns", "tilgang", "afgang", *avoid),
    )


SAMTALER = IndicatorWords(
    id="samtaler",
    name="samtale shares (persons, persons with the required samtaler, share)",
    words=("samtale", "kontaktforloeb"),
    table_words=("samtale", "kontaktforloeb", "tidligindsats"),
    avoid_tables=(
        ("samtaleform", "counts samtaler by form, not persons with the required samtaler"),
        ("iakassen", "about samtaler in the a-kasse, not the municipality's"),
    ),
    measures=(
        MeasureRule("share_pct", (_SHARE, ("samtale",)), _CHANGE),
        MeasureRule("mean_conversations", (("gns", "gennemsnit"), ("samtale",)), _CHANGE),
        MeasureRule("persons_meeting", (("personer",), ("samtale",)), ("andel", "pct", *_CHANGE)),
        _persons(),
    ),
    required=_REQUIRED,
    counted="who had the samtaler",
    example="Andel med mindst 6 samtaler (pct.)",
)

TILBUD = IndicatorWords(
    id="tilbud",
    name="offer shares (persons, persons with an active offer, share)",
    words=_OFFER,
    table_words=("tilbud", "aktivering", "tidligindsats"),
    avoid_tables=(
        ("passiv", "about passivity (no active effort), not the offer by 6 months"),
        ("aktiveringsgrad", "about the activation rate, not the offer by 6 months"),
        ("aktiveredepersoner", "counts activated persons, not the offer by 6 months"),
        (_ACTIVATED, "about an active offer in the month (aktivering), not by 6 months"),
    ),
    measures=(
        MeasureRule("share_pct", (_SHARE, _OFFER), (*_CHANGE, *_NO_OFFER)),
        MeasureRule("persons_meeting", (_PERSONS, _OFFER), (*_SHARE, *_CHANGE, *_NO_OFFER)),
        _persons(),
    ),
    required=_REQUIRED,
    counted="who had an active offer",
    example="Andel med aktivt tilbud (pct.)",
)

PASSIVANDEL = IndicatorWords(
    id="passivandel",
    name="passive shares (persons, persons without any active effort, share)",
    words=_PASSIVE,
    table_words=("passiv", "aktivering", "udenaktiv", "manglendeaktiv"),
    avoid_tables=(
        ("aktiveredepersoner", "counts activated persons, not the share without any effort"),
        (_ACTIVATED, "about an active offer in one month (aktivering), not the last 12 months"),
    ),
    measures=(
        # "Passivandel" holds "andel": a count of the passive is told by "antal" without "pct".
        MeasureRule("persons_meeting", (("antal", *_PERSONS), _PASSIVE), ("pct", "procent")),
        MeasureRule("share_pct", (_SHARE, _PASSIVE), _CHANGE),
        _persons("aktivindsats", "medaktiv"),
    ),
    required=_REQUIRED,
    counted="without any active effort",
    example="Passivandel i perioden i pct.",
    outranks=("samtaler", "tilbud"),
    narrow=(_LAST_12_MONTHS,),
    not_on_v3="no table found for passivandel on v3; import it from a file that holds it",
)

# STAR's "Aktiveringsgrad og andel aktiveringsberørte" (one table per benefit): the share is
# "Andel aktiveringsberørte", the activation degree "Aktiveringsgrad"; the persons are those of
# the sibling table "Antal personer og fuldtidspersoner" of the same benefit (persons, not
# full-time persons). "Aktiveringsgrad" stays foreign to the labels of the other indicators'
# files (`read_label`); fetch reads this table's measures by these rules alone.
AKTIVERING = IndicatorWords(
    id="aktivering",
    name="activation shares (persons, share in an active offer in the month, activation degree)",
    words=(_ACTIVATED,),
    table_words=(_ACTIVATED,),
    avoid_tables=(),
    measures=(
        MeasureRule("share_pct", ((_ACTIVATED,),), (*_CHANGE, "aktiveringsgrad", "antal")),
        MeasureRule("activation_degree", (("aktiveringsgrad",),), (*_CHANGE, _ACTIVATED)),
        MeasureRule("persons", (("antalpersoner",),), (*_CHANGE, "fuldtid", "aktiver")),
    ),
    required=(("persons",), ("share_pct",)),
    counted="in an active offer at least one day in the month",
    example="Andel aktiveringsberørte (pct.)",
    persons_table=("antalpersonerogfuldtidspersoner",),
)

SHARED_PERSONS = _persons()  # a label naming no indicator that counts the persons measured
INDICATORS = {i.id: i for i in (SAMTALER, TILBUD, PASSIVANDEL, AKTIVERING)}
DEFAULT = SAMTALER.id  # what a table that names no indicator is read as


def named(text: str) -> frozenset[str]:
    """Return the indicators a text speaks of, by their words (the outranked left out)."""
    folded = fold(text)
    ids = {i.id for i in INDICATORS.values() if any(w in folded for w in i.words)}
    return frozenset(ids - {o for i in ids for o in INDICATORS[i].outranks})


@dataclass(frozen=True)
class Label:
    """What a measure label says: the indicators it speaks of (none: shared by the table's;
    several: ambiguous) and the canonical column it means; `foreign` for a measure of none
    of them (an activation rate, persons who came or left)."""

    indicators: frozenset[str]
    column: str | None
    foreign: bool = False


def read_label(label: str) -> Label:
    """Return what a measure label says. A label `<group>: <measure>` (jobindsats' measure
    groups) speaks of the indicator its measure names, else of the one its group names."""
    if any(w in fold(label) for w in FOREIGN):
        return Label(frozenset(), None, foreign=True)
    prefix, _, measure = label.rpartition(": ")
    ids = named(measure) or named(prefix)
    if len(ids) != 1:
        return Label(ids, "persons" if not ids and SHARED_PERSONS.fits(measure) else None)
    (only,) = ids
    indicator = INDICATORS[only]
    return Label(ids, indicator.column(measure) or indicator.column(label))
