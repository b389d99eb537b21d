"""`python -m pipeline` runs the twinpress command line."""

from .cli import main

main()
