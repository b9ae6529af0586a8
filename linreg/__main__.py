"""``python -m linreg``"""

from linreg.cli import console

raise SystemExit(console())
