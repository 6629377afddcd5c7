"""Store the chart shapes a build of the bundled data compiles (samtaletjek/charts/compiled.json),
so a build fills them in without building them with Altair first.

Run it after changing the chart code (samtaletjek/charts/), Danish formats or Altair:

    python tools/store_charts.py

Until then a build compiles every shape itself (the stored ones no longer match the code's
fingerprint), which is correct but about 1.5 s slower, and
tests/charts/test_templates.py::test_the_stored_shapes_are_those_the_code_compiles fails.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from samtaletjek.build import build
from samtaletjek.charts import specs
from samtaletjek.publish.pictures import Renderer
from samtaletjek.settings import project_settings

ROOT = Path(__file__).resolve().parent.parent


def _nothing(job: tuple[str, str]) -> bytes:
    """No picture: only the shapes the pages compile are wanted, not their drawings."""
    return b""


def main() -> None:
    specs.use_store = False
    with tempfile.TemporaryDirectory() as out:
        settings = project_settings(ROOT, None, out_dir=Path(out) / "site")
        build(settings, jobs=1, use_cache=False, renderer=Renderer(_nothing, "no pictures"))
    store = {"code": specs.code_fingerprint(), "shapes": dict(sorted(specs.compiled_now.items()))}
    specs.STORE.write_bytes(orjson.dumps(store, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"{len(store['shapes'])} shapes stored in {specs.STORE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
