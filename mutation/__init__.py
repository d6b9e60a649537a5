"""Mutation testing of the certifying machinery (issue 14): ``python -m mutation.run``."""
