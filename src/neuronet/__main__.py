import sys

from neuronet.cli import main

sys.exit(main())
