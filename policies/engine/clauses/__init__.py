"""Clause declarations. Every module of this package is imported, so a new file
(e.g. a colleague's ``zzb_2022_51.py``) registers its clauses without further wiring."""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
