"""`python -m trainer.cli`: the same as the `webcare` command."""

import sys

from trainer.cli import main

sys.exit(main())
