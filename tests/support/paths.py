"""Where the project and the documents beside it are, wherever a test module sits."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The shared design and the five seed roadmaps, beside the repository in CI (not in a clone).
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"
