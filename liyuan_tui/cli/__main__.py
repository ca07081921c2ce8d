"""`python -m liyuan_tui.cli …` is `liyuan …`."""

import sys

from . import main

sys.exit(main())
