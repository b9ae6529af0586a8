"""This checkout's spec runs on the same pytest plugin a user installs (``linreg.spec.plugin``).

pyproject.toml's ``-p no:linreg`` keeps the installed entry point out, so the plugin is loaded
from this checkout's linreg/ (which is what the classic-bug and mutation checks change), and its
``linreg_features`` names features/ as the spec. The checkout's own steps (steps/checkout/: the
wheel, CPU kernel paths, the living doc's messages) are loaded here: the wheel does not carry them.
"""

pytest_plugins = (
    "linreg.spec.plugin",
    "pytester",  # tests/test_plugin.py and tests/test_guest.py
    "linreg.spec.steps.checkout.report_steps",
    "linreg.spec.steps.checkout.kernel_steps",
    "linreg.spec.steps.checkout.plugin_steps",
    "linreg.spec.steps.checkout.regression_steps",
)
