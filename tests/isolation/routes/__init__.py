"""The isolation registry's routes, one module (or package of modules) per area, each with a
``ROUTES`` list; tests/isolation/registry.py collects them all by walking this package."""
