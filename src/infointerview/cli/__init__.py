"""The ``infointerview`` command line, built only on the public workspace API.

Importing this package is light: plugins load only inside the commands that
need them.
"""

from __future__ import annotations

from infointerview.cli.app import main

__all__ = ["main"]
