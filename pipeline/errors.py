"""Errors that carry a message a user can act on (and, for the run, an exit code)."""

from __future__ import annotations


class DocumentError(Exception):
    """This document cannot be processed; the batch goes on."""


class UnsupportedInput(DocumentError):
    pass


class RunError(Exception):
    """The run itself cannot go on (bad arguments, output not writable)."""

    exit_code = 2


class OutputNotWritable(RunError):
    exit_code = 3
