@plugin
Feature: The spec as a pytest plugin, outside this checkout
  `pip install 'linreg[spec]'` registers linreg's pytest plugin. It is a guest in every pytest
  session of that environment, so it does nothing until asked: another project's tests, features
  and tags run as if linreg were not installed. Asked — a .feature file named on the command line,
  or folders named by the ini key `linreg_features` — pytest collects those features with the whole
  step vocabulary (`pytest --linreg-steps`) and linreg's tags, and takes --living-doc and
  --linreg-report. So a feature written in the vocabulary runs from any folder with
  `pytest my.feature`. When a documented number moves, the failure lists every number of the
  scenario that moved, with how far (in its last printed digit, and relative to it), and how many
  held. These scenarios build this checkout's wheel and install it in a new virtual environment,
  as a user would (a minute or two: `pytest -m slow` runs them).

  @slow
  Scenario: The README's example runs in an empty folder
    Given linreg installed as a user installs it, with its spec extra
    And an empty folder outside the checkout, with "my.feature":
      """
      @numpy
      Feature: My data
        Scenario: y = 3x converges
          Given the "numpy" stage with the notes' settings
          And the data x = 1,2,3 and y = 3,6,9
          And a learning rate of 0.02
          And 30 epochs, logged every 10
          When it is trained
          Then it prints "epoch 11: w = 3.000, loss = 0.00000311"
          And the prediction after training is within 0.001 of 15
      """
    When pytest runs "my.feature" there
    Then the exit status is 0
    And pytest's summary says "1 passed"

  @slow
  Scenario: Two numbers moved in cell 5's log: the failure lists both, with their epochs and how far they moved
    Given linreg installed as a user installs it, with its spec extra
    And an empty folder outside the checkout, with "cell5.feature":
      """
      @linear
      Feature: Cell 5, two numbers misread
        Scenario: The notes' log
          Given the "linear" stage with the notes' settings
          When it is trained
          Then the logged epochs are:
            | epoch | w     | loss        |
            | 1     | 0.706 | 20.24533653 |
            | 41    | 1.941 | 0.00498600  |
            | 71    | 1.947 | 0.00415748  |
          And it prints "Prediction after training: f(5)= 9.899"
      """
    When pytest runs "cell5.feature" there
    Then the exit status is 1
    And stdout has the line "2 documented numbers moved:"
    And stdout has the line "cell    epoch  quantity  documented  got         last digit  relative"
    And stdout has the line "Cell 5  41     loss      0.00498600  0.00498599  -1          -2.0e-06"
    And stdout has the line "Cell 5  71     w         1.947       1.946       -1          -5.1e-04"
    And stdout has the line "6 of 8 documented numbers of this scenario held."
    And pytest's summary says "1 failed"

  @slow
  Scenario: The step vocabulary is printed from the wheel, grouped, each step with its meaning
    Given linreg installed as a user installs it, with its spec extra
    And an empty folder outside the checkout, with "notes.txt":
      """
      nothing here is a feature
      """
    When pytest runs "--linreg-steps" there
    Then the exit status is 0
    And stdout has the line "Setting up a stage"
    And stdout has the line "Given a learning rate of {lr:g}"
    And stdout has the line "Checking numbers"

  @slow
  Scenario: The living doc is written from the wheel, with no Node.js
    Given linreg installed as a user installs it, with its spec extra
    And an empty folder outside the checkout, with "my.feature":
      """
      @numpy
      Feature: My data
        Scenario: y = 3x converges
          Given the "numpy" stage with the notes' settings
          And the data x = 1,2,3 and y = 3,6,9
          And a learning rate of 0.02
          And 30 epochs, logged every 10
          When it is trained
          Then the prediction after training is within 0.001 of 15
      """
    When pytest runs "my.feature --living-doc=page.html" there with no Node.js on PATH
    Then the exit status is 0
    And "page.html" there is a page that names the scenario "y = 3x converges"

  @slow
  Scenario: Another project's tests run as if linreg were not installed
    Its plain tests, a test that seeds numpy, a feature of its own bound by its own scenarios()
    call with its own steps (one of them worded as a step of linreg's), and its own tag @wip
    (pytest-bdd's own warning about that unregistered tag is the one warning, with linreg or not).
    Given linreg installed as a user installs it, with its spec extra
    And another project's folder: plain tests, a test that seeds numpy, its own feature, steps and tag
    When pytest runs there, with linreg's plugin and without it
    Then both runs end alike: the same exit status and the same output
    And both say "4 passed, 1 warning"

  @slow
  Scenario: Without the spec extra, other projects run, and asking for the spec says what to install
    Given linreg installed without its spec extra, beside pytest and pytest-bdd
    And another project's folder: plain tests, a test that seeds numpy, its own feature, steps and tag
    When pytest runs there, with linreg's plugin and without it
    Then both runs end alike: the same exit status and the same output
    And both say "4 passed, 1 warning"
    Given an empty folder outside the checkout, with "my.feature":
      """
      Feature: Mine
      """
    When pytest runs "my.feature" there
    Then pytest stops at once, saying "ERROR: linreg's spec needs its extra: pip install 'linreg[spec]'"

  Rule: A file the spec cannot read is refused in one line naming it, and so is a report it could not write
    A feature file is UTF-8 text holding one Feature with its scenarios; an Outline runs once per
    row of its Examples. Anything else stops pytest at collection with one line naming the file
    and, where there is one, the line. A report's folder is tried before the run, not after it, and
    the report is written through a temporary file of a name no user's file has.

    Scenario Outline: A feature file that is no Feature with scenarios: <case>
      Given a file "my.feature" holding the text "<text>"
      When pytest runs "my.feature" in this process
      Then pytest cannot collect "my.feature", saying in one line "<said>"

      Examples:
        | case                        | text                                                                                      | said                                                                                                                        |
        | comments and tags only      | # my notes\n@numpy                                                                        | my.feature: no 'Feature:' line: a feature file holds 'Feature: <name>' and its scenarios                                    |
        | a Background alone          | Feature: Mine\n  Background:\n    Given the "numpy" stage with the notes' settings        | my.feature:1: Feature 'Mine' has no scenario: add a 'Scenario:' and its steps                                                |
        | an Outline with no Examples | Feature: Mine\n  Scenario Outline: At <lr>\n    Given a learning rate of <lr>             | my.feature:2: Scenario Outline 'At <lr>' has no Examples row: add an 'Examples:' table with the column lr and one row per run |
        | two Features in one file    | Feature: Mine\n  Scenario: Trained\n    When it is trained\nFeature: Yours                | my.feature:4: not valid Gherkin: Multiple features are not allowed in a single feature file.                                |

    Scenario: A feature file that is not UTF-8
      The bytes are "Feature: Données" in Latin-1, where é is the one byte e9.
      Given a file "my.feature" holding the bytes 466561747572653a20446f6e6ee965730a
      When pytest runs "my.feature" in this process
      Then pytest cannot collect "my.feature", saying in one line "my.feature:1: not UTF-8 text (byte 0xe9 at column 14): save the feature file as UTF-8"

    Scenario: A report in a folder that takes no file is refused before the run
      Given the spec's "02_numpy_manual.feature" copied as "cell2.feature"
      When pytest runs "cell2.feature --linreg-report=/proc/run.json" in this process
      Then the exit status is 4
      And stderr is the one line "ERROR: --linreg-report '/proc/run.json': cannot write in '/proc' (No such file or directory): give a folder you can write"

    Scenario: A user's file with the name a report's temporary file once had is left alone
      Given the spec's "02_numpy_manual.feature" copied as "cell2.feature"
      And a file ".run.json.partial" holding the text "mine"
      When pytest runs "cell2.feature --linreg-report=run.json" in this process
      Then the exit status is 0
      And ".run.json.partial" still holds the text "mine"
