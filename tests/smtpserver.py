"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), on a port the OS chooses.

aiosmtpd's Controller cannot bind port 0 yet, so its SMTP class is served with
asyncio's create_server in a thread of its own.
"""

from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes, policy


class Recorder:
    """Keeps every message it accepts; can refuse addresses or close after N messages."""

    def __init__(self) -> None:
        self.messages: list = []
        self.envelopes: list = []
        self.refuse: set[str] = set()
        self.close_after: int | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.close_after is not None and len(self.messages) >= self.close_after:
            return "421 4.3.2 Service shutting down"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


class Server:
    def __init__(self) -> None:
        from aiosmtpd.smtp import SMTP

        self.recorder = Recorder()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(
            self.loop.create_server(lambda: SMTP(self.recorder, hostname="localhost"), "127.0.0.1", 0), self.loop)
        self.server = future.result(timeout=10)
        self.port = self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        asyncio.run_coroutine_threadsafe(self.server.wait_closed(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
