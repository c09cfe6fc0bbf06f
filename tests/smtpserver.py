"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), on a port the OS chooses.

aiosmtpd's Controller cannot bind port 0 yet, so its SMTP class is served with
asyncio's create_server in a thread of its own. With a certificate (trustme issues
one for 127.0.0.1 from a test authority) it speaks STARTTLS or implicit TLS, and
with logins it requires AUTH, as a provider's submission server does.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from email import message_from_bytes, policy


class Recorder:
    """Keeps every message it accepts; can refuse addresses, close after N messages, take
    its time over each message, or store one and drop the connection before replying."""

    def __init__(self) -> None:
        self.messages: list = []
        self.raw: list[bytes] = []
        """Each message as it arrived, for headers read by RFC 2047's rules rather than CPython's."""
        self.envelopes: list = []
        self.refuse: set[str] = set()
        self.refuse_sender = False
        """Refuse every MAIL FROM, as a provider does an address the account may not send as."""
        self.defer: set[str] = set()
        """Addresses refused for now (451), as a greylisting server does."""
        self.refuse_data: set[str] = set()
        """Addresses whose message is refused once its data is in (554), as a spam filter does."""
        self.close_after: int | None = None
        self.delay = 0.0
        """Seconds between storing a message and replying, as a busy server takes: a client
        killed in that gap leaves a message the server has and the client never heard of."""
        self.drop_after: int | None = None
        """Store the message that makes this many, then drop the connection without a reply."""
        self.hang_after: int | None = None
        """Store the message that makes this many, then never reply (until the server closes)."""
        self.closing = False
        self.transactions = 0
        """MAIL commands seen: how far a client has got, for a test that kills it mid-send."""
        self.unavailable_after: int | None = None
        """After this many MAIL commands, answer 421 to everything (the next MAIL, and the greeting
        of a connection after), as a server over its sending limit does."""

    def unavailable(self) -> bool:
        return self.unavailable_after is not None and self.transactions > self.unavailable_after

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.transactions += 1
        if self.refuse_sender:
            return f"553 5.7.1 <{address}>: Sender address rejected: not owned by user"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if address in self.defer:
            return "451 4.7.1 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.close_after is not None and len(self.messages) >= self.close_after:
            return "421 4.3.2 Service shutting down"
        if self.refuse_data & set(envelope.rcpt_tos):
            return "554 5.7.1 Message rejected as spam"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        self.raw.append(envelope.original_content)
        if self.drop_after is not None and len(self.messages) == self.drop_after:
            server.transport.abort()  # stored, and the reply never leaves
            return "250 OK"
        if self.hang_after is not None and len(self.messages) == self.hang_after:
            while not self.closing:  # the client gives up waiting; the server lets go when it stops
                await asyncio.sleep(0.05)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def copies(self) -> dict[str, int]:
        """Messages received per recipient address."""
        counts: dict[str, int] = {}
        for _, rcpts in self.envelopes:
            for address in rcpts:
                counts[address] = counts.get(address, 0) + 1
        return counts


class Server:
    def __init__(self, security: str = "none", certificate=None, logins: dict[str, str] | None = None) -> None:
        from aiosmtpd.smtp import SMTP, AuthResult

        self.recorder = Recorder()
        tls = None
        if certificate is not None:
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            certificate.configure_cert(tls)

        def authenticate(server, session, envelope, mechanism, auth_data):
            known = logins or {}
            login, password = auth_data.login.decode(), auth_data.password.decode()
            return AuthResult(success=known.get(login) == password, handled=False)  # let aiosmtpd answer 535

        recorder = self.recorder

        class Faulty(SMTP):
            async def push(self, status):
                if recorder.unavailable():
                    status = "421 4.3.2 Service not available, closing transmission channel"
                await super().push(status)

        def protocol():
            return Faulty(self.recorder, hostname="localhost", tls_context=tls if security == "starttls" else None,
                        require_starttls=security == "starttls", auth_required=bool(logins),
                        # aiosmtpd sees only STARTTLS as TLS; on an implicit-TLS socket every byte is encrypted anyway
                        auth_require_tls=security != "ssl", authenticator=authenticate if logins else None)

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(
            self.loop.create_server(protocol, "127.0.0.1", 0, ssl=tls if security == "ssl" else None), self.loop)
        self.server = future.result(timeout=10)
        self.port = self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        self.recorder.closing = True
        self.loop.call_soon_threadsafe(self.server.close)
        asyncio.run_coroutine_threadsafe(self.server.wait_closed(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
