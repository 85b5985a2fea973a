"""Import time of ``infointerview`` beside ``python -c pass``, in one run.

Usage: ``python bench/bench_import.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

GOAL_RATIO = 6.0


def _median_seconds(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs (CI)")
    args = parser.parse_args()
    runs = 9 if args.quick else 25
    _median_seconds("pass", 2)  # warm the file cache for both commands
    _median_seconds("import infointerview", 2)
    baseline = _median_seconds("pass", runs)
    ours = _median_seconds("import infointerview", runs)
    ratio = ours / baseline
    print(f"{'figure':<28}{'ours':>10}{'limit':>10}{'ratio':>8}{'goal':>8}")
    print(
        f"{'import infointerview (s)':<28}{ours:>10.4f}{baseline:>10.4f}"
        f"{ratio:>8.2f}{GOAL_RATIO:>8.1f}"
    )
    print(f"limit = python -c pass; median of {runs} runs; goal met: {ratio <= GOAL_RATIO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
