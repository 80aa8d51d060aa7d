"""`python -m observatory` is the same as the `observatory` command."""

from observatory.cli import main

main()
