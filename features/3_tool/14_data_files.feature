@data_files
Feature: Training data from a CSV file
  `linreg run STAGE --data FILE.csv` (and `linreg recover … --data FILE.csv`) read x and y from a
  CSV file whose header is exactly x,y, one point per row, instead of --x and --y. The file is only
  parsed as numbers: nothing in it is evaluated. A bad file is refused with one line naming the
  file and, where there is one, the row and column, and nothing is trained.

  Scenario: A CSV file gives the same run as --x and --y
    Given a file "points.csv" holding:
      """
      x,y
      1,3
      2,6
      3,9
      """
    When I run "linreg run numpy --data points.csv --epochs 3 --log-every 1"
    Then the exit status is 0
    And stdout is:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 0.840, loss = 42.00000000
      epoch 2: w = 1.445, loss = 21.77279854
      epoch 3: w = 1.880, loss = 11.28701878
      Prediction after training: f(5)= 9.401
      """

  Scenario Outline: Every line counts, whatever ends the lines: <breaks>, <last> after the last
    Three points, 1,3 2,6 3,9: loss (9 + 36 + 81)/3 = 42 and the notes' gradient
    2·(1·−3 + 2·−6 + 3·−9) = −84 moves w to 0.84. Without its last row the loss would be 22.5.
    Given a file "points.csv" holding these lines, with <breaks> line breaks and <last> after the last:
      """
      x,y
      1,3
      2,6
      3,9
      """
    When I run "linreg run numpy --data points.csv --epochs 1"
    Then the exit status is 0
    And stdout has the line "epoch 1: w = 0.840, loss = 42.00000000"

    Examples:
      | breaks | last |
      | LF     | one  |
      | LF     | none |
      | CRLF   | one  |
      | CRLF   | none |

  Scenario: The columns may come in either order
    Given a file "swapped.csv" holding:
      """
      y,x
      3,1
      6,2
      9,3
      """
    When I run "linreg run numpy --data swapped.csv --epochs 1"
    Then stdout has the line "epoch 1: w = 0.840, loss = 42.00000000"

  Scenario Outline: A bad data file: <case>
    Given a file "bad.csv" holding the text "<content>"
    When I run "linreg run autograd --data bad.csv"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: <message>"

    Examples:
      | case              | content               | message                                                                                 |
      | no y column       | x,z\n1,2\n3,4         | data file 'bad.csv' has the header 'x,z': the header must be exactly x,y                |
      | x twice           | x,x\n1,2\n3,4         | data file 'bad.csv' has the header 'x,x': the header must be exactly x,y                |
      | extra column      | x,y,w\n1,2,0\n3,4,0   | data file 'bad.csv' has the header 'x,y,w': the header must be exactly x,y              |
      | non-numeric cell  | x,y\n1,2\n3,four      | data file 'bad.csv' row 3, column y: 'four' is not a number                             |
      | non-finite value  | x,y\n1,2\ninf,4       | data file 'bad.csv' row 3, column x: 'inf' is not finite                                |
      | a single row      | x,y\n1,2              | data file 'bad.csv' has 1 data row(s): give at least two                                |
      | a short row       | x,y\n1,2\n3           | data file 'bad.csv' row 3 has 1 cells, the header has 2                                 |
      | code in a cell    | x,y\n1,2\n__import__('os'),4 | data file 'bad.csv' row 3, column x: "__import__('os')" is not a number          |

  Scenario: An empty data file
    Given a file "empty.csv" holding:
      """
      """
    When I run "linreg run numpy --data empty.csv"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'empty.csv' is empty: give a header x,y and at least two rows"

  Scenario: A header with spaces and a byte-order mark is still x,y
    The bytes are a UTF-8 byte-order mark, then "x, y", "1,3", "2,6": loss (9 + 36)/2 = 22.5 and the
    notes' gradient 2·(1·−3 + 2·−6) = −30 moves w to 0.3.
    Given a file "excel.csv" holding the bytes efbbbf782c20790a312c330a322c360a
    When I run "linreg run numpy --data excel.csv --epochs 1"
    Then the exit status is 0
    And stdout has the line "epoch 1: w = 0.300, loss = 22.50000000"

  Scenario: A file that is not UTF-8
    Given a file "latin1.csv" holding the bytes 782c790a312c330ae92c360a
    When I run "linreg run numpy --data latin1.csv"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'latin1.csv' is not UTF-8 text: give a CSV file with a header x,y"

  Scenario: A missing data file
    When I run "linreg run numpy --data nowhere.csv"
    Then the exit status is 2
    And stderr is the one line "linreg: error: cannot read data file 'nowhere.csv': No such file or directory; give a CSV file with a header x,y"

  Scenario: A binary file given as data
    Given a file "model.pt" holding the bytes 504b0304140000000800
    When I run "linreg run numpy --data model.pt"
    Then the exit status is 2
    And stderr is the one line "linreg: error: data file 'model.pt' is binary, not CSV: give a text file with a header x,y"

  Scenario: Data given twice
    Given a file "points.csv" holding the text "x,y\n1,3\n2,6"
    When I run "linreg run numpy --data points.csv --x 1,2"
    Then the exit status is 2
    And stderr is the one line "linreg: error: give the data either with --data or with --x/--y, not both"
