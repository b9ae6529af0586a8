"""This checkout's spec runs on the same pytest plugin a user installs (``linreg.spec.plugin``).

pyproject.toml's ``-p no:linreg`` keeps the installed entry point out, so the plugin is loaded
from this checkout's linreg/ (which is what the classic-bug and mutation checks change), and its
``linreg_features`` names features/ as the spec. The checkout's own steps (steps/checkout/: the
wheel, CPU kernel paths, the living doc's messages) are loaded here: the wheel does not carry them.
For speed alone, the checks of tests/ run with the garbage collector's freeze that linreg's
scenarios get, and the process ends frozen (``linreg.spec.frozen``, docs/BENCHMARKS.md §8.4).
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from linreg.spec.frozen import freeze_at_exit, frozen

pytest_plugins = (
    "linreg.spec.plugin",
    "pytester",  # tests/test_plugin.py and tests/test_guest.py
    "linreg.spec.steps.checkout.report_steps",
    "linreg.spec.steps.checkout.kernel_steps",
    "linreg.spec.steps.checkout.plugin_steps",
    "linreg.spec.steps.checkout.regression_steps",
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """The checks of tests/ run frozen too, as linreg's scenarios do (``linreg.spec.frozen``): many run
    whole pytest sessions inside this one, and each of those collects garbage."""
    with frozen():
        return (yield)


freeze_at_exit()  # this checkout's process then ends without a last scan of torch's objects (linreg.spec.frozen)
