@stats
Feature: Sufficient statistics: one pass over the data, then the same small work every epoch
  Gradient descent on the MSE sees the data only through n, Σx, Σy, Σx², Σxy and Σy²:
  $L = (w²·Σx² + 2wb·Σx + b²·n − 2w·Σxy − 2b·Σy + Σy²) / n$,
  $∂L/∂w = 2·(w·Σx² + b·Σx − Σxy) / n$,
  $∂L/∂b = 2·(w·Σx + b·n − Σy) / n$.
  `linreg run stats` reads the data once, chunk by chunk in float64, and then each epoch costs the
  same whatever n is. It is not a cell of the notes (`linreg notes` leaves it out): it checks the
  cells from another side, and it is the trainer that scales (docs/BENCHMARKS.md). Started from W it
  trains w·x like cells 3 and 4; started from W,B it trains w·x + b like cells 5 and 6.

  Scenario: On the notes' data it prints cell 3's log, but for float32's last digits
    Cell 3 computes in float32 and stats in float64: epoch 11's loss is 1.16278565 there, 1.16278593 here.
    Given the "stats" stage with the notes' settings
    When it is trained
    Then it prints:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 0.300, loss = 30.00000000
      epoch 11: w = 1.665, loss = 1.16278593
      epoch 21: w = 1.934, loss = 0.04506904
      epoch 31: w = 1.987, loss = 0.00174685
      epoch 41: w = 1.997, loss = 0.00006771
      epoch 51: w = 1.999, loss = 0.00000262
      epoch 61: w = 2.000, loss = 0.00000010
      epoch 71: w = 2.000, loss = 0.00000000
      epoch 81: w = 2.000, loss = 0.00000000
      epoch 91: w = 2.000, loss = 0.00000000
      Prediction after training: f(5)= 10.000
      """

  Scenario: From W it follows cell 3's trajectory, torch autograd's
    Given the "stats" stage with the notes' settings
    When the stages "stats" and "autograd" are trained with the same settings
    Then the runs differ by at most 1e-6 of scale at every epoch

  Scenario: From W,B it follows cell 5's trajectory, nn.Linear's, on data off the line
    Given the "linear" stage with the notes' settings
    And the data x = 1,2,3,4,5,6,7 and y = 3,5,7.5,9,11,13.2,15
    And the start w = 0.5, b = -0.25
    When the stages "stats" and "linear" are trained with the same settings
    Then the runs differ by at most 1e-6 of scale at every epoch

  Scenario: From W,B its log is cell 5's format, prediction before training included
    From w = 0.5, b = 0.25: f(5) = 2.75 before; one step gives nn.Linear's w = 0.7125 and loss 15.0625.
    When I run "linreg run stats --init 0.5,0.25 --epochs 1"
    Then the exit status is 0
    And stdout is:
      """
      Prediction before training: f(5)= 2.750
      epoch 1: w = 0.713, loss = 15.06250000
      Prediction after training: f(5)= 3.882
      """

  Scenario: Without the bias it cannot follow nn.Linear
    The control for the scenario above: the same comparison does see a real difference.
    Given the "linear" stage with the notes' settings
    And the start w = 0.5, b = -0.25
    When the stages "autograd" and "linear" are trained with the same settings
    Then the runs differ by more than 0.01 of scale somewhere

  Scenario: A data file is streamed in chunks, and the memory it took is reported
    Given a file "line.npy" of 200000 points on y = 2x + 1 plus noise
    When I run "linreg run stats --data line.npy --init 0,0 --lr 0.5 --epochs 60 --log-every 20"
    Then the exit status is 0
    And stdout is:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 0.665, loss = 2.34129950
      epoch 21: w = 2.000, loss = 0.01005683
      epoch 41: w = 2.001, loss = 0.01005670
      Prediction after training: f(5)= 11.004
      """
    And stderr is the one line "linreg: read 200000 points from 'line.npy' in 4 chunk(s), at most 1.00 MiB at a time"

  Scenario: A CSV file of the same points gives the same log
    Given a file "line.csv" of 50000 points on y = 2x + 1 plus noise
    And a file "line.npy" of 50000 points on y = 2x + 1 plus noise
    When I run "linreg run stats --data line.csv --init 0,0 --lr 0.5 --epochs 60 --log-every 20"
    Then the exit status is 0
    And stdout is what it prints with "line.npy" in place of "line.csv"
    And stderr is the one line "linreg: read 50000 points from 'line.csv' in 2 chunk(s), at most 0.40 MiB at a time"

  Scenario: Every field of the JSON history of a run on a data file
    The points are in the file, not in the settings: x and y are null, data names the file, and
    data_pass says how it was read (points, chunks, and the largest chunk's bytes: 4 float64 x and y).
    Given a file "four.csv" holding:
      """
      x,y
      1,2
      2,4
      3,6
      4,8
      """
    When I run "linreg run stats --data four.csv --epochs 1 --json"
    Then the exit status is 0
    And stdout is this JSON:
      """
      {"stage": "stats",
       "settings": {"lr": 0.01, "epochs": 1, "log_every": 10, "x": null, "y": null, "data": "four.csv",
                    "init": [0.0], "seed": null, "test_x": 5.0, "gradient": "notes", "device": "cpu"},
       "shape": null, "start": [0.0], "prediction_before": 0.0,
       "epochs": [{"epoch": 1, "w": 0.3, "b": null, "loss": 30.0, "logged": true}],
       "prediction_after": 1.5,
       "data_pass": {"points": 4, "chunks": 1, "peak_bytes": 64}}
      """

  Scenario: Sums added up chunk by chunk are the sums of the whole file
    Given a file "many.npy" of 300000 points on y = 2x + 1 plus noise
    Then the sums of "many.npy" read in chunks equal its sums read whole, within 1e-12 relative

  Scenario Outline: A bad .npy file: <case>
    Given a file "bad.npy" holding an array of shape <shape> and dtype <dtype>
    When I run "linreg run stats --data bad.npy"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: <message>"

    Examples:
      | case           | shape  | dtype   | message                                                                                                                                     |
      | Python objects | (3, 2) | object  | data file 'bad.npy' holds an array of shape (3, 2) and dtype object: save an array of shape (N, 2), columns x and y, with numpy.save (C order, real numbers)  |
      | three columns  | (3, 3) | float64 | data file 'bad.npy' holds an array of shape (3, 3) and dtype float64: save an array of shape (N, 2), columns x and y, with numpy.save (C order, real numbers) |
      | one column     | (3,)   | float32 | data file 'bad.npy' holds an array of shape (3,) and dtype float32: save an array of shape (N, 2), columns x and y, with numpy.save (C order, real numbers)   |
      | complex        | (3, 2) | complex | data file 'bad.npy' holds an array of shape (3, 2) and dtype complex128: save an array of shape (N, 2), columns x and y, with numpy.save (C order, real numbers) |
      | a single point | (1, 2) | float64 | data file 'bad.npy' has 1 data row(s): give at least two                                                                                     |

  Scenario: A .npy file cut short
    Given a file "line.npy" of 1000 points on y = 2x + 1 plus noise
    And a file "cut.npy" holding the first 8000 bytes of "line.npy"
    When I run "linreg run stats --data cut.npy"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'cut.npy' is cut short: its header says 1000 rows, it holds 492"

  Scenario: A .npy file with a non-finite value names its row and column
    Given a file "nan.npy" holding the float64 rows 1,2 and 1,nan
    When I run "linreg run stats --data nan.npy"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'nan.npy' row 2, column y: [1.0, nan] is not finite"

  Scenario: A non-finite x is named as such
    Given a file "nan.npy" holding the float64 rows 1,2 and inf,4
    When I run "linreg run stats --data nan.npy"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'nan.npy' row 2, column x: [inf, 4.0] is not finite"

  Scenario Outline: A .npy file of <dtype> numbers reads as the same points
    Loss (9 + 36 + 81)/3 = 42 at w = 0, then w = 0.01·28 = 0.28, loss (2.72² + 5.44² + 8.16²)/3.
    Given a file "points.npy" holding the <dtype> rows 1,3 and 2,6 and 3,9
    When I run "linreg run stats --data points.npy --epochs 2 --log-every 1"
    Then the exit status is 0
    And stdout has the line "epoch 2: w = 0.534, loss = 34.52586667"

    Examples:
      | dtype   |
      | float64 |
      | float32 |
      | int16   |

  Scenario Outline: A .npy file in format version <version> reads as the same points
    numpy.save writes version 1.0; 2.0 (headers over 64 KiB) and 3.0 (UTF-8 field names) have a
    longer header length field.
    Given a file "points.npy" in .npy format version <version> holding the float64 rows 1,3 and 2,6 and 3,9
    When I run "linreg run stats --data points.npy --epochs 2 --log-every 1"
    Then the exit status is 0
    And stdout has the line "epoch 2: w = 0.534, loss = 34.52586667"

    Examples:
      | version |
      | 1.0     |
      | 2.0     |
      | 3.0     |

  Scenario: An error deep in a large CSV file names its row
    Rows are read in chunks of about 26,000; the bad cell is in the fourth.
    Given a file "many.csv" of 100000 points on y = 2x + 1 plus noise
    And a copy "bad.csv" of "many.csv" with line 100001 replaced by "0.5,oops"
    When I run "linreg run stats --data bad.csv"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'bad.csv' row 100001, column y: 'oops' is not a number"

  Scenario: A file named .npy that is not one
    Given a file "fake.npy" holding the text "x,y\n1,2\n3,4"
    When I run "linreg run stats --data fake.npy"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'fake.npy' is not a .npy file: save an array of shape (N, 2), columns x and y, with numpy.save"
