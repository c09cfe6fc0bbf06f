"""Python's cycle collector kept out of a build's way.

A build holds hundreds of thousands of objects that live until it ends (the cache, the
records, what it planned of each release) and form no cycle. Each full run of the collector
walks every one of them again, and a cold build of 10,000 releases made a few dozen such
runs. So a burst of them is made with the collector paused, then frozen (gc.freeze: kept out
of every later run); build() unfreezes what it froze when it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """The collector paused while the block makes long-lived objects (frozen after, with
    ``freeze``); left enabled or not as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
