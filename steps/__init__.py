"""pytest-bdd step definitions for features/: parse → call linreg → assert, no math."""

# conftest.py loads these as plugins; steps.vocabulary documents them in this order
STEP_MODULES = (
    "steps.training_steps",
    "steps.backprop_steps",
    "steps.comparison_steps",
    "steps.cli_steps",
    "steps.oracle_steps",
    "steps.property_steps",
    "steps.reproducibility_steps",
    "steps.api_steps",
    "steps.scale_steps",
    "steps.report_steps",
    "steps.kernel_steps",
    "steps.stream_steps",
)
