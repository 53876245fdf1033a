"""``python -m scenarist``: the same as the ``scenarist`` command."""

import sys

from scenarist.launch import main

sys.exit(main())
