"""corpus: build Korean tech-journalism datasets from recipes."""

__version__ = "0.1.0"
