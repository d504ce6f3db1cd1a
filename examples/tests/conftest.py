# The transforms under test live one folder up. A project of your own would set
# `pythonpath = ["src"]` (or wherever its job code lives) in its pytest configuration instead.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
