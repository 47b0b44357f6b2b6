"""Shared set-up of the fitting benchmarks: paths relative to this checkout and the venv they run in."""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
VENV = BENCH / ".venv-fit"
# The shared datasets live beside the checkout (as in CI); $ONECHECK_SHARED overrides, like the tests.
SHARED = Path(os.environ["ONECHECK_SHARED"]) if "ONECHECK_SHARED" in os.environ else ROOT.parent / "shared"
DATASETS = SHARED / "datasets"


def ensure_venv():
    """Re-executes the calling script inside Benchmarks/.venv-fit, creating it on first use."""
    py = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not py.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
        subprocess.check_call([str(VENV / "bin" / "pip"), "install", "-q", "statsmodels", "scikit-learn", "numpy",
                               "pandas<3", "threadpoolctl", "scorecardpy", "optbinning"])
    os.execv(str(py), [str(py)] + sys.argv)
