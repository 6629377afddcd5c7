"""Pure: the month and target group of a source table that has no such columns, from its
sheet name and title, the rest of its file, or the options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import DataError
from .readers.shapes import SourceFile, SourceTable
from .values import find_periods, match_own_groups, match_target_groups


def resolve_table_context(
    table: SourceTable,
    source: SourceFile,
    *,
    period: str | None = None,
    target_group: str | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
    own: Sequence[str] = (),
) -> tuple[str | None, str | None, list[DataError]]:
    """Return (month, target group) of a table that has no such columns, from its sheet name and
    title, else from the rest of the file, else from the options; and what is wrong.

    A text naming none of the table's indicator's groups (`own`) by the usual keywords is
    matched against the words naming every group (`groups`: id → words), and counts for the
    own groups it names ("kontanthjaelp_aktivering" names aktivering's kontanthjaelp)."""

    def named_in(text: str) -> set[str]:
        found = match_target_groups(text)
        if groups is not None and not found & set(own):
            return match_own_groups(text, groups, own) or found
        return found

    errors: list[DataError] = []
    month = None
    if table.frame["period"].isna().all():
        own, impossible = find_periods(table.context)
        errors += [DataError(table.file, None, None, f"sheet or title: {m}") for m in impossible]
        others: set[str] = set(find_periods(source.context)[0])
        for other in source.tables:
            if other is not table and other.frame["period"].isna().all():
                others |= find_periods(other.context)[0]
        month, problem = _pick("month", own, others, period, "--period YYYY-MM")
        if problem:
            errors.append(DataError(table.file, None, None, problem))
    group = None
    if table.frame["target_group"].isna().all():
        # Each text may narrow the others: "Akt. kontanthjælp" and "Aktivitetsparate
        # kontanthjælpsmodtagere" together name one group; texts that disagree name several.
        named = [g for g in (named_in(t) for t in table.context) if g]
        own = set.intersection(*named) if named else set()
        own = own or set().union(*named)
        others = set().union(*(named_in(t) for t in source.context))
        group, problem = _pick("target group", own, others, target_group, "--target-group ID")
        if problem:
            errors.append(DataError(table.file, None, None, problem))
    return month, group, errors


def _pick(
    what: str, own: set[str], others: set[str], option: str | None, flag: str
) -> tuple[str | None, str]:
    if len(own) == 1:
        (value,) = own
        if option is not None and option != value:
            return (
                None,
                f"the sheet or title says {what} {value}, but {flag.split()[0]} says {option}",
            )
        return value, ""
    if len(own) > 1:
        if option in own:
            return option, ""
        return None, f"names several {what}s ({', '.join(sorted(own))}); say which with {flag}"
    if option is not None:
        return option, ""
    if len(others) == 1:
        return next(iter(others)), ""
    if len(others) > 1:
        return None, (
            f"does not name its {what}, and the file mixes {', '.join(sorted(others))}; "
            f"say which with {flag}"
        )
    return None, f"does not say which {what} it holds; give {flag}"
