"""Pure: jobindsats.dk API v3 metadata → what the catalogue lists and what one table holds.

Formats, as seen in real answers (every key is read tolerantly; what does not fit is a
`CatalogueError` saying what was expected):

- `GET /v3/tables?format=json`: a list of subjects `{"subject_name", "table_groups":
  [{"table_group_name", "tables": [{"table_id", "table_name", "link_tablepage",
  "update_latest", "mgroups": [{"mgroup_id", "mgroup_name"}], "periods": {"periodtypes":
  [{"periodtype_id", "period_last"}]}}]}]}`. Ids are lower case (`smt02`).
- `GET /v3/table/<id>?format=json`: `{"periods": [{"periodtype_id": "M", "values":
  [{"period_id": "2026M05"}, …]}], "dimensions": [{"dimension_id", "dimension_name",
  "hierarchies": [{"hierarchy_id", "levels": [{"level_id", "values": [{"value_id",
  "value_name"}]}]}]}], "mgroups": [{"mgroup_id", "mgroup_name", "measures": [{"measure_id",
  "measure_name"}]}]}`.
"""

from __future__ import annotations

from dataclasses import dataclass


class CatalogueError(ValueError):
    """Metadata that is not what jobindsats.dk's API v3 answers; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One table as the catalogue lists it."""

    id: str
    name: str
    subject: str = ""
    group: str = ""
    page: str = ""  # the portal's table page: its path names the topic
    updated: str = ""

    @property
    def slug(self) -> str:
        """The last part of the table page's path: `…/samtaler/samtaleformer-i-a-kassen/` →
        `samtaleformer-i-a-kassen` (the parts before it name the subject, shared by many)."""
        return next((p for p in reversed(self.page.split("?")[0].split("/")) if p), "")

    @property
    def texts(self) -> tuple[str, ...]:
        """What says what the table holds: its name, its group and its page's name. (The
        subject, e.g. "Tilbud og samtaler", is shared by tables of every kind.)"""
        return (self.name, self.group, self.slug)


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    group_id: str = ""
    group_name: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """How a data answer may head this measure's column: `<group>: <measure>` or bare."""
        return (f"{self.group_name}: {self.name}", self.name) if self.group_name else (self.name,)


@dataclass(frozen=True)
class Value:
    id: str
    name: str
    level: str = ""


@dataclass(frozen=True)
class Hierarchy:
    id: str
    dimension: str  # the dimension's name (its column label in data answers), else its id
    values: tuple[Value, ...]


@dataclass(frozen=True)
class TableInfo:
    """What `GET /table/<id>` says a table holds."""

    id: str
    name: str
    periods: tuple[tuple[str, tuple[str, ...]], ...]  # period type → its period ids, sorted
    hierarchies: tuple[Hierarchy, ...]
    measures: tuple[Measure, ...]

    def period_ids(self, kind: str) -> tuple[str, ...]:
        return next((ids for t, ids in self.periods if t == kind), ())


def _text(item: object, *keys: str) -> str:
    if not isinstance(item, dict):
        return ""
    for key in keys:
        value = item.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def _list(item: object, *keys: str) -> list:
    if isinstance(item, dict):
        for key in keys:
            value = item.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict):  # {"periodtypes": [...]}-style wrappers
                inner = next((v for v in value.values() if isinstance(v, list)), None)
                if inner is not None:
                    return inner
    return []


def parse_catalogue(raw: object) -> tuple[Entry, ...]:
    """Return every table the `/tables` answer lists, in its order."""
    subjects = raw.get("subjects") if isinstance(raw, dict) else raw
    if not isinstance(subjects, list) or not all(isinstance(s, dict) for s in subjects):
        raise CatalogueError(
            'not a jobindsats v3 table list (expected [{"subject_name", "table_groups": [...]}])'
        )
    entries = []
    for subject in subjects:
        groups = _list(subject, "table_groups", "tablegroups")
        if not groups and _list(subject, "tables"):
            groups = [subject]
        for group in groups:
            for table in _list(group, "tables"):
                table_id = _text(table, "table_id", "id").lower()
                if not table_id:
                    continue
                entries.append(
                    Entry(
                        id=table_id,
                        name=_text(table, "table_name", "name") or table_id,
                        subject=_text(subject, "subject_name", "name"),
                        group=_text(group, "table_group_name", "name"),
                        page=_text(table, "link_tablepage", "link_infopage"),
                        updated=_text(table, "update_latest"),
                    )
                )
    return tuple(entries)


def parse_table(raw: object, table_id: str) -> TableInfo:
    """Return what the `/table/<id>` answer says the table holds."""
    if not isinstance(raw, dict) or not any(k in raw for k in ("dimensions", "mgroups")):
        raise CatalogueError(
            'not a jobindsats v3 table description (expected {"periods", "dimensions", "mgroups"})'
        )
    periods = []
    for kind in _list(raw, "periods"):
        ids = sorted({_text(v, "period_id", "id") for v in _list(kind, "values")} - {""})
        periods.append((_text(kind, "periodtype_id", "id").upper(), tuple(ids)))
    hierarchies = []
    for dimension in _list(raw, "dimensions"):
        label = _text(dimension, "dimension_name", "name", "label", "dimension_id", "id")
        for hierarchy in _list(dimension, "hierarchies"):
            values = [
                Value(_text(v, "value_id", "id"), _text(v, "value_name", "name"), level_id)
                for level in _list(hierarchy, "levels")
                for level_id in [_text(level, "level_id", "id")]
                for v in _list(level, "values")
            ]
            hierarchy_id = _text(hierarchy, "hierarchy_id", "id")
            if hierarchy_id:
                name = label or _text(hierarchy, "hierarchy_name", "name") or hierarchy_id
                hierarchies.append(Hierarchy(hierarchy_id, name, tuple(values)))
    measures = []
    for group in _list(raw, "mgroups"):
        group_id, group_name = _text(group, "mgroup_id", "id"), _text(group, "mgroup_name", "name")
        listed = _list(group, "measures")
        if not listed and group_name:  # a group without measures listed is one measure
            measures.append(Measure(group_id, group_name))
        for measure in listed:
            measure_id = _text(measure, "measure_id", "id")
            name = _text(measure, "measure_name", "name", "label") or measure_id
            if name:
                measures.append(Measure(measure_id, name, group_id, group_name))
    return TableInfo(
        id=table_id,
        name=_text(raw, "table_name", "name"),
        periods=tuple(periods),
        hierarchies=tuple(hierarchies),
        measures=tuple(measures),
    )
