"""Altair, imported when a chart is first built rather than when the charts are imported: a
build fills the stored shapes in (`specs.shape`) and so never needs it (about 0.2 s and 26 MB
of the build's main process). The theme is registered as it is imported."""

from __future__ import annotations

import importlib
from types import ModuleType


class _Altair:
    """Stands for the `altair` module: the first attribute asked for imports it."""

    _module: ModuleType | None = None

    def __getattr__(self, name: str) -> object:
        module = _Altair._module
        if module is None:
            module = importlib.import_module("altair")
            from .theme import register

            register(module)
            _Altair._module = module
        return getattr(module, name)


alt = _Altair()
