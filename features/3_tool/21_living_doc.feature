@living_doc
Feature: The spec run as living documentation
  `pytest --living-doc=report.html` turns the run into Cucumber Messages and renders them with
  Cucumber's html-formatter into one self-contained page; `--living-doc=run.ndjson` writes the
  messages themselves, for any tool that reads them. Each scenario becomes a pickle and a test
  case whose steps end PASSED, FAILED (with pytest's message), SKIPPED or UNDEFINED, and every
  scenario that trains a stage gets a plot of its loss and w per epoch on its last step.
  `tests/test_living_doc.py` checks the page itself in headless Chromium (`pytest -m browser`).

  Scenario: Cell 3's feature as Cucumber Messages, with a plot for each training scenario
    When the spec runs "features/1_notes/03_autograd.feature" with "--living-doc=TMP/run.ndjson"
    Then the run ends with exit status 0
    And the messages hold 1 feature, 3 pickles and 3 test cases
    And the test steps ended 14 PASSED
    And 2 test cases have a PNG plot of 800 × 300 pixels on their last step
    And every message is valid against the Cucumber Messages schema

  Scenario: The messages of a whole feature hang together
    Built in this process from the feature file alone, every step passed: the 3 scenarios and the
    3 rows of the outline make 6 pickles (pytest collects the same 6 tests); each outline row is a
    pickle of its own, each pickle a test case, each step result belongs to a step of its case.
    When the living doc is built for "features/1_notes/01_backpropagation.feature" with every step passed
    Then the messages hold 1 feature, 6 pickles and 6 test cases
    And every test case refers to its pickle, and every step result to a step of its test case
    And the run is a success
    And the test steps ended 27 PASSED
    And every message is valid against the Cucumber Messages schema

  Scenario: The page holds the run's messages: step functions, a failure, a skip, a plot and the times
    Built in this process from cell 3's feature with made-up outcomes: the first scenario passes,
    each step run by a step function of its own (the background's, shared by all three scenarios,
    is one), with made-up step times that cross a whole second, and a plot on its last step;
    the second fails at its second step; the third is skipped before its first.
    When the living doc of "features/1_notes/03_autograd.feature" is built with a passed, a failed and a skipped scenario
    Then the page embeds the messages, as the .ndjson holds them
    And every message is valid against the Cucumber Messages schema
    And the messages hold 1 feature, 3 pickles and 3 test cases
    And every test case refers to its pickle, and every step result to a step of its test case
    And no two things of the run share an id
    And the test steps ended 6 PASSED, 1 FAILED and 7 SKIPPED
    And the failed step says "made-up failure"
    And the skipped steps of the skipped scenario say "made-up reason"
    And each step function is one step definition, which the steps it ran refer to
    And the plot is attached to the first test case's last step, as "loss and w per epoch.png"
    And the first test case's times add up from its start, step after step
    And the run is not a success, and its meta names linreg, this Python, this OS and the messages' version

  Scenario: The page needs no Node.js, and a message cannot end the page's script
    Cucumber's html-formatter comes with linreg, so the page is written where there is no Node.js;
    every message is embedded with "<" escaped, so a step's message holding HTML stays text.
    When the page of "features/1_notes/03_autograd.feature" is written with no Node.js on PATH, a step having failed with "</script><b>bold</b>"
    Then the page embeds the messages, as the .ndjson holds them
    And the page holds "<b>bold</b>" only escaped, as text of a message

  Scenario: Scenarios inside a Rule are found too
    Given a copy of the spec with the feature "rules.feature":
      """
      Feature: Rules
        Background:
          Given the "numpy" stage with the notes' settings

        Scenario: Outside any rule
          When it is trained

        Rule: The first rule
          Scenario: Inside the first rule
            When it is trained

        Rule: The second rule
          Scenario: Inside the second rule
            When it is trained
            Then it prints "Prediction after training: f(5)= 9.999"
      """
    When the living doc is built for "features/rules.feature" with every step passed
    Then the messages hold 1 feature, 3 pickles and 3 test cases
    And every test case refers to its pickle, and every step result to a step of its test case
    And the run is a success
    And the test steps ended 7 PASSED
    And every message is valid against the Cucumber Messages schema

  Scenario: A failing step keeps its report of the numbers that moved, and the steps after it are skipped
    Given a copy of the spec with the feature "wrong.feature":
      """
      @autograd
      Feature: A wrong expectation
        Scenario: Cell 3 misread
          Given the "autograd" stage with the notes' settings
          When it is trained
          Then it prints "epoch 1: w = 0.400, loss = 30.00000000"
          And it prints "Prediction after training: f(5)= 10.000"
      """
    When the spec runs "features/wrong.feature" with "--living-doc=TMP/run.ndjson"
    Then the run ends with exit status 1
    And the messages hold 1 feature, 1 pickles and 1 test cases
    And the test steps ended 2 PASSED, 1 FAILED and 1 SKIPPED
    And the failed step says "1 documented number moved:"
    And the failed step says "Cell 3  1      w         0.400       0.300  -100        -2.5e-01"
    And the failed step says "3 of 4 documented numbers of this scenario held."
    And every message is valid against the Cucumber Messages schema

  Scenario: The page needs a file name it can be
    When the spec runs "features/1_notes/01_backpropagation.feature" with "--living-doc=report.txt"
    Then the run ends with exit status 4
    And pytest says "--living-doc 'report.txt': give a .html (the page) or .ndjson (its Cucumber Messages) file in a folder that exists"
