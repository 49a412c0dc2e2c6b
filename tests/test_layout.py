"""The layering the maintainer guide promises: the read stage and the core modules import
nothing of extraction, so reading or checking a file never loads spaCy."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted(p.stem for p in (ROOT / "builder" / "core").glob("*.py") if p.stem != "__init__")
FORBIDDEN = ("builder.stages.extract", "builder.stages.ner", "spacy")


@pytest.mark.parametrize("module", ["builder.stages.read"] + [f"builder.core.{name}" for name in CORE])
def test_reading_and_the_core_load_nothing_of_extraction(module):
    # a fresh interpreter, so that no other test's imports count
    code = (f"import sys, {module}\n"
            f"print(' '.join(m for m in {FORBIDDEN!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"importing {module} loads {done.stdout.strip()}"
