"""`python -m jitdesk` runs the command line."""

from jitdesk.cli import main

raise SystemExit(main())
