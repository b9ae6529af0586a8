@living_doc
Feature: The spec run as living documentation
  `pytest --living-doc=report.html` turns the run into Cucumber Messages and renders them with
  Cucumber's html-formatter into one self-contained page; `--living-doc=run.ndjson` writes the
  messages themselves, for any tool that reads them. Each scenario becomes a pickle and a test
  case whose steps end PASSED, FAILED (with pytest's message), SKIPPED or UNDEFINED, and every
  scenario that trains a stage gets a plot of its loss and w per epoch on its last step.
  `tests/test_living_doc.py` checks the page itself in headless Chromium (`pytest -m browser`).

  Scenario: Cell 3's feature as Cucumber Messages, with a plot for each training scenario
    When the spec runs "features/03_autograd.feature" with "--living-doc=TMP/run.ndjson"
    Then the run ends with exit status 0
    And the messages hold 1 feature, 3 pickles and 3 test cases
    And the test steps ended 14 PASSED
    And 2 test cases have a PNG plot of 800 × 300 pixels on their last step
    And every message is valid against the Cucumber Messages schema

  Scenario: The messages of a whole feature hang together
    Built in this process from the feature file alone, every step passed: the 3 scenarios and the
    3 rows of the outline make 6 pickles (pytest collects the same 6 tests); each outline row is a
    pickle of its own, each pickle a test case, each step result belongs to a step of its case.
    When the living doc is built for "features/01_backpropagation.feature" with every step passed
    Then the messages hold 1 feature, 6 pickles and 6 test cases
    And every test case refers to its pickle, and every step result to a step of its test case
    And the test steps ended 27 PASSED
    And every message is valid against the Cucumber Messages schema

  Scenario: A failing step keeps pytest's message, and the steps after it are skipped
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
    And the failed step says "epoch 1: w = 0.400, loss = 30.00000000"
    And every message is valid against the Cucumber Messages schema

  Scenario: The page needs a file name it can be
    When the spec runs "features/01_backpropagation.feature" with "--living-doc=report.txt"
    Then the run ends with exit status 4
    And pytest says "--living-doc 'report.txt': give a .html (the page) or .ndjson (its Cucumber Messages) file in a folder that exists"
