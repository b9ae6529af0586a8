"""Steps that call the Python API: bad values and the typed error they raise, and values it converts."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_bdd import parsers, then, when

from linreg import LinregError, Settings, SettingsError

SETTINGS = {"learning rate": "lr", "number of epochs": "epochs", "seed": "seed"}  # the words → the keyword


@when(parsers.parse('the "{stage}" stage is configured with {value} as its {setting}'), target_fixture="api_error")
def when_configured(stage: str, setting: str, value: str) -> LinregError:
    """Sets up the stage in Python with a learning rate, number of epochs or seed it must refuse; keeps the error.
    A value written without a point or exponent is passed as a whole number."""
    number = int(value) if value.lstrip("-").isdigit() else float(value)
    with pytest.raises(LinregError) as caught:
        Settings.for_stage(stage, **{SETTINGS[setting]: number})
    return caught.value


@then(parsers.parse('it is refused with a settings error saying "{message}"'))
def then_refused(api_error: LinregError, message: str) -> None:
    """Checks the error is linreg's SettingsError and says exactly this message."""
    assert type(api_error) is SettingsError
    assert str(api_error) == message


@when(
    parsers.parse('the "{stage}" stage is configured with the data file "{name}" given as a path object'),
    target_fixture="settings",
)
def when_configured_with_path(stage: str, name: str) -> Settings:
    """Sets up the stage through the Python API with its data file given as a pathlib.Path."""
    return Settings.for_stage(stage, data=Path(name))


@then(parsers.parse('its data file is the text "{name}"'))
def then_data_text(settings: Settings, name: str) -> None:
    """Checks the settings hold the data file's name as this plain string, not as a Path."""
    assert type(settings.data.path) is str
    assert settings.data.path == name
