"""What every `webcare` command may raise: a leaf module, so commands never import the parser."""

EXIT_USAGE = 2


class UsageError(Exception):
    """A mistake in what the user asked; printed as one line, exit code 2."""
