"""Sub-commands of `jitdesk`: each module has `add_parser(subparsers)` and `run(args) -> int`.

Modules here import only argparse and the standard library at import time, so `jitdesk --help`
and start-up stay fast; the work is imported inside `run`.
"""
