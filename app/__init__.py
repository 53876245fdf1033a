"""The headless application: the use cases (open a CRM, run once, preview, simulate, publish,
report, an editing session), the command line, ``serve``, settings and the workspace. No Qt here."""

from app import words as _words  # noqa: F401 - the layer's words are known wherever it is used
