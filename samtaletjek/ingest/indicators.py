"""Pure: what the tables and measures of an indicator are called, as data.

jobindsats.dk's table and measure ids are not known in advance, so `fetch` finds the tables by
what their names say and reads the measures by what their labels say. Each indicator is a set
of folded keywords (case, æøå and spacing folded, as `domain.danish.fold` does):

- `table_words`: a table whose name, group, subject or portal path holds one is a candidate;
- `avoid_tables`: words that mean a candidate is something else, each with the reason shown;
- `measures`: one rule per canonical column, tried in order (the first that fits wins), so
  "Andel med mindst 4 jobsamtaler" is a share before it is a count;
- `required`: the columns a table must have, each entry a set of alternatives.

Only the samtale indicator is implemented. Another one (the active offer, "tilbud"; the
passive share, "passivandel") is another `Indicator` value, not new code.
"""

from __future__ import annotations

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
        text = fold(label)
        return all(any(w in text for w in words) for words in self.needs) and not any(
            w in text for w in self.avoid
        )


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str  # how messages name it
    table_words: tuple[str, ...]
    avoid_tables: tuple[tuple[str, str], ...]  # (word, why a table with it is not this)
    measures: tuple[MeasureRule, ...]
    required: tuple[tuple[str, ...], ...]

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

SAMTALER = Indicator(
    id="samtaler",
    name="samtale shares (persons, persons with the required samtaler, share)",
    table_words=("samtale", "kontaktforloeb", "tidligindsats"),
    avoid_tables=(
        ("samtaleform", "counts samtaler by form, not persons with the required samtaler"),
        ("iakassen", "about samtaler in the a-kasse, not the municipality's"),
    ),
    measures=(
        MeasureRule("share_pct", (("andel", "pct", "procent"), ("samtale",)), _CHANGE),
        MeasureRule("mean_conversations", (("gns", "gennemsnit"), ("samtale",)), _CHANGE),
        MeasureRule("persons_meeting", (("personer",), ("samtale",)), ("andel", "pct", *_CHANGE)),
        MeasureRule(
            "persons",
            (("personer",),),
            ("samtale", "tilbud", "andel", "pct", "procent", "gns", "tilgang", "afgang"),
        ),
    ),
    required=(("persons",), ("persons_meeting", "share_pct")),
)

INDICATORS = {SAMTALER.id: SAMTALER}
