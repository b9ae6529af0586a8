@regression
Feature: Regression checking: accept the numbers that moved, or tolerate them, and compare runs
  After a torch or numpy upgrade, a CPU change or a change of the code, the spec says which
  documented numbers moved, where, and by how much. Then either the code is fixed, or the new
  numbers are accepted: `pytest --linreg-update` writes every documented number that moved back
  into its feature file, in place (a table cell, keeping the columns aligned; a doc string; a
  quoted line), prints a unified diff of what it changed and how many numbers it wrote, and
  leaves alone, listed, any scenario that fails for another reason. Run again, the spec passes.
  On an unchanged checkout it writes nothing, so `git diff` stays empty.

  Exact is the default, and what CI runs. `--linreg-tolerance=K` holds a number within K units of
  its last printed digit, and lists at the end of the run every number so held.

  `pytest --linreg-report=RUN.json` records every documented number of a run, with the run's label
  and the environment that chose its digits; `python -m linreg.spec.compare` tables two or more
  such reports and exits 1 when a number moved (docs/regression.md shows the whole workflow).
  These scenarios run pytest, in this process, on copies of the spec's features with misread numbers.

  Scenario: --linreg-update writes the numbers that moved back into the feature, and the run then passes
    Given the spec's "05_nn_linear.feature" copied as "cell5.feature", with these changes:
      | line | text       | becomes    |
      | 27   | 0.00498599 | 0.0049860  |
      | 30   | 1.946      | 1.947      |
      | 33   | 9.899      | 9.898      |
    When pytest runs "cell5.feature --linreg-update" in this process
    Then the exit status is 0
    And stdout has the line "-      | 41    | 1.941 | 0.0049860  |"
    And stdout has the line "+      | 41    | 1.941 | 0.00498599  |"
    And stdout has the line "linreg update: 3 documented numbers written in 1 file"
    And "cell5.feature" is the spec's "05_nn_linear.feature" again, byte for byte
    When pytest runs "cell5.feature" in this process
    Then the exit status is 0
    And pytest's summary says "3 passed"

  Scenario: --linreg-update leaves alone a scenario that fails for another reason, and says which
    Given the spec's "05_nn_linear.feature" copied as "cell5.feature", with these changes:
      | line | text       | becomes    |
      | 27   | 0.00498599 | 0.00498600 |
      | 33   | f(5)       | g(5)       |
    When pytest runs "cell5.feature --linreg-update" in this process
    Then the exit status is 1
    And stdout has the line "linreg update: 0 documented numbers written in 0 files"
    And stdout has the line "linreg update: left alone, 1:"
    And stdout has the line "  The notes' log, replayed digit for digit from the recovered start — cell5.feature:33: And it prints "Prediction after training: g(5)= 9.899""
    And "cell5.feature" is as it was copied

  Scenario: On the spec as it stands, --linreg-update writes nothing
    Given the spec's "02_numpy_manual.feature" copied as "cell2.feature"
    When pytest runs "cell2.feature --linreg-update" in this process
    Then the exit status is 0
    And stdout has the line "linreg update: 0 documented numbers written in 0 files"
    And "cell2.feature" is as it was copied

  Scenario: --linreg-tolerance=1 holds a number one unit off in its last digit, and lists it
    Given the spec's "05_nn_linear.feature" copied as "cell5.feature", with these changes:
      | line | text       | becomes    |
      | 27   | 0.00498599 | 0.00498600 |
    When pytest runs "cell5.feature --linreg-tolerance=1" in this process
    Then the exit status is 0
    And stdout has the line "linreg: 1 documented number held within tolerance (±1 in the last digit), not exactly:"
    And stdout has the line "cell5.feature:27  The notes' log, replayed digit for digit from the recovered start  Cell 5  41     loss      0.00498600  0.00498599  -1          -2.0e-06"
    When pytest runs "cell5.feature" in this process
    Then the exit status is 1

  Scenario: Two units off is more than a tolerance of 1
    Given the spec's "05_nn_linear.feature" copied as "cell5.feature", with these changes:
      | line | text       | becomes    |
      | 27   | 0.00498599 | 0.00498601 |
    When pytest runs "cell5.feature --linreg-tolerance=1" in this process
    Then the exit status is 1
    And stdout has the line "Cell 5  41     loss      0.00498601  0.00498599  -2          -4.0e-06"
    And stdout has the line "25 of 26 documented numbers of this scenario held."

  Scenario: compare shows what each run documented and printed, and exits 1 when a number moved
    Given the spec's "05_nn_linear.feature" copied as "before/cell5.feature"
    And the spec's "05_nn_linear.feature" copied as "after/cell5.feature", with these changes:
      | line | text  | becomes |
      | 30   | 1.946 | 1.947   |
    When pytest runs "before/cell5.feature --linreg-report=before.json" in this process
    And pytest runs "after/cell5.feature --linreg-report=after.json --linreg-label=misread" in this process
    And I compare "before.json after.json"
    Then the exit status is 1
    And stdout has the line "Runs: before (before.json); misread (after.json)"
    And stdout has the line "| cell5.feature:30 | The notes' log, replayed digit for digit from t… | Cell 5 | 71    | w        | 1.946             | 1.946          | held        | 1.947              | 1.946           | -1 (-5.1e-04) |"
    And stdout has the line "| cell5.feature | all 26 held | 25 of 26 held, 1 moved |"
    When I compare "before.json after.json --exit-zero"
    Then the exit status is 0
    When I compare "before.json before.json"
    Then the exit status is 0
    And stdout has the line "Nothing moved."

  Scenario: compare says in one line that a file is not a report, and exits 2
    Given a file "run.json" holding the text "{"numbers": ["
    When I compare "run.json run.json"
    Then the exit status is 2
    And stderr is the one line "compare: error: run.json: not a report that pytest --linreg-report wrote (Expecting value: line 2 column 1 (char 14))"

  Scenario Outline: compare refuses a report that pytest --linreg-report could not have written: <case>
    Every field of every number is checked once, as the file is read, before any is compared.
    Given a file "run.json" holding the text "<json>"
    When I compare "run.json"
    Then the exit status is 2
    And stderr is the one line "compare: error: run.json: not a report that pytest --linreg-report wrote (<why>)"

    Examples:
      | case                        | json                                                                                                                                                                                       | why                                                                       |
      | held that is no boolean     | {"environment": {"torch": "2", "numpy": "2"}, "numbers": [{"feature": "f", "cell": "c", "epoch": "1", "quantity": "w", "line": 1, "documented": "3.000", "got": "3.000", "held": "yes"}]}  | number 1 has no valid 'held'                                              |
      | held where the digits moved | {"environment": {"torch": "2", "numpy": "2"}, "numbers": [{"feature": "f", "cell": "c", "epoch": "1", "quantity": "w", "line": 1, "documented": "3.000", "got": "3.001", "held": true}]}   | number 1 says held is True where it documents '3.000' and printed '3.001' |
      | a number no run prints      | {"environment": {"torch": "2", "numpy": "2"}, "numbers": [{"feature": "f", "cell": "c", "epoch": "1", "quantity": "w", "line": 1, "documented": "1e999999999", "got": "", "held": false}]} | number 1 documents '1e999999999', which is no number as printed           |
      | a label that is not text    | {"environment": {"torch": "2", "numpy": "2"}, "label": 7, "numbers": []}                                                                                                                   | its label is not text                                                     |
