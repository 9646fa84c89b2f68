"""The shape the import contracts rely on (the contracts themselves: .importlinter, checked by
``lint-imports`` in ``make lint``): every domain area is in the areas contract, the domain's
root holds only its packages, and no module takes part in an import cycle."""
from __future__ import annotations

import configparser
import importlib
import sys

import grimp

import mentorship
from tests.support.paths import PROJECT_ROOT

PACKAGES = ("config", "core", "tenants", "mentorship", "blueprints", "tasks", "demo")


def _contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(PROJECT_ROOT / ".importlinter")
    return parser


def test_every_area_package_is_in_the_areas_contract_in_the_documented_order():
    packages = sorted(p.name for p in (PROJECT_ROOT / "mentorship").iterdir()
                      if p.is_dir() and (p / "__init__.py").exists())
    layers = [layer.strip() for layer in _contracts()["importlinter:contract:areas"]["layers"].split("\n")
              if layer.strip()]
    in_contract = sorted(name.strip() for layer in layers for name in layer.split("|"))
    assert in_contract == packages == sorted(mentorship.AREAS)
    # the docstring's order (lowest first) is the contract's (highest first), reversed
    assert [name.strip() for layer in reversed(layers) for name in layer.split("|")] == [
        a for a in mentorship.AREAS]


def test_the_domain_root_holds_only_area_packages():
    loose = sorted(p.name for p in (PROJECT_ROOT / "mentorship").glob("*.py") if p.name != "__init__.py")
    assert loose == []


def test_no_module_takes_part_in_an_import_cycle():
    graph = grimp.build_graph(*PACKAGES)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []


def test_an_area_is_imported_from_outside_only_through_its_public_modules():
    """An area's ``__all__`` names the modules other areas and layers may import; the rest
    (its receivers, its SQL, its solver…) are its own."""
    graph = grimp.build_graph(*PACKAGES)
    public = {area: set(importlib.import_module(f"mentorship.{area}").__all__) for area in mentorship.AREAS}
    breaches = []
    for module in sorted(graph.modules):
        parts = module.split(".")
        if parts[0] != "mentorship" or len(parts) < 3:
            continue
        area, first = parts[1], parts[2]
        for importer in graph.find_modules_that_directly_import(module):
            inside = importer.split(".")[:2] == ["mentorship", area]
            if not inside and first not in public[area]:
                breaches.append(f"{importer} -> {module}")
    assert breaches == []
    for area, names in public.items():  # every name of the surface is a module of the area
        assert all((PROJECT_ROOT / "mentorship" / area / name).with_suffix(".py").exists()
                   or (PROJECT_ROOT / "mentorship" / area / name / "__init__.py").exists() for name in names), area
