"""Takt use cases: complete a cycle, set and import demand, and the reads of the station view, the
board, the command line, schedule adherence and the andon link."""
