"""`python -m kehu …` is the `kehu` command."""

import sys

from kehu.cli import main

sys.exit(main())
