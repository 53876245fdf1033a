"""The Qt editor: NodeGraphQt canvas, property forms, preview pane."""
