"""pytest-bdd step definitions for features/: parse → call linreg → assert, no math."""
