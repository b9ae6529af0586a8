"""linreg's specification as a pytest plugin: .feature files, the step vocabulary, regression reports.

``pip install 'linreg[spec]'`` registers ``linreg.spec.plugin`` with pytest (entry point
``pytest11``): it stays inert until asked (a .feature file on the command line, or the ini key
``linreg_features``), so ``pytest my.feature`` runs a feature written in the step vocabulary
anywhere. The library never imports this package.

The step definitions are imported as ``linreg.spec.steps``. The wheel carries them there; in a
checkout they are the top-level steps/ folder (the design card), mapped to that name here.
"""

from __future__ import annotations

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path


def _steps_of_the_checkout() -> None:
    """In a checkout, make its steps/ folder the package ``linreg.spec.steps`` (a wheel has it in place)."""
    from linreg import root

    here = Path(__file__).resolve().parent
    init = root() / "steps" / "__init__.py"
    name = f"{__name__}.steps"
    if name in sys.modules or (here / "steps" / "__init__.py").is_file() or not init.is_file():  # a wheel has it
        return
    spec = spec_from_file_location(name, init, submodule_search_locations=[str(init.parent)])
    assert spec is not None
    assert spec.loader is not None
    module = module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_steps_of_the_checkout()
