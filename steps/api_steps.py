"""Steps that call the Python API with bad values and check the typed error."""

from __future__ import annotations

import ast

import pytest
from pytest_bdd import parsers, then, when

import linreg
from linreg import LinregError, Settings


@when(parsers.parse('the "{stage}" stage is configured with {field} = {value}'), target_fixture="api_error")
def when_configured(stage: str, field: str, value: str) -> LinregError:
    literal = ast.literal_eval(value)  # a Python literal from the feature; never evaluated as code
    with pytest.raises(LinregError) as caught:
        Settings.for_stage(stage, **{field: literal})
    return caught.value


@then(parsers.parse('it raises {kind} saying "{message}"'))
def then_raises(api_error: LinregError, kind: str, message: str) -> None:
    assert type(api_error) is getattr(linreg, kind)
    assert str(api_error) == message
