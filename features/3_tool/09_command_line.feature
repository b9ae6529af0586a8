@cli
Feature: The command line
  `linreg notes` prints the six cells' outputs in the notes' order, each under a heading.
  `linreg run STAGE` prints what that cell printed; options change its parameters, and the
  output is then what the cell's own code prints for them. `--json` prints every epoch.
  The scenarios run the command in-process; one runs the installed console script.

  Scenario: linreg notes prints every cell under its heading
    When I run "linreg notes"
    Then the exit status is 0
    And under the heading "=== Cell 1: backpropagation of one scalar example (linreg run backprop) ===" stdout holds what "linreg run backprop" prints
    And under the heading "=== Cell 2: linear regression in numpy, all by hand (linreg run numpy) ===" stdout holds what "linreg run numpy" prints
    And under the heading "=== Cell 3: gradients from torch autograd (linreg run autograd) ===" stdout holds what "linreg run autograd" prints
    And under the heading "=== Cell 4: nn.MSELoss and optim.SGD (linreg run optim) ===" stdout holds what "linreg run optim" prints
    And under the heading "=== Cell 5: the model is nn.Linear (linreg run linear) ===" stdout holds what "linreg run linear" prints
    And under the heading "=== Cell 6: a custom nn.Module (linreg run module) ===" stdout holds what "linreg run module" prints

  Scenario: linreg run backprop prints the two tensor lines
    When I run "linreg run backprop"
    Then the exit status is 0
    And stdout is:
      """
      tensor(1., grad_fn=<PowBackward0>)
      tensor(-2.)
      """

  Scenario: linreg run backprop with another example
    When I run "linreg run backprop --x 3 --y 1 --init 1"
    Then stdout is:
      """
      tensor(4., grad_fn=<PowBackward0>)
      tensor(12.)
      """

  Scenario: linreg run linear prints the notes' cell 5 output
    When I run "linreg run linear"
    Then the exit status is 0
    And stdout is:
      """
      4 1
      Prediction before training: f(5)= 1.993
      epoch 1: w = 0.706, loss = 20.24533653
      epoch 11: w = 1.738, loss = 0.52958953
      epoch 21: w = 1.906, loss = 0.01915863
      epoch 31: w = 1.935, loss = 0.00563503
      epoch 41: w = 1.941, loss = 0.00498599
      epoch 51: w = 1.943, loss = 0.00468747
      epoch 61: w = 1.945, loss = 0.00441442
      epoch 71: w = 1.946, loss = 0.00415748
      epoch 81: w = 1.948, loss = 0.00391548
      epoch 91: w = 1.950, loss = 0.00368757
      Prediction after training: f(5)= 9.899
      """

  Scenario: Parameters the notes never used
    The cell's gradient here is 2·Σx(wx − y), so each epoch keeps 1 − 0.02·2·(1 + 4) = 0.8 of
    the error w − 3: w = 3 − 3·0.8^e, and f(2.5) after 4 epochs is 2.5·(3 − 3·0.8⁴) = 4.428.
    When I run "linreg run numpy --lr 0.02 --epochs 4 --log-every 1 --x 1,2 --y 3,6 --test-x 2.5"
    Then the exit status is 0
    And stdout is:
      """
      Prediction before training: f(2.5)= 0.000
      epoch 1: w = 0.600, loss = 22.50000000
      epoch 2: w = 1.080, loss = 14.40000057
      epoch 3: w = 1.464, loss = 9.21600056
      epoch 4: w = 1.771, loss = 5.89824009
      Prediction after training: f(2.5)= 4.428
      """

  Scenario Outline: <stage> predicts at --test-x from its start, before and after training
    From w = 1 (and b = 0.5) on the notes' data, f(2) = 2·w + b is 2 (2.5) before training. One
    epoch of the MSE gradient −2·mean(x²) = −15 gives w = 1.15, f(2) = 2.3; the numpy cell's
    gradient is 4 times it: w = 1.6, f(2) = 3.2. With b: ∂L/∂w = −12.5, ∂L/∂b = −4,
    so w = 1.125, b = 0.54 and f(2) = 2.79.
    When I run "linreg run <stage> --init <start> --test-x 2 --epochs 1"
    Then the exit status is 0
    And stdout has the line "Prediction before training: f(2)= <before>"
    And stdout has the line "Prediction after training: f(2)= <after>"

    Examples:
      | stage    | start | before | after |
      | numpy    | 1     | 2.000  | 3.200 |
      | autograd | 1     | 2.000  | 2.300 |
      | optim    | 1     | 2.000  | 2.300 |
      | linear   | 1,0.5 | 2.500  | 2.790 |
      | module   | 1,0.5 | 2.500  | 2.790 |
      | stats    | 1,0.5 | 2.500  | 2.790 |

  Scenario: The whole history as JSON
    When I run "linreg run autograd --json"
    Then the exit status is 0
    And stdout is JSON with 100 epochs, epoch 11 having w = 1.665 and loss = 1.16278565

  Scenario: Every field of the JSON history, for the numpy cell
    w = 0.5 on x = 1,2, y = 2,4: the residuals are −1.5 and −3, so the loss is (2.25 + 9)/2 = 5.625
    and the notes' gradient 2·(1·−1.5 + 2·−3) = −15 moves w to 0.65 (float32: 0.6499999761581421).
    Epoch 2: loss (1.35² + 2.7²)/2 = 4.55625, w = 0.785, f(5) = 3.925. Every epoch is listed; only
    the logged ones are marked so.
    When I run "linreg run numpy --json --epochs 2 --log-every 2 --x 1,2 --y 2,4 --init 0.5"
    Then the exit status is 0
    And stdout is this JSON:
      """
      {"stage": "numpy",
       "settings": {"lr": 0.01, "epochs": 2, "log_every": 2, "x": [1.0, 2.0], "y": [2.0, 4.0], "init": [0.5],
                    "seed": null, "test_x": 5.0, "gradient": "notes", "data": null, "device": "cpu"},
       "shape": null, "start": [0.5], "prediction_before": 2.5,
       "epochs": [{"epoch": 1, "w": 0.6499999761581421, "b": null, "loss": 5.625, "logged": true},
                  {"epoch": 2, "w": 0.7849999666213989, "b": null, "loss": 4.556250095367432, "logged": false}],
       "prediction_after": 3.924999713897705, "data_pass": null}
      """

  Scenario: Every field of the JSON history, for nn.Linear
    From w = 0.5, b = 0.25 the residuals are −1.25, −2.75, −4.25, −5.75: loss 15.0625, ∂L/∂w = −21.25,
    ∂L/∂b = −7, so one step gives w = 0.7125, b = 0.32 and f(5) = 3.8825.
    When I run "linreg run linear --json --epochs 1 --init=0.5,0.25"
    Then stdout is this JSON:
      """
      {"stage": "linear",
       "settings": {"lr": 0.01, "epochs": 1, "log_every": 10, "x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 8.0],
                    "init": [0.5, 0.25], "seed": null, "test_x": 5.0, "gradient": "notes", "data": null,
                    "device": "cpu"},
       "shape": [4, 1], "start": [0.5, 0.25], "prediction_before": 2.75,
       "epochs": [{"epoch": 1, "w": 0.7124999761581421, "b": 0.3199999928474426, "loss": 15.0625, "logged": true}],
       "prediction_after": 3.882499933242798, "data_pass": null}
      """

  Scenario: A negative start is given with =
    When I run "linreg run linear --init=-0.5,0.25 --epochs 1"
    Then the exit status is 0
    And stdout has the line "Prediction before training: f(5)= -2.250"

  Scenario: The installed console script
    When I run the console script "linreg run numpy --epochs 1"
    Then the exit status is 0
    And stdout is:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 1.200, loss = 30.00000000
      Prediction after training: f(5)= 6.000
      """

  Scenario: Output cut short by the reader is not an error
    `linreg notes | head -3` stops reading early. linreg then stops writing, prints no traceback
    and ends with status 141 (128 + SIGPIPE), as a command killed by SIGPIPE would at a shell.
    When I run the console script "linreg notes" into a pipe whose reader has gone
    Then the exit status is 141
    And stderr is empty
