"""Run the command line as ``python -m dcmscrub``."""

from dcmscrub.cli import main

main()
