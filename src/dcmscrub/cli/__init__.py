"""The command line: Typer commands (argument wiring plus one library call each) and the console."""

from dcmscrub.cli.main import main

__all__ = ["main"]
