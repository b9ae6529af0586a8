"""pytest-bdd step definitions for the spec's features: parse → call linreg → assert, no math."""

# linreg.spec.plugin loads these as plugins; linreg.spec.vocabulary documents them in this order
STEP_MODULES = (
    "linreg.spec.steps.training_steps",
    "linreg.spec.steps.backprop_steps",
    "linreg.spec.steps.comparison_steps",
    "linreg.spec.steps.cli_steps",
    "linreg.spec.steps.oracle_steps",
    "linreg.spec.steps.property_steps",
    "linreg.spec.steps.reproducibility_steps",
    "linreg.spec.steps.api_steps",
    "linreg.spec.steps.scale_steps",
    "linreg.spec.steps.report_steps",
    "linreg.spec.steps.kernel_steps",
    "linreg.spec.steps.stream_steps",
    "linreg.spec.steps.plugin_steps",
)
