"""Annex A-style case list imports: file checks, row reading (pass 1) and upserts (pass 2).

See README.md in this folder for the columns and the spellings accepted.
"""

from casework.imports.problems import FileRefused, Problem

__all__ = ["FileRefused", "Problem"]
