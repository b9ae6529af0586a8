"""The pytest plugin (entry point ``pytest11``): a guest in every session, inert until asked.

pytest loads this module in every session of an environment where linreg is installed. It imports
nothing but pytest, adds linreg's options (in their own group) and one ini key, and does nothing
else unless the spec is asked for:

- a ``.feature`` file named on the command line (``pytest my.feature``): that file is linreg's;
- folders named by the ini key ``linreg_features`` or by ``--linreg-features DIR``: their
  ``.feature`` files are linreg's (this checkout's pyproject.toml names ``features``).

Only then is ``linreg.spec.session`` registered: it collects linreg's feature files (never one that
a ``scenarios()`` call of the project already binds), loads the step vocabulary and linreg's tags,
and applies its checks to its own items alone. Without the ``[spec]`` extra, asking says in one line
what to install. ``pytest --linreg-steps`` prints the vocabulary and exits.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

EXTRA = "linreg's spec needs its extra: pip install 'linreg[spec]'"
STEP_MODULES = (  # the step vocabulary (steps/ in a checkout), loaded when the spec is asked for; in this order
    "linreg.spec.steps.training_steps",
    "linreg.spec.steps.backprop_steps",
    "linreg.spec.steps.comparison_steps",
    "linreg.spec.steps.oracle_steps",
    "linreg.spec.steps.property_steps",
    "linreg.spec.steps.reproducibility_steps",
    "linreg.spec.steps.api_steps",
    "linreg.spec.steps.scale_steps",
    "linreg.spec.steps.cli_steps",
    "linreg.spec.steps.stream_steps",
)


@dataclass(frozen=True)
class Asked:
    """Which .feature files are linreg's in this session."""

    files: frozenset[Path] = field(default_factory=frozenset)  # named on the command line
    folders: tuple[Path, ...] = ()  # every .feature below these

    def owns(self, path: Path) -> bool:
        path = path.resolve()
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)


ASKED = pytest.StashKey[Asked]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("linreg", "linreg's spec (active for .feature files named here or in linreg_features)")
    group.addoption(
        "--linreg-features",
        action="append",
        default=[],
        metavar="DIR",
        help="collect the .feature files below DIR as linreg's spec (as the ini key linreg_features does)",
    )
    group.addoption(
        "--linreg-steps", action="store_true", help="print linreg's step vocabulary, grouped, with meanings, and exit"
    )
    group.addoption(
        "--living-doc",
        metavar="FILE",
        help="write the spec run as one self-contained HTML page with loss plots (FILE.html), "
        "or as its Cucumber Messages (FILE.ndjson)",
    )
    group.addoption(
        "--linreg-report",
        metavar="FILE.json",
        help="write every documented number the run checked, with its documented value, the value now "
        "and the environment that chose the digits (python -m linreg.spec.compare tables reports)",
    )
    group.addoption(
        "--linreg-label",
        metavar="NAME",
        help="the run's name in its --linreg-report (default: the report's file name without .json)",
    )
    group.addoption(
        "--linreg-update",
        action="store_true",
        help="write every documented number that moved back into its feature file (table cells, doc strings, "
        "quoted lines) and print the diff; a scenario failing for another reason is left alone and listed",
    )
    group.addoption(
        "--linreg-tolerance",
        metavar="K",
        help="hold a documented number within K units of its last printed digit, and list each one so held "
        "(default: exact, digit for digit)",
    )
    parser.addini("linreg_features", type="paths", help="folders whose .feature files are linreg's spec")
    parser.addini(
        "linreg_notes",
        type="string",
        default="",
        help="the Jupyter notebook whose cells the features named 'Cell N — …' state (relative to the rootdir): "
        "the living doc shows each cell's prose and code above its scenarios",
    )


def asked(config: pytest.Config) -> Asked | None:
    """What this session asks of linreg's spec, or None where it asks nothing."""
    here = config.invocation_params.dir
    named = (Path(arg.split("::")[0]) for arg in config.args)
    files = frozenset((here / path).resolve() for path in named if path.suffix == ".feature")
    folders = [*config.getini("linreg_features"), *(here / d for d in config.getoption("linreg_features"))]
    if not files and not folders:
        return None
    return Asked(files, tuple(Path(folder).resolve() for folder in folders))


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    if not config.getoption("linreg_steps"):
        return None
    try:
        from linreg.spec import vocabulary
    except ImportError:
        print(f"ERROR: {EXTRA}", file=sys.stderr)
        return int(pytest.ExitCode.USAGE_ERROR)
    print(vocabulary.text())
    return int(pytest.ExitCode.OK)


def pytest_configure(config: pytest.Config) -> None:
    wanted = asked(config)
    if wanted is None:
        for option in ("--living-doc", "--linreg-report", "--linreg-label", "--linreg-update", "--linreg-tolerance"):
            if config.getoption(option):
                msg = f"{option} reports linreg's spec: name its .feature files, or set linreg_features"
                raise pytest.UsageError(msg)
        return
    try:  # what the [spec] extra installs; the step modules import them
        import gherkin  # noqa: F401
        import hypothesis  # noqa: F401
        import pytest_bdd  # noqa: F401
    except ImportError:
        raise pytest.UsageError(EXTRA) from None
    config.stash[ASKED] = wanted
    enabled = gc.isenabled()
    gc.disable()  # importing torch with the steps makes a million objects: no collections meanwhile
    try:
        config.pluginmanager.import_plugin("linreg.spec.session")
    finally:
        if enabled:
            gc.enable()
