"""Application shell: command line, settings, workspace, scheduler wiring."""
