"""pytest-bdd step definitions for linreg's features: parse → call linreg → assert, no math.

This folder is the step vocabulary a feature can use. In a checkout it is imported as
``linreg.spec.steps`` (linreg/spec/__init__.py maps it there); the wheel carries it at that place,
so an installed linreg has no top-level ``steps`` package to clash with a project's own.
``checkout/`` holds the steps that only make sense in this checkout (the wheel built from it,
CPU kernel paths, the living doc's messages); it is not in the wheel, and conftest.py loads it.
Which modules make the vocabulary, and in what order, linreg.spec.plugin.STEP_MODULES says.
"""
