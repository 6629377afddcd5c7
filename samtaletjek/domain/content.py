"""A content page as it was written: a Markdown file of `content/`, turned into HTML by the
store (`store.content`) and made a page of the site by `pages.indexes.text_page`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Content:
    path: str  # its page's path: "om/"
    title: str
    slug: str
    order: int  # its place in the menu
    description: str
    html: str
    file: str  # the Markdown file it was read from, for error messages
