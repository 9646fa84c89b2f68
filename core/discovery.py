"""Find modules by convention instead of keeping lists (as Indico's ``import_all_models``).

Every module named ``models`` (or inside a ``models`` package) under a package holds mapped
classes; importing it registers them with the metadata. A new area needs no line anywhere.
"""
from __future__ import annotations

import importlib
import pkgutil


def walk(package_name: str) -> list[str]:
    """Dotted names of every module below ``package_name``, in a stable order."""
    package = importlib.import_module(package_name)
    return sorted(info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."))


def import_models(*package_names: str) -> list[str]:
    """Import every ``models`` module (or module of a ``models`` package) below the packages."""
    found = [name for package_name in package_names for name in walk(package_name)
             if "models" in name.split(".")[1:]]
    for name in found:
        importlib.import_module(name)
    return found


def import_all(package_name: str) -> list[str]:
    """Import every module below ``package_name`` (Celery tasks register as they are defined)."""
    names = walk(package_name)
    for name in names:
        importlib.import_module(name)
    return names
