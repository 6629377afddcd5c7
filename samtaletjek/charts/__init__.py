"""Pure: one function per chart returning an Altair chart, one theme, and one way to make a
page's spec from a shape compiled once (`specs.fill`). Rendering is publish's work.

Importing the package registers and enables the theme.
"""

from __future__ import annotations

from . import theme as _theme  # noqa: F401 - registers the theme
