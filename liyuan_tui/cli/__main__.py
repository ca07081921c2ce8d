"""`python -m liyuan_tui.cli …` is `liyuan …`."""

import sys

from .main import main

sys.exit(main())
