"""The global-state guard of linreg's scenarios: each leaves torch's and numpy's global state as it found it.

collect.FeatureFile puts this fixture, autouse, into each of linreg's feature modules, so it wraps
linreg's scenarios and no other test of the session: a project's own test that seeds numpy or
torch is its own business.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, name="linreg_leaves_global_state_alone")
def leaves_global_state_alone(request: pytest.FixtureRequest) -> Iterator[None]:
    """torch's and numpy's RNGs, default dtype, grad mode and threads, as the scenario found them.

    pytest-randomly reseeds numpy's RNG around every test phase, so where it is active numpy's
    state cannot leak between tests and is not compared.
    """
    from linreg.determinism import global_state

    reseeded = {"numpy_rng"} if request.config.pluginmanager.hasplugin("randomly") else set()
    before = global_state()
    yield
    after = global_state()
    changed = sorted(key for key in before if before[key] != after[key] and key not in reseeded)
    assert not changed, f"the scenario changed global state: {', '.join(changed)}"
