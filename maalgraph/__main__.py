"""Run maalgraph as a module: ``python -m maalgraph``."""

from .cli import main

main()
