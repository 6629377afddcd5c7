"""Content pages: Markdown files in `content/` with a front matter of `key: value` lines.

Format: an optional `---` line, then `title:`, `slug:` and `order:` lines, a blank line (or a
closing `---`), then Markdown. The body may use `{{ name }}` placeholders for figures that
come from the settings (e.g. `{{ flag_threshold }}`), so the text never disagrees with the
rule the site applies.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import markdown

from ..domain.danish import slugify
from ..errors import DataError, DataErrors
from ..pages.indexes import TextPage

REQUIRED = ("title", "slug", "order")


def read_content(content_dir: Path, variables: dict[str, object]) -> tuple[TextPage, ...]:
    """Return every `*.md` page in `content_dir`, in navigation order."""
    pages, errors = [], []
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    for path in sorted(content_dir.glob("*.md")):
        md = markdown.Markdown(
            extensions=["meta", "tables", "toc", "attr_list"],
            extension_configs={"toc": {"slugify": lambda text, _separator: slugify(text)}},
        )
        try:
            text = env.from_string(path.read_text(encoding="utf-8")).render(variables)
        except jinja2.TemplateError as exc:
            errors.append(DataError(str(path), getattr(exc, "lineno", None), None, str(exc)))
            continue
        html = md.convert(text)
        meta = {k: " ".join(v) for k, v in md.Meta.items()}  # type: ignore[attr-defined]
        missing = [k for k in REQUIRED if not meta.get(k)]
        if missing:
            errors.append(DataError(str(path), 1, None, f"front matter lacks {', '.join(missing)}"))
            continue
        if not meta["order"].isdigit():
            errors.append(DataError(str(path), 1, "order", f"{meta['order']!r} is not a number"))
            continue
        pages.append(
            TextPage(
                path=f"{meta['slug'].strip('/')}/",
                title=meta["title"],
                slug=meta["slug"].strip("/"),
                order=int(meta["order"]),
                description=meta.get("description", meta["title"]),
                html=html,
            )
        )
    if errors:
        raise DataErrors(errors)
    return tuple(sorted(pages, key=lambda p: (p.order, p.slug)))
