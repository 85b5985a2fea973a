"""Sphinx configuration for the infointerview documentation."""

from __future__ import annotations

project = "infointerview"
author = "infointerview developers"
copyright = "2026, infointerview developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "infointerview"
nitpicky = False
autodoc_typehints = "description"
autodoc_member_order = "bysource"
