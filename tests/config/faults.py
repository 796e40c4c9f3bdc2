"""Simulated database faults for tests."""

import contextlib
from unittest import mock

from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


@contextlib.contextmanager
def database_fails(*, when=lambda sql: True, error=None):
    """Every query, in any thread, for which ``when(sql)`` holds raises ``error`` (by default
    an OperationalError), as when the server goes away in the middle of a request."""
    error = error or OperationalError("server closed the connection unexpectedly")
    real = CursorWrapper._execute_with_wrappers

    def execute(self, sql, params, many, executor):
        if when(sql):
            raise error
        return real(self, sql, params, many, executor)

    with mock.patch.object(CursorWrapper, "_execute_with_wrappers", execute):
        yield
