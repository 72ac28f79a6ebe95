"""Validate: schema check, quality rules, exact duplicates. Each check keeps or names a reason."""
