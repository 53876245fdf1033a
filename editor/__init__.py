"""The window, in Qt: the NodeGraphQt canvas, forms, panes, dialogs and the scheduler's panel."""
