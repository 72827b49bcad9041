"""Helpers shared by the CLI modules: JSON output, one-line errors, exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from ..errors import PipelineError
from ..redact import redact, redact_data

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object.")
"""The ``--json`` flag of a command whose output is one object (``emit_json``)."""
RESULT_JSON_OPTION = typer.Option(False, "--json", help="Print the result as one JSON object.")
"""The ``--json`` flag of a command that runs something and prints its result."""
QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="No progress display.")
"""The ``--quiet`` flag of a command with a live progress display."""


def _default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def emit_json(obj: Any) -> None:
    """Print one JSON object on stdout (the ``--json`` contract)."""
    sys.stdout.write(json.dumps(redact_data(obj), default=_default, sort_keys=True) + "\n")
    sys.stdout.flush()


PIPE_WIDTH = 240
"""Table width when stdout is not a terminal (logs, grep): wide enough that long ids never wrap."""


def print_table(headers: list[str], rows: list[list[Any]], *, right: tuple[str, ...] = ()) -> None:
    """Print a ``rich`` table on stdout; columns size to their contents, so long ids never overflow.

    Args:
        headers: column titles.
        rows: one list of cells per row (``None`` shows as ``-``).
        right: titles of the columns aligned right (numbers).

    """
    from rich import box  # start-up
    from rich.console import Console  # start-up
    from rich.table import Table  # start-up
    from rich.text import Text  # start-up

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else PIPE_WIDTH, highlight=False)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for header in headers:
        table.add_column(header, justify="right" if header in right else "left", overflow="fold")
    for row in rows:
        # Text cells: an error message with [brackets] must print as written, not as rich markup.
        table.add_row(*(Text("-" if cell is None or cell == "" else str(cell)) for cell in row))
    console.print(table)


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print one clear line on stderr and return the ``typer.Exit`` to raise."""
    sys.stderr.write(f"error: {redact(message)}\n")
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn the package's errors (and bad files) into one stderr line and a non-zero exit: no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PipelineError as exc:
            raise fail(str(exc)) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise fail(f"{exc.strerror}: {exc.filename}") from None
        except KeyboardInterrupt:
            raise fail("interrupted", code=130) from None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature typer reads
