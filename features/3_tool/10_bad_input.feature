@bad_input
Feature: Bad input is refused with one clear line
  Every mistake ends in one line on stderr that names the bad value and what is allowed,
  a non-zero exit status (2 for bad input, 1 for training that diverged or a log that no start
  reproduces), and no traceback. Nothing is printed on stdout for bad input.

  Scenario Outline: <case>
    When I run "<command>"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "<message>"

    Examples:
      | case                      | command                                 | message                                                                                                 |
      | unknown stage             | linreg run foo                          | linreg: error: unknown stage 'foo': choose one of backprop, numpy, autograd, optim, linear, module, stats |
      | learning rate zero        | linreg run numpy --lr 0                 | linreg: error: learning rate 0.0 is not allowed: use a finite number > 0 (the notes use 0.01)           |
      | learning rate negative    | linreg run numpy --lr=-0.5              | linreg: error: learning rate -0.5 is not allowed: use a finite number > 0 (the notes use 0.01)          |
      | learning rate NaN         | linreg run autograd --lr nan            | linreg: error: learning rate nan is not allowed: use a finite number > 0 (the notes use 0.01)           |
      | learning rate infinite    | linreg run optim --lr inf               | linreg: error: learning rate inf is not allowed: use a finite number > 0 (the notes use 0.01)           |
      | negative epochs           | linreg run numpy --epochs=-1            | linreg: error: epochs -1 is not allowed: use 0 or more (the notes use 20)                               |
      | log-every zero            | linreg run numpy --log-every 0          | linreg: error: log-every 0 is not allowed: use 1 or more (epoch e is logged when e-1 is a multiple)    |
      | x and y differ in length  | linreg run numpy --x 1,2,3 --y 2,4      | linreg: error: x has 3 values but y has 2: give one y per x                                             |
      | empty data                | linreg run numpy --x= --y=              | linreg: error: x and y must not be empty: give at least one value each, e.g. x=1,2,3,4 y=2,4,6,8        |
      | non-numeric data          | linreg run numpy --x 1,two,3            | linreg: error: argument --x: the list: 'two' in '1,two,3' is not a number: give comma-separated numbers like 1,2,3,4 (see linreg run --help) |
      | non-finite data           | linreg run numpy --y 2,4,nan,8          | linreg: error: y contains nan: every value must be a finite number                                      |
      | one value for two         | linreg run linear --init 0.5            | linreg: error: stage linear starts from 2 value(s) (W,B), got init (0.5,)                               |
      | two values for one        | linreg run numpy --init 1,2             | linreg: error: stage numpy starts from 1 value(s) (W), got init (1.0, 2.0)                              |
      | negative seed             | linreg run module --seed=-3             | linreg: error: seed -3 is not allowed: seeds apply to stages linear and module and must be >= 0         |
      | seed for a w-only stage   | linreg run numpy --seed 1               | linreg: error: seed 1 is not allowed: seeds apply to stages linear and module and must be >= 0          |
      | missing log file          | linreg recover linear missing.log      | linreg: error: cannot read log file 'missing.log': No such file or directory; give a file `linreg run linear > FILE` wrote |
      | recover a w-only stage    | linreg recover numpy missing.log       | linreg: error: recover works for stages linear and module (the cells with a random start), not numpy   |
      | unknown gradient          | linreg run numpy --gradient exact       | linreg: error: unknown gradient 'exact': choose notes or mse |

  Scenario: A log file that is not in the format
    Given a file "notes.txt" holding:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 1.200, loss = 30.00000000
      """
    When I run "linreg recover linear notes.txt"
    Then the exit status is 2
    And stderr is one line, with no traceback

  Scenario: A binary file given as a log
    Given a file "weights.bin" holding the bytes 89504e470d0a1a0aff00fe
    When I run "linreg recover linear weights.bin"
    Then the exit status is 2
    And stderr is one line, with no traceback

  Scenario: Training that diverges prints its log so far, then says how to fix it
    The numpy cell's gradient acts as 4·2·mean(x²) = 60 on the notes' data, so learning rates
    above 2/60 = 0.0333 diverge: each epoch multiplies the error by |1 − 60·lr| = 5 at lr 0.1.
    When I run "linreg run numpy --lr 0.1 --epochs 400 --log-every 100"
    Then the exit status is 1
    And stdout is:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 12.000, loss = 30.00000000
      """
    And stderr is one line, with no traceback
    And stderr is the one line "linreg: error: training diverged at epoch 28 (loss inf, w -7.450581940489211e+19) with learning rate 0.1: the largest stable learning rate for this data is 0.0333333; use a smaller --lr"

  Scenario: Divergence on a data file names the stable learning rate of the file's points
    Three points x = 10, 20, 30 on y = 2x: the MSE's Hessian is 2·mean(x²) = 2·1400/3 = 933.3, so
    learning rates above 2/933.3 = 0.00214286 diverge. At 0.1 each epoch multiplies the error by
    |1 − 93.3| in float64, until the loss overflows at epoch 79.
    Given a file "three.csv" holding the text "x,y\n10,20\n20,40\n30,60"
    When I run "linreg run stats --data three.csv --lr 0.1"
    Then the exit status is 1
    And stderr is the one line "linreg: error: training diverged at epoch 79 (loss inf, w 3.667352274120288e+155) with learning rate 0.1: the largest stable learning rate for this data is 0.00214286; use a smaller --lr"

  Scenario Outline: Divergence on a data file names that file's stable learning rate: <stage>
    The same three points. The numpy cell's gradient is N = 3 times the MSE's, so its bound is a
    third, 0.000714286; with the bias (nn.Linear) 2/λmax of 2·[[mean(x²), mean(x)], [mean(x), 1]].
    Given a file "three.csv" holding the text "x,y\n10,20\n20,40\n30,60"
    When I run "linreg run <stage> --data three.csv --lr 0.1"
    Then the exit status is 1
    And stderr ends with "with learning rate 0.1: the largest stable learning rate for this data is <stable>; use a smaller --lr"

    Examples:
      | stage    | stable      |
      | numpy    | 0.000714286 |
      | autograd | 0.00214286  |
      | linear   | 0.00213893  |

  Scenario: Divergence from the installed console script prints no warning, only the error
    Overflow inside numpy is expected once training diverges; it must not add warnings to stderr.
    When I run the console script "linreg run numpy --lr 0.1 --epochs 400 --log-every 100"
    Then the exit status is 1
    And stderr is one line, with no traceback

  Rule: Every value is checked once, in the domain of the stage that uses it, before anything runs
    The cells compute in float32 (up to ±3.4e+38), stage stats in float64 (up to ±1.8e+308): a number
    is allowed when it is finite there, and so are the losses and predictions made from it. An option
    a stage does not use is refused, not ignored, and so are two options that both set one thing.

    Scenario Outline: <case> is refused
      When I run "<command>"
      Then the exit status is 2
      And stdout is empty
      And stderr is the one line "<message>"

      Examples:
        | case                                  | command                                        | message |
        | a start beyond float32                | linreg run linear --init=1e39,0                | linreg: error: init 1e+39 is beyond float32's range (±3.4e+38), in which stage linear computes: give a smaller value |
        | a test input beyond float32           | linreg run optim --test-x 1e39                 | linreg: error: test-x 1e+39 is beyond float32's range (±3.4e+38), in which stage optim computes: give a smaller value |
        | a learning rate beyond float32        | linreg run numpy --lr 1e300                    | linreg: error: learning rate 1e+300 is beyond float32's range (±3.4e+38), in which stage numpy computes: give a smaller value |
        | a point whose square overflows        | linreg run autograd --x 1e20,1 --y 1,2         | linreg: error: the given x and y: x = 1e+20 (point 1): its square, which the loss sums, is beyond float32's range (±3.4e+38), in which this stage computes; rescale the data |
        | a prediction before training overflows | linreg run stats --init 1e308,1e308 --epochs 1 | linreg: error: the prediction before training at --test-x 5 is inf, beyond float64's range (±1.8e+308), in which stage stats computes: give a --test-x or a start nearer 0 |
        | a seed beyond torch's                 | linreg run linear --seed 18446744073709551616  | linreg: error: seed 18446744073709551616 is not allowed: torch takes seeds from 0 to 2**64 - 1 |
        | a gradient for an autograd stage      | linreg run linear --gradient mse               | linreg: error: gradient applies to stage numpy only, whose gradient is written by hand: drop it for stage linear |
        | a gradient for stage stats            | linreg run stats --gradient mse                | linreg: error: gradient applies to stage numpy only, whose gradient is written by hand: drop it for stage stats |
        | epochs for a stage that does not train | linreg run backprop --epochs 5 --lr 3         | linreg: error: epochs does not apply to stage backprop, which does not train: drop it |
        | a test input for backprop             | linreg run backprop --test-x 9                 | linreg: error: test-x does not apply to stage backprop, which does not train: drop it |
        | a seed and a start                    | linreg run linear --seed 0 --init 1,2          | linreg: error: seed 0 and init (1.0, 2.0) both give the start: give a seed or an init, not both |
        | recover asked for a trillion epochs   | linreg recover linear missing.log --epochs 1000000000000 | linreg: error: epochs 1000000000000 is too many for recover, which replays every epoch: give at most 100000, as the log was printed |

    Scenario: A prediction after training that overflows is refused instead of printed as inf
      After one epoch w = 1.2, and 1.2 · 3e38 is beyond float32's range: the run's log stays printed.
      When I run "linreg run numpy --test-x 3e38 --epochs 1"
      Then the exit status is 2
      And stderr is the one line "linreg: error: the prediction after training at --test-x 3e+38 is inf, beyond float32's range (±3.4e+38), in which stage numpy computes: give a --test-x or a start nearer 0"

    Scenario: A learning rate above the stable bound runs, and linreg warns of it
      Above 2/λmax gradient descent diverges: that is the notes' lesson, so such a rate is not
      refused. A run that ends before it overflows says so, in one line on stderr after its log.
      When I run "linreg run numpy --lr 0.1"
      Then the exit status is 0
      And the last line of stdout is "Prediction after training: f(5)= -953674536845312.000"
      And stderr is the one line "linreg: warning: learning rate 0.1 is above the largest stable learning rate for this data, 0.0333333: training diverges, though not yet to overflow in 20 epochs; use a smaller --lr"

    Scenario: A .npy header claiming more rows than the file holds is refused before memory is taken for them
      Given a file "huge.npy" whose .npy header says 1000000000000 rows of x,y, holding 2
      When I run "linreg run stats --data huge.npy"
      Then the exit status is 2
      And stderr is the one line "linreg: error: data file 'huge.npy' is cut short: its header says 1000000000000 rows, it holds 2"

    Scenario: More workers than a file has points is refused, as for points given
      Given a file "three.csv" holding the text "x,y\n1,2\n2,4\n3,6"
      When I run "linreg run stats --data three.csv --workers 4"
      Then the exit status is 2
      And stderr is the one line "linreg: error: workers 4 for 3 points: each worker needs a point; use --workers 3"

  Rule: Nothing of the user's is lost or overwritten unasked
    Scenario: The plot's temporary file never takes the name of a user's file
      Given a file ".p.png.partial" holding the text "mine"
      When I run "linreg run numpy --plot p.png"
      Then the exit status is 0
      And "p.png" is a PNG image of 800 × 300 pixels
      And ".p.png.partial" still holds the text "mine"

    Scenario: An output that is also an input of the run is refused
      Given a file "data.png" holding the text "x,y\n1,2\n2,4"
      When I run "linreg run numpy --data data.png --plot data.png"
      Then the exit status is 2
      And stderr is the one line "linreg: error: --plot 'data.png' is also an input of this run: write the output to another file"
      And "data.png" still holds the text "x,y\n1,2\n2,4"

    Scenario: A name too long for the file system is a mistake, said before training
      When I run "linreg run numpy --plot ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp.png"
      Then the exit status is 2
      And stderr is the one line "linreg: error: --plot 'pppppppppppppppppppppppppppppppppppppppp'…: a file name of 263 bytes; give one of at most 255"
