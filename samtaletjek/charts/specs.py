"""Compile a chart once per shape, fill in each page's data: the one way specs are made.

Altair builds and validates a spec once per chart shape, not once per page: a shape is compiled
with placeholders and named datasets, and `fill` puts a page's own data, names and texts in.
That is what keeps a build of 98 municipality pages fast.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pandas as pd

from .lazy import alt

# The shapes a build of the bundled data compiles, stored compiled (tools/store_charts.py
# writes it): a build takes them from here instead of building each with Altair (1.1 s in a
# fresh process). They are used only while the code they were compiled from is unchanged
# (`code_fingerprint`); otherwise, and for a shape not stored, the shape is compiled.
STORE = Path(__file__).with_name("compiled.json")
# Everything a compiled shape depends on: the chart code, the Danish words and formats it
# uses, and the Altair that compiles it (its Vega-Lite version).
_SOURCES = (
    *sorted(Path(__file__).parent.glob("*.py")),
    Path(__file__).parents[1] / "domain" / "danish.py",
)


def compiled(chart: alt.TopLevelMixin, validate: bool = False) -> str:
    """Return a chart's Vega-Lite spec as key-sorted JSON text: a template for `fill`.

    Inline data stays where the chart puts it (Altair would otherwise move it to named
    datasets), so a placeholder for inline values is filled in place. Validation against the
    Vega-Lite schema checks the chart code, not the data, so the tests do it for every shape
    (tests/charts/test_templates.py) and a build does not (it took half its Python time).
    """
    consolidate = alt.data_transformers.consolidate_datasets
    alt.data_transformers.consolidate_datasets = False
    try:
        spec = chart.to_dict(validate=validate)
        return json.dumps(spec, ensure_ascii=False, sort_keys=True)
    finally:
        alt.data_transformers.consolidate_datasets = consolidate


def code_fingerprint() -> str:
    """The hash of the code a stored shape was compiled from (`_SOURCES`, Altair's version)."""
    digest = hashlib.sha256(importlib.metadata.version("altair").encode())
    for source in _SOURCES:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


@functools.cache
def _stored() -> dict[str, str]:
    """The stored shapes, or none where the code has changed since they were compiled."""
    try:
        store = orjson.loads(STORE.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return store["shapes"] if store.get("code") == code_fingerprint() else {}


# Every shape compiled in this process (not taken from the store), by key: what
# tools/store_charts.py writes. `use_store = False` compiles every shape.
compiled_now: dict[str, str] = {}
use_store = True


def shape(make: Callable[..., str]) -> Callable[..., str]:
    """`make(*args, validate=False)` (a compiled shape, from `compiled`) taken from the store
    where it is there, else made and kept; with validate=True always made (the tests check
    every shape against the Vega-Lite schema that way)."""

    @functools.lru_cache(maxsize=32)
    def template(*args: object, validate: bool = False) -> str:
        if validate:
            return make(*args, validate=True)
        key = f"{make.__module__}.{make.__name__}{args!r}"
        if use_store and (text := _stored().get(key)) is not None:
            return text
        text = compiled_now[key] = make(*args)
        return text

    return functools.update_wrapper(template, make)  # its name, and `__wrapped__`: `make`


def fill(
    template: str,
    datasets: dict[str, list[dict]] | None = None,
    names: list[str] | tuple[str, ...] = (),
    values: dict[str, object] | None = None,
) -> dict:
    """Return a compiled spec with its placeholders and named datasets filled in.

    `names` replace `__series0__`, `__series1__`, … wherever they stand, also inside
    expressions (so they may not contain quotes); `values` replace placeholders that stand
    alone as a JSON string, `"__<key>__"`, by any JSON value (a text, a URL, a TopoJSON object);
    `datasets` become the spec's named datasets.
    """
    for i, name in enumerate(names):
        if '"' in name or "\\" in name:
            raise ValueError(f"series name {name!r} cannot be placed in a chart expression")
        template = template.replace(f"__series{i}__", name)
    for placeholder, value in (values or {}).items():
        template = template.replace(
            f'"__{placeholder}__"', json.dumps(value, ensure_ascii=False, sort_keys=True)
        )
    spec = orjson.loads(template)
    if datasets is not None:
        spec["datasets"] = datasets
    return spec


def placeholder(key: str) -> str:
    """The text `fill(values={key: …})` replaces."""
    return f"__{key}__"


def spec_json(spec: dict) -> str:
    """Return a spec as compact, key-sorted JSON: the same spec always gives the same bytes
    (those of `json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`
    but for floats with an exponent, which charts do not hold; tests/charts/test_templates.py)."""
    return orjson.dumps(spec, option=orjson.OPT_SORT_KEYS).decode("utf-8")


@functools.lru_cache(maxsize=4096)
def ms(period: str) -> int:
    """Milliseconds since 1970 (UTC) at the start of the month `period`: a chart's time value."""
    return int(pd.Timestamp(period + "-01", tz="UTC").value // 1_000_000)
