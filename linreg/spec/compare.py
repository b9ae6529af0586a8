"""``python -m linreg.spec.compare RUN.json ...``: runs' documented numbers side by side, and a gate for CI.

Each RUN.json is what ``pytest --linreg-report=RUN.json`` wrote. The output is Markdown
(``comparison.py`` lays it out): the runs by label; the environment where the runs differ; one row
per documented number that moved in a run or that the runs documented or printed differently
(``--all``: every number), with its feature:line and scenario and, for each run, what was
documented, what was printed and how far it moved (in its last printed digit, and relative); then
a summary line per feature. The exit status is 1 when a number moved in any run or the runs
printed it differently (``--exit-zero``: 0), so CI can gate on it; 2 for a file that is not such
a report, said in one line (``reportfile.py`` checks every report before anything reads it).
"""

from __future__ import annotations

import argparse
import sys

from linreg.spec.comparison import markdown, moved
from linreg.spec.reportfile import NotAReport, load


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m linreg.spec.compare",
        description="Tables pytest --linreg-report runs side by side; exits 1 when a documented number moved.",
    )
    parser.add_argument("runs", nargs="+", metavar="RUN.json", help="a report that pytest --linreg-report wrote")
    parser.add_argument("--all", action="store_true", help="a row for every documented number, not only those moved")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when a documented number moved")
    args = parser.parse_args(argv)
    try:
        runs = [load(path) for path in args.runs]
    except NotAReport as exc:
        print(f"compare: error: {exc}", file=sys.stderr)
        return 2
    print(markdown(runs, every=args.all))
    return 1 if moved(runs) and not args.exit_zero else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
