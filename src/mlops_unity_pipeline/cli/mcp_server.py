"""``mlops-unity mcp``: serve the pipeline to AI assistants over the Model Context Protocol (stdio)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from ._common import handle_errors
from .run import WORKSPACE_OPTION


def register(app: typer.Typer) -> None:
    """Add ``mcp`` to the app."""

    @app.command("mcp")
    @handle_errors
    def mcp(workspace: Path = WORKSPACE_OPTION) -> None:
        """Serve the pipeline to an AI assistant over MCP on stdio (setup: docs/integrations.md)."""
        from ..mcp_server import build_server  # start-up

        # stdout carries the protocol: logs go to stderr, warnings and above only.
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        build_server(workspace).run("stdio")
