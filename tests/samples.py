"""What several checks of tests/ share: pytester's arguments, the README's example feature, Hypothesis bounds.

Not a test module: the test modules import it by name (pytest puts tests/ on ``sys.path``, as for
``changed_numbers``).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, Phase, settings

ARGS = ("-p", "no:randomly", "-p", "no:cacheprovider")  # pytester runs: the plugin comes in through its entry point

# A user's first feature, as the README shows it but for its last line (9 lines: some checks name line 10)
GOOD = """\
@numpy
Feature: My data
  Scenario: y = 3x converges
    Given the "numpy" stage with the notes' settings
    And the data x = 1,2,3 and y = 3,6,9
    And a learning rate of 0.02
    And 30 epochs, logged every 10
    When it is trained
    Then it prints "epoch 11: w = 3.000, loss = 0.00000311"
"""
README_EXAMPLE = GOOD + "    And the prediction after training is within 0.001 of 15\n"  # the README's, whole


def bounded(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Hypothesis settings for a property over files: ``examples`` tries, the same ones every run (no
    database, derandomized), its kept ``@example``s first."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
