"""Floor devices: barcode scanners (serial and keyboard wedge), later stack lights and pedals.

Standard library and pyserial only: no Qt, no jitdesk.sync. The GUI adapts these pieces through
``jitdesk.gui.wedge_filter``; ``jitdesk.app`` wires a ``SerialScanner`` to the asyncio loop.

- ``framing``: ``ScannerConfig`` and ``ScanFramer``, a pure byte-stream-to-scan framer.
- ``serial_scanner``: ``SerialScanner``, a pyserial reader thread that reconnects by itself.
- ``wedge``: ``WedgeDecoder``, a pure decoder that tells a wedge scanner burst from typing.
"""
