"""Pure: one function per chart returning an Altair chart, one theme, and one way to make a
page's spec from a shape compiled once (`specs.fill`). Rendering is publish's work.

Altair is imported, and the theme registered and enabled, when a chart is first built
(`lazy.alt`): a build that fills stored shapes never imports it.
"""

from __future__ import annotations
