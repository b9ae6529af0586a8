"""Steps that call the Python API: bad values and the typed error they raise, and values it converts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pytest_bdd import parsers, then, when

import linreg
from linreg import LinregError, Settings


@when(parsers.parse('the "{stage}" stage is configured with {field} = {value}'), target_fixture="api_error")
def when_configured(stage: str, field: str, value: str) -> LinregError:
    """Sets up the stage in Python with a setting (a Python literal) it must refuse; keeps the error."""
    literal = ast.literal_eval(value)  # a Python literal from the feature; never evaluated as code
    with pytest.raises(LinregError) as caught:
        Settings.for_stage(stage, **{field: literal})
    return caught.value


@then(parsers.parse('it raises {kind} saying "{message}"'))
def then_raises(api_error: LinregError, kind: str, message: str) -> None:
    """Checks the error is of this linreg class (e.g. SettingsError) and says exactly this message."""
    assert type(api_error) is getattr(linreg, kind)
    assert str(api_error) == message


@when(parsers.parse('the "{stage}" stage is configured with the data file Path("{name}")'), target_fixture="settings")
def when_configured_with_path(stage: str, name: str) -> Settings:
    """Sets up the stage through the Python API with its data file given as a pathlib.Path."""
    return Settings.for_stage(stage, data=Path(name))


@then(parsers.parse('its data file is the string "{name}"'))
def then_data_text(settings: Settings, name: str) -> None:
    """Checks the settings hold the data file's name as this plain string, not as a Path."""
    assert type(settings.data.path) is str
    assert settings.data.path == name
