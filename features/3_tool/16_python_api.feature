@api
Feature: Bad values through the Python API
  `linreg.Settings.for_stage(stage, **changes)` checks every value at the boundary: numbers become
  floats, data and starts tuples of floats, counts whole numbers. A bad value raises a subclass of
  `linreg.LinregError` (itself a ValueError) whose message names the value and what is allowed.

  Scenario Outline: <field> = <value>
    When the "<stage>" stage is configured with <field> = <value>
    Then it raises <kind> saying "<message>"

    Examples:
      | stage  | field    | value        | kind          | message                                                                                   |
      | numpy  | x        | '1,2'        | SettingsError | x must be a sequence of numbers, got '1,2'                                                |
      | numpy  | x        | [1, 'two']   | SettingsError | every value of x must be a number, got 'two'                                              |
      | numpy  | y        | [1, None]    | SettingsError | every value of y must be a number, got None                                               |
      | numpy  | lr       | '0.1'        | SettingsError | lr must be a number, got '0.1'                                                            |
      | numpy  | epochs   | 2.5          | SettingsError | epochs must be a whole number, got 2.5                                                    |
      | numpy  | epochs   | True         | SettingsError | epochs must be a whole number, got True                                                   |
      | numpy  | lr       | -0.01        | SettingsError | learning rate -0.01 is not allowed: use a finite number > 0 (the notes use 0.01)          |
      | linear | init     | (0.5,)       | SettingsError | stage linear starts from 2 value(s) (W,B), got init (0.5,)                                |
      | linear | seed     | -1           | SettingsError | seed -1 is not allowed: seeds apply to stages linear and module and must be >= 0          |
      | linear | seed     | '3'          | SettingsError | seed must be a whole number, got '3'                                                      |
      | numpy  | test_x   | None         | SettingsError | test_x must be a number, got None                                                         |
      | optim  | gradient | 'exact'      | SettingsError | unknown gradient 'exact': choose notes or mse                                             |
      | autograd | data   | 3            | SettingsError | data must be a file's path or a linreg.data.Data, got 3                                   |
      | stats  | init     | (1, 2, 3)    | SettingsError | stage stats starts from W or W,B, got init (1.0, 2.0, 3.0)                                |
      | numpy  | device   | 'cuda'       | SettingsError | device 'cuda' is not allowed for stage numpy: use cpu, or cuda for a torch stage          |
      | autograd | device | 'gpu'        | SettingsError | device 'gpu' is not allowed for stage autograd: use cpu, or cuda for a torch stage        |
      | autograd | device | 0            | SettingsError | device must be a string such as 'cpu' or 'cuda', got 0                                    |
      | numpy  | init     | (1e999,)     | SettingsError | init contains inf: every value must be a finite number                                    |
      | numpy  | test_x   | 1e999        | SettingsError | test-x contains inf: every value must be a finite number                                  |
      | backprop | epochs | -1           | SettingsError | epochs -1 is not allowed: use 0 or more (the notes use 20)                                |
      | numpy  | x        | {1.0, 2.0}   | SettingsError | x must be a sequence of numbers, got {1.0, 2.0}                                           |
      | numpy  | x        | {1.0: 2.0, 3.0: 4.0} | SettingsError | x must be a sequence of numbers, got {1.0: 2.0, 3.0: 4.0}                         |
      | numpy  | foo      | 1            | SettingsError | unknown setting 'foo': choose from data, device, epochs, gradient, init, log_every, lr, seed, test_x, x, y |

  Scenario: A data file may be given as a pathlib.Path; the settings keep its text
    When the "stats" stage is configured with the data file Path("points.csv")
    Then its data file is the string "points.csv"
