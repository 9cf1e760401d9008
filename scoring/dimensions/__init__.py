"""Built-in dimensions: every module in this package registers one. Importing the package
registers them all, the same way an extension registers its own."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
