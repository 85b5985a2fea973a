"""Registered under the ``pytest11`` entry point so plugin authors get the kit's fixtures."""
