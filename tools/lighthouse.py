"""Lighthouse scores of the built site, measured in Debian's Chromium (mobile profile).

Run from the project root after `python3 build.py build` and `npm ci`:

    python3 tools/lighthouse.py                         # output/ → lighthouse/scores.json
    python3 tools/lighthouse.py --site DIR --out DIR --page kommune/aarhus/

It serves the site on 127.0.0.1 (gzip-compressed, as a static host would), runs npm's
`lighthouse` once per page with CHROME_PATH set to Chromium, keeps each full JSON report
in --out, and writes and prints the four category scores (0–100). With --check it exits 1
when accessibility is under 100 or another score under 95.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as a file: python3 tools/lighthouse.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.browser import CHROMIUM_ARGS, NODE_MODULES, ROOT, chromium_path, serve

LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}
PAGES = ("", "kommune/varde/")


def run_lighthouse(url: str, report: Path) -> dict:
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} not found: run `npm ci` in {ROOT}")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def scores_of(result: dict) -> dict[str, int | None]:
    return {
        name: None if category["score"] is None else round(category["score"] * 100)
        for name, category in result["categories"].items()
    }


def shortfalls(result: dict) -> list[str]:
    """The audits that cost points: "category: audit title (score)"."""
    lines = []
    for name, category in result["categories"].items():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"{name}: {audit['title']} ({audit['score']:.2f}) {value}".rstrip())
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "output", help="built site (output/)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "lighthouse", help="reports and scores (lighthouse/)"
    )
    parser.add_argument(
        "--page",
        action="append",
        dest="pages",
        help="a path under the base URL (repeatable; default: the overview and kommune/varde/)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a score misses its aim")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    results: dict[str, dict] = {}
    missed = []
    start = time.perf_counter()
    with serve(args.site) as url:
        for path in args.pages or list(PAGES):
            name = path.strip("/").replace("/", "-") or "overview"
            began = time.perf_counter()
            result = run_lighthouse(url + path, args.out / f"{name}.report.json")
            scores = scores_of(result)
            seconds = round(time.perf_counter() - began, 1)
            results[path or "/"] = {"scores": scores, "seconds": seconds}
            print(
                f"{path or '/':24} "
                + "  ".join(f"{category} {scores.get(category)}" for category in CATEGORIES)
                + f"  ({seconds} s)"
            )
            for line in shortfalls(result):
                print(f"    {line}")
            missed += [
                f"{path or '/'}: {category} {scores.get(category)} < {aim}"
                for category, aim in TARGETS.items()
                if (scores.get(category) or 0) < aim
            ]
    summary = {
        "lighthouse": result["lighthouseVersion"],
        "browser": result["environment"]["hostUserAgent"],
        "form_factor": result["configSettings"]["formFactor"],
        "pages": results,
        "seconds": round(time.perf_counter() - start, 1),
    }
    (args.out / "scores.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{args.out / 'scores.json'} written in {summary['seconds']} s")
    if missed:
        print("Below the aim:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
