"""The ``dakpan`` command line: it parses, calls :mod:`planner`, and prints."""
