"""``python -m infointerview.cli``."""

from __future__ import annotations

import sys

from infointerview.cli.app import main

sys.exit(main())
