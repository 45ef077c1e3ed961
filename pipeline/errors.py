"""Errors that carry a message a user can act on (and, for the run, an exit code)."""

from __future__ import annotations


class DocumentError(Exception):
    """This document cannot be processed; the batch goes on."""


class UnsupportedInput(DocumentError):
    pass


class LimitExceeded(DocumentError):
    """The document is over one of ``Settings.limits``; the message names the setting."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(f"{message} (limit: limits.{limit})")
        self.message, self.limit = message, limit

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Picklable across worker processes despite the two-argument constructor.
        return type(self), (self.message, self.limit)


class RunError(Exception):
    """The run itself cannot go on (bad arguments, output not writable)."""

    exit_code = 2


class OutputNotWritable(RunError):
    exit_code = 3


class MissingExtra(RunError):
    """An option needs a package that a plain install leaves out (an extra of the
    distribution): the message says what to install."""

    def __init__(self, extra: str, feature: str, module: str) -> None:
        super().__init__(f"{feature} needs the {module} package, not installed: "
                         f"pip install 'jixiao-pipeline[{extra}]'")
