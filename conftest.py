"""This checkout's spec runs on the same pytest plugin a user installs (``linreg.spec.plugin``).

pyproject.toml's ``-p no:linreg`` keeps the installed entry point out, so the plugin is loaded
from this checkout's linreg/ (which is what the classic-bug and mutation checks change).
"""

pytest_plugins = ("linreg.spec.plugin", "pytester")  # pytester: tests/test_plugin.py
