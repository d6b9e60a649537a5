"""Errors a user can cause; the command line turns them into one line on stderr and exit code 2."""


class UsageError(ValueError):
    """Bad input: an unknown claim id, a parameter outside its domain, a non-number, ..."""
