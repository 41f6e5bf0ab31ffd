"""The desktop GUI: the only package that imports PySide6 widgets. It calls services through the
AppContext (gui/context.py) and redraws on its `changed` signal; it never touches storage."""
