@reproducible
Feature: Reproducible runs
  The same settings give bit-identical histories, run after run and whatever torch's thread
  count; a seeded start is the same every time. No scenario leaves global state behind (torch's and
  numpy's random generators, the default dtype, grad mode, the thread count): the suite checks
  that after every test, so scenarios pass alone, together, and in a random order.

  Scenario Outline: <stage>: the same run with 1 thread and with 2
    Given the "<stage>" stage with the notes' settings
    When it is trained with torch using 1 thread(s) and again with 2
    Then both histories are identical, bit for bit

    Examples:
      | stage    |
      | autograd |
      | optim    |
      | linear   |
      | module   |

  Scenario: The numpy stage run twice
    Given the "numpy" stage with the notes' settings
    When it is trained twice
    Then both histories are identical, bit for bit

  Scenario: A seeded start run twice, on more data than the notes
    Given the "linear" stage with the notes' settings
    And 64 random points from seed 5
    And a learning rate of 0.5 times the largest stable one
    And torch's default init after seed 11
    When it is trained with torch using 1 thread(s) and again with 2
    Then both histories are identical, bit for bit
