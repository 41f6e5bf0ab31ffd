"""A real pseudo-terminal pair standing in for a serial port: the code under test opens the slave's path
with pyserial, the test writes to the master as the scanner (or a light) would."""

from __future__ import annotations

import os


class Pty:
    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.closed = False

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view):]

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.master)
            os.close(self.slave)
