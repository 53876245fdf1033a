"""Scenarist's launcher: where the layers meet (the command line, which has no window, and the window).

``main.py`` in a clone, the ``scenarist`` command of an installed package and the one-folder bundle
all start :func:`scenarist.launch.main`.
"""
