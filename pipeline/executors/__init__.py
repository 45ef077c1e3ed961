"""Executors: where documents are extracted (see base.py for the interface)."""

from __future__ import annotations

from pipeline.executors.base import Executor, Outcome, Task
from pipeline.settings import Settings


def make_executor(settings: Settings, documents: int) -> Executor:
    """The executor the settings ask for, sized for ``documents`` documents to extract.

    Other executors plug in here, chosen by ``settings.executor``."""
    if settings.executor == "dask":
        from pipeline.executors.dask_executor import DaskExecutor

        return DaskExecutor(settings, settings.dask_scheduler)
    from pipeline.executors.local import local_executor

    return local_executor(settings, documents)


__all__ = ["Executor", "Outcome", "Task", "make_executor"]
