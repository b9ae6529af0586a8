@api
Feature: Bad values through the Python API
  `linreg.Settings.for_stage(stage, **changes)` checks every value at the boundary: numbers become
  floats, data and starts tuples of floats, counts whole numbers. A bad value raises a subclass of
  `linreg.LinregError` (itself a ValueError) whose message names the value and what is allowed.
  tests/test_api_values.py passes every kind of bad value (text for a number, a set for the data,
  an unknown setting, …) and checks each message.

  Scenario Outline: <value> as the <setting> is refused, naming it and what is allowed
    When the "<stage>" stage is configured with <value> as its <setting>
    Then it is refused with a settings error saying "<message>"

    Examples:
      | stage    | setting          | value | message                                                                          |
      | numpy    | learning rate    | -0.01 | learning rate -0.01 is not allowed: use a finite number > 0 (the notes use 0.01) |
      | backprop | number of epochs | -1    | epochs -1 is not allowed: use 0 or more (the notes use 20)                       |
      | numpy    | number of epochs | 2.5   | epochs must be a whole number, got 2.5                                           |
      | linear   | seed             | -1    | seed -1 is not allowed: seeds apply to stages linear and module and must be >= 0 |

  Scenario: A data file may be given as a path object; the settings keep its name as text
    When the "stats" stage is configured with the data file "points.csv" given as a path object
    Then its data file is the text "points.csv"
