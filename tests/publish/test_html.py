"""A template that cannot be read or filled is one line naming its file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from samtaletjek.pages.addresses import Urls
from samtaletjek.pages.base import Site
from samtaletjek.pages.provenance import Origins
from samtaletjek.publish.html import TemplateProblem, environment, render_page


@dataclass(frozen=True)
class Page:
    template: ClassVar[str] = "page.html"
    path: str = "x/"
    title: str = "X"


def site() -> Site:
    return Site("T", Urls(), Origins(), "", "", (), (), 10)


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("<p>\n{% if %}\n</p>", 2, "Expected an expression"),
        ("<p>\n\n{{ page.nonexistent }}</p>", 3, "has no attribute 'nonexistent'"),
        ("{% include 'missing.html' %}", 1, "missing.html"),
    ],
)
def test_a_broken_template_is_one_line_with_its_place(tmp_path: Path, text, line, says):
    (tmp_path / "page.html").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_page(environment(tmp_path, site()), Page())
    message = caught.value.format_message()
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'page.html'}:{line}: template error:"), message
    assert says in message
