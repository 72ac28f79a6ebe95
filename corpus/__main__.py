"""`python -m corpus`: the same as the `corpus` command."""

from corpus.cli import main

if __name__ == "__main__":
    main()
