"""Andon screens: the station's call panel, the supervisor's board, their sound, and the view that holds them.

Self-contained on purpose (a TV-mode shell for boards may come from elsewhere): `view.AndonView` is the
page the main window shows; `board.AndonBoardView` and `panel.StationAndonPanel` work on their own.
"""
