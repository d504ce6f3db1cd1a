import sys

from openglue.cli.main import main

sys.exit(main())
