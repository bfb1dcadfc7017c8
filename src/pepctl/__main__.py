import sys

from pepctl.cli import main

sys.exit(main())
