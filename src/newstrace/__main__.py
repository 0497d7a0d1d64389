"""`python -m newstrace` is the `newstrace` command."""

from newstrace.cli import main

main()
