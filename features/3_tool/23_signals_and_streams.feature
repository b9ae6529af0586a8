@streams
Feature: Every way a run can end: Ctrl-C, a full disk, a closed stdout, hostile files and numbers
  A run ends in one of a few ways, each with its exit status and at most one line on stderr,
  never a traceback: done (0), a mistake in what was given (2), training that diverged or a
  result that cannot be written (1), a reader that went away (141) or Ctrl-C (130). What was
  printed stays; nothing half-written is left behind. What is read is bounded: a file with no
  newline, or a line longer than any x,y row, is refused at its first block.

  Scenario: Ctrl-C stops a long run with one line and status 130
    When I run the console script "linreg run numpy --epochs 100000000 --log-every 1000000" and press Ctrl-C once it has printed a line
    Then the exit status is 130
    And stdout starts with "Prediction before training: f(5)= 0.000"
    And stderr is the one line "linreg: interrupted"

  Scenario: Ctrl-C stops a data-parallel run, its workers with it
    The workers print nothing until they end, so the key is pressed once the second worker's process
    has started: whether it is still starting or already training, the run ends the same way.
    When I run the console script "linreg run autograd --workers 2 --epochs 100000000 --log-every 100000000" and press Ctrl-C once its 2 workers have started
    Then the exit status is 130
    And stderr is the one line "linreg: interrupted"
    And no process of the run is left

  Scenario: SIGTERM stops a data-parallel run, its workers and its temporary files with it
    A service manager stops a program with SIGTERM to its process. The run hands its workers their
    jobs in a temporary folder; it ends them and removes the folder, then says so.
    When I run the console script "linreg run autograd --workers 2 --epochs 100000000 --log-every 100000000" and send it SIGTERM once its 2 workers have started
    Then the exit status is 143
    And stderr is the one line "linreg: terminated"
    And no process of the run is left
    And the run's temporary folder holds nothing of linreg's

  Scenario: Output to a full disk is one line, not a traceback
    When I run the console script "linreg notes" with stdout on /dev/full
    Then the exit status is 1
    And stderr is the one line "linreg: error: cannot write the output: No space left on device"

  Scenario: With stdout closed, linreg says so
    When I run the console script "linreg run numpy" with stdout on a closed descriptor
    Then the exit status is 1
    And stderr is the one line "linreg: error: stdout is closed: give the output somewhere to go, e.g. > FILE"

  Scenario: --plot to a folder's name is refused before training, and nothing is left behind
    Given a folder "d.png"
    When I run "linreg run numpy --plot d.png"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: --plot 'd.png' is a folder: give a file name ending in .png or .svg"
    And there is no file ".d.png.partial"

  Scenario: A device with no newline, read as data, is refused at its first block
    When I run "linreg run numpy --data /dev/zero"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file '/dev/zero' is binary, not CSV: give a text file with a header x,y"

  Scenario: A line longer than any x,y row is refused with the row it follows
    Given a file "long.csv" whose second line is 200000 digits long
    When I run "linreg run numpy --data long.csv"
    Then the exit status is 2
    And stderr starts with "linreg: error: data file 'long.csv' after row 1:"
    And stderr ends with "give one point per line, x,y"

  Scenario: A log longer than any run's is refused before it is read whole
    When I run "linreg recover linear /dev/zero"
    Then the exit status is 2
    And stderr is the one line "linreg: error: log file '/dev/zero' is longer than 16 MiB: give the log of one run, `linreg run linear > FILE`"

  Scenario: A value beyond float32's range is refused before a float32 stage trains
    1e308 is a finite float64, but float32 stops at 3.4e38: the cells would compute with inf.
    When I run "linreg run numpy --x 1e308,2 --y 1,2"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: the given x and y: x = 1e+308 (point 1) is beyond float32's range (±3.4e+38), in which this stage computes; rescale the data"

  Scenario: Sums that overflow float64 are refused before stats trains
    x = 1e200 is a finite float64, but x² is not.
    Given a file "huge.csv" holding the text "x,y\n1e200,1\n2,2"
    When I run "linreg run stats --data huge.csv"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: data file 'huge.csv': the sums of x², x·y or y² overflow float64; rescale the data"

  Scenario: With several workers, a file that cannot be used is still one line
    Every worker reads the file and meets the same mistake; linreg says it once and ends them all.
    Given a file "huge.csv" holding the text "x,y\n1e200,1\n2,2"
    When I run "linreg run stats --data huge.csv --workers 2"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: data file 'huge.csv': the sums of x², x·y or y² overflow float64; rescale the data"

  Scenario: A run whose w overflows diverges, whatever its loss
    Stage stats computes in float64, where 1e308 is a learning rate: the first step sends w to
    infinity while the loss printed before it is 30.
    When I run "linreg run stats --lr 1e308 --epochs 1"
    Then the exit status is 1
    And stderr is the one line "linreg: error: training diverged at epoch 1 (loss 30.0, w inf) with learning rate 1e+308: the largest stable learning rate for this data is 0.133333; use a smaller --lr"

  Scenario: recover refuses a log with a non-finite number, naming the line
    Given a file "cell5.log" holding what "linreg run linear" prints
    And a copy "nan.log" of "cell5.log" with line 4 replaced by "epoch 11: w = nan, loss = 0.52958953"
    When I run "linreg recover linear nan.log"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: log file 'nan.log' line 4 is 'epoch 11: w = nan, loss = 0.52958953': a run that prints a non-finite number diverged; recover needs the log of a run that did not"

  Scenario: --plot writes the file whole: a link at its name is replaced, not written through
    The plot is written beside its name and renamed onto it, so no reader ever sees half a file.
    Here the name is a link to /dev/full, where every write fails: the link is replaced by the plot.
    Given a link "cell.png" to "/dev/full"
    When I run "linreg run numpy --plot cell.png"
    Then the exit status is 0
    And "cell.png" is a PNG image of 800 × 300 pixels

  Scenario: With stderr closed, a run still prints its output
    When I run the console script "linreg run numpy --epochs 1" with stderr closed
    Then the exit status is 0
    And the last line of stdout is "Prediction after training: f(5)= 6.000"

  Scenario: recover from a closed stdin says so in one line
    When I run the console script "linreg recover linear -" with stdin closed
    Then the exit status is 2
    And stderr is the one line "linreg: error: stdin is closed: give the log file's name, or pipe the log in (`linreg recover linear - < FILE`)"
