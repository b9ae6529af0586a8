@living_doc
Feature: The spec run as living documentation
  `pytest --living-doc=report.html` turns the run into one self-contained web page, rendered by
  Cucumber's html-formatter from Cucumber Messages, the format Cucumber's tools share;
  `--living-doc=run.ndjson` writes the messages themselves, for any tool that reads them. Every
  scenario is on the page, each example of an outline as a scenario of its own, each step with
  how it ended: passed, failed (with pytest's message), skipped or undefined; and every scenario
  that trains a stage shows a plot of its loss, w and b per epoch under its last step.
  `tests/test_living_doc.py` checks the page itself in headless Chromium (`pytest -m browser`).

  Scenario: Cell 3's feature as a living doc, with a plot under each training scenario
    When the spec runs cell 3's feature, writing its living doc as Cucumber Messages
    Then the run ends with exit status 0
    And the living doc holds 1 feature and 3 scenarios
    And its steps ended: 14 passed
    And 2 scenarios show a plot of 800 × 300 pixels under their last step
    And every message is valid against the Cucumber Messages schema

  Scenario: Every scenario of a feature is in its living doc, each example of an outline on its own
    Built in this process from cell 1's feature alone, every step passed: its 3 scenarios and the
    3 examples of its outline make 6 scenarios (pytest collects the same 6 tests).
    When the living doc is built for cell 1's feature with every step passed
    Then the living doc holds 1 feature and 6 scenarios
    And each scenario shows its steps in order, each with how it ended
    And the run is a success
    And its steps ended: 27 passed
    And every message is valid against the Cucumber Messages schema

  Scenario: The page holds the run: a failure, a skip, a plot, the step functions and the times
    Built in this process from cell 3's feature with made-up outcomes: the first scenario passes,
    each step run by a step function of its own (the background's, shared by all three scenarios,
    is one), with made-up step times that cross a whole second, and a plot on its last step;
    the second fails at its second step; the third is skipped before its first.
    When the living doc of cell 3's feature is built with a passed, a failed and a skipped scenario
    Then the page and its Cucumber Messages file hold the same run
    And every message is valid against the Cucumber Messages schema
    And the living doc holds 1 feature and 3 scenarios
    And each scenario shows its steps in order, each with how it ended
    And its steps ended: 6 passed, 1 failed and 7 skipped
    And the failed step says "made-up failure"
    And the skipped steps of the skipped scenario say "made-up reason"
    And each step that ran names the step function that ran it
    And the plot is under the first scenario's last step, as "loss and w per epoch.png"
    And the first scenario's times add up from its start, step after step
    And the run is not a success, and the page's header names linreg, this Python, this OS and the messages' version

  Scenario: The page needs no Node.js, and a message cannot end the page's script
    Cucumber's html-formatter comes with linreg, so the page is written where there is no Node.js;
    every message is embedded with "<" escaped, so a step's message holding HTML stays text.
    When the page of cell 3's feature is written with no Node.js on PATH, a step having failed with "</script><b>bold</b>"
    Then the page and its Cucumber Messages file hold the same run
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
    When the living doc is built for "rules.feature" with every step passed
    Then the living doc holds 1 feature and 3 scenarios
    And each scenario shows its steps in order, each with how it ended
    And the run is a success
    And its steps ended: 7 passed
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
    When the spec runs "wrong.feature", writing its living doc as Cucumber Messages
    Then the run ends with exit status 1
    And the living doc holds 1 feature and 1 scenario
    And its steps ended: 2 passed, 1 failed and 1 skipped
    And the failed step says "1 documented number moved:"
    And the failed step says "Cell 3  1      w         0.400       0.300  -100        -2.5e-01"
    And the failed step says "3 of 4 documented numbers of this scenario held."
    And every message is valid against the Cucumber Messages schema

  Scenario: The page needs a file name it can be
    When the spec runs cell 1's feature with "--living-doc=report.txt"
    Then the run ends with exit status 4
    And pytest says "--living-doc 'report.txt': give a .html (the page) or .ndjson (its Cucumber Messages) file in a folder that exists"
