@cli
Feature: Progress on a terminal, and the run as a plot
  A run that takes more than about a second shows a progress bar (tqdm) on stderr while it trains,
  when stderr is a terminal. The bar is cleared before the log is printed, and the log goes to
  stdout, so the two never mix; with stderr piped there is no bar at all.
  `--plot FILE.png` (or .svg) also draws the run: the loss before each epoch's update on a log
  scale, and w after it, with dots on the epochs the cell prints (for the notes' settings, the
  points the notes show). The file is written whole after the run, or not at all.

  Scenario: A long run shows its progress on the terminal, apart from the log
    When I run the console script "linreg run stats --epochs 600000 --log-every 300000" on a terminal
    Then the exit status is 0
    And the terminal shows a progress bar "linreg run stats" counting the epochs, then clears it
    And stdout holds only log lines

  Scenario: Piped, the same run shows no progress bar
    When I run the console script "linreg run stats --epochs 600000 --log-every 300000"
    Then the exit status is 0
    And stderr is empty
    And stdout holds only log lines

  Scenario Outline: --plot draws the run as <kind>
    When I run "linreg run linear --plot cell5.<suffix>"
    Then the exit status is 0
    And the last line of stdout is "Prediction after training: f(5)= 9.899"
    And "cell5.<suffix>" is a <kind> image of 800 × 300 pixels

    Examples:
      | suffix | kind |
      | png    | PNG  |
      | svg    | SVG  |

  Scenario: The plot draws every epoch's loss and w, with dots on the printed epochs
    Given the "linear" stage with the notes' settings
    When it is trained
    Then its plot draws the loss and w of all 100 epochs, with dots on the 10 printed ones
    And its plot's legend says "linear (the notes' run)" and "as the notes print them"

  Scenario: The plot's axes, and how the printed epochs are marked
    Given the "linear" stage with the notes' settings
    When it is trained
    Then its plot's axes are:
      | side  | x label | y label                  | y scale |
      | left  | epoch   | loss (before the update) | log     |
      | right | epoch   | w (after the update)     | linear  |
    And its plot's dots have their curve's colour and are not joined

  Scenario Outline: The --plot file is titled with the cell, and the same run gives the same file (<suffix>)
    When I run "linreg run linear --plot cell5.<suffix>"
    Then the exit status is 0
    And plotting the same run again, later, writes the same "cell5.<suffix>", byte for byte

    Examples:
      | suffix |
      | png    |
      | svg    |

  Scenario: The --plot file's words
    When I run "linreg run linear --plot cell5.svg"
    Then "cell5.svg" shows the texts "Cell 5: the model is nn.Linear", "linear (the notes' run)", "as the notes print them", "epoch", "loss (before the update)" and "w (after the update)"

  Scenario: A stage the notes do not have says what it is, also with the default settings
    Given the "stats" stage with the notes' settings
    When it is trained
    Then its plot's legend says "stats, lr 0.01" and "the epochs the cell prints"

  Scenario: Another run's plot says what it is
    Given the "autograd" stage with the notes' settings
    And a learning rate of 0.02
    When it is trained
    Then its plot's legend says "autograd, lr 0.02" and "the epochs the cell prints"

  Scenario Outline: --plot refused: <case>
    When I run "<command>"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: <message>"
    And there is no file "<file>"

    Examples:
      | case               | command                                 | file     | message                                                                                 |
      | not an image name  | linreg run numpy --plot loss.jpg        | loss.jpg | --plot 'loss.jpg': give a file name ending in .png or .svg                              |
      | no such folder     | linreg run numpy --plot out/loss.png    | loss.png | --plot 'out/loss.png': folder 'out' does not exist; create it or plot elsewhere         |
      | no epochs to draw  | linreg run backprop --plot loss.png     | loss.png | --plot draws loss and w per epoch: stage backprop has no epochs; choose a training stage |

  Scenario: A run that diverges leaves no plot behind
    When I run "linreg run numpy --lr 0.1 --epochs 100 --plot loss.png"
    Then the exit status is 1
    And there is no file "loss.png"
