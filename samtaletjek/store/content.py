"""Content pages: Markdown files in `content/` with a front matter of `key: value` lines.

Format: an optional `---` line, then `title:`, `slug:` and `order:` lines, a blank line (or a
closing `---`), then Markdown. The body may use `{{ name }}` placeholders for figures that
come from the settings (e.g. `{{ flag_threshold }}`), so the text never disagrees with the
rule the site applies.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import markdown

from ..domain.content import Content
from ..domain.danish import slugify
from ..errors import DataError, DataErrors

REQUIRED = ("title", "slug", "order")
# A page's address under the site root: lower-case words joined by hyphens, maybe nested.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")


def read_content(content_dir: Path, variables: dict[str, object]) -> tuple[Content, ...]:
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
        slug = meta["slug"].strip().strip("/")
        if not _SLUG.fullmatch(slug):
            message = (
                f"{meta['slug']!r} is not a page address: use lower-case letters, digits and "
                "hyphens, e.g. om or metode/data"
            )
            errors.append(DataError(str(path), 1, "slug", message))
            continue
        pages.append(
            Content(
                path=f"{slug}/",
                title=meta["title"],
                slug=slug,
                order=int(meta["order"]),
                description=meta.get("description", meta["title"]),
                html=html,
                file=str(path),
            )
        )
    seen: dict[str, Content] = {}
    for page in pages:
        if page.slug in seen:
            message = f"slug {page.slug!r} is also the slug of {seen[page.slug].file}"
            errors.append(DataError(page.file, 1, "slug", message))
        seen.setdefault(page.slug, page)
    if errors:
        raise DataErrors(errors)
    return tuple(sorted(pages, key=lambda p: (p.order, p.slug)))
