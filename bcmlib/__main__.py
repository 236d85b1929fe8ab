"""`python -m bcmlib` runs the `bcm` command."""

from bcmlib.cli import main

main()
