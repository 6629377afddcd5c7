"""What the benchmark counts as a page's weight before interaction (tools/page_weight.py), on a
hand-made site: what a browser fetches while the page opens, and nothing it fetches later."""

from __future__ import annotations

import gzip
from pathlib import Path

from tools.page_weight import all_paths, before_interaction, eager_paths

PAGE = """<!doctype html><html><head>
<link rel="icon" href="../../assets/favicon.svg">
<link rel="stylesheet" href="/site/assets/style.css">
<link rel="alternate" type="application/atom+xml" href="/site/feed.xml">
<link rel="canonical" href="https://example.org/site/kommune/varde/">
</head><body>
<img src="kort.svg" alt=""><img src="langt-nede.png" loading="lazy" alt="">
<img src="data:image/gif;base64,R0lGOD" alt="">
<figure data-spec="/site/diagrammer/felt.vl.json" data-values="tal.json"></figure>
<a href="/site/data/alle.csv" download>Hent</a>
<script src="/site/assets/samtaletjek.js" data-vega="/site/assets/vendor/vega.js" defer></script>
<script type="application/json">{"src": "/site/assets/nope.js"}</script>
</body></html>"""


def test_a_page_weighs_what_it_fetches_while_it_opens(tmp_path: Path):
    files = {
        "kommune/varde/index.html": PAGE,
        "kommune/varde/kort.svg": "<svg/>",
        "assets/favicon.svg": "<svg/>",
        "assets/style.css": "body{font:1rem f} @font-face{src:url('fonts/f.woff2')}",
        "assets/fonts/f.woff2": "font",
        "assets/samtaletjek.js": "var a = 1;" * 100,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    assert eager_paths(tmp_path, "kommune/varde/", "/site/") == [
        "/site/kommune/varde/",
        "/site/assets/favicon.svg",
        "/site/assets/style.css",
        "/site/kommune/varde/kort.svg",
        "/site/assets/samtaletjek.js",
        "/site/assets/fonts/f.woff2",  # named by the stylesheet
    ]
    loaded = before_interaction(tmp_path, "kommune/varde/", "/site/")
    script = (tmp_path / "assets/samtaletjek.js").read_bytes()
    assert loaded[4].raw == len(script) == 1000
    assert loaded[4].gzip == len(gzip.compress(script, 6, mtime=0)) < 100


def test_all_a_page_may_load_adds_its_charts_specs_figures_and_the_bundle(tmp_path: Path):
    (tmp_path / "kommune/varde").mkdir(parents=True)
    (tmp_path / "kommune/varde/index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/style.css").write_text("body{}", encoding="utf-8")
    later = all_paths(tmp_path, "kommune/varde/", "/site/")
    assert later[: len(eager := eager_paths(tmp_path, "kommune/varde/", "/site/"))] == eager
    assert later[len(eager) :] == [
        "/site/diagrammer/felt.vl.json",
        "/site/kommune/varde/tal.json",
        "/site/assets/vendor/vega.js",
    ]
    chartless = PAGE.replace('data-spec="/site/diagrammer/felt.vl.json" data-values="tal.json"', "")
    (tmp_path / "kommune/varde/index.html").write_text(chartless, encoding="utf-8")
    assert all_paths(tmp_path, "kommune/varde/", "/site/") == eager  # no chart: no bundle
