"""A tiny SMTP server for fault tests: accepts, refuses or stalls on command, and
counts every message it accepted by its X-PEERS-Notification header."""

import collections
import email
import socketserver
import threading
import time


class SmtpSink:
    def __init__(self) -> None:
        self.mode = "accept"  # accept | refuse | stall
        self.delay = 0.0  # seconds to wait before accepting a message's data
        self.received: collections.Counter[str] = collections.Counter()
        self.connections = 0  # SMTP sessions opened
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink._session(self)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())

    def duplicates(self) -> int:
        with self.lock:
            return sum(count - 1 for count in self.received.values() if count > 1)

    def _session(self, handler) -> None:
        with self.lock:
            self.connections += 1
        write = handler.wfile.write
        if self.mode == "refuse":
            write(b"554 5.3.2 Service unavailable, try later\r\n")
            return
        if self.mode == "stall":
            time.sleep(30)
            return
        write(b"220 sink ESMTP\r\n")
        while line := handler.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                write(b"250 sink\r\n")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                write(b"250 OK\r\n")
            elif command == "DATA":
                write(b"354 go ahead\r\n")
                self._data(handler)
            elif command == "QUIT":
                write(b"221 bye\r\n")
                return
            else:
                write(b"502 not implemented\r\n")

    def _data(self, handler) -> None:
        lines = []
        while (line := handler.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line)
        if self.delay:
            time.sleep(self.delay)
        message = email.message_from_bytes(b"".join(lines))
        with self.lock:
            self.received[message.get("X-PEERS-Notification", "?")] += 1
        handler.wfile.write(b"250 accepted\r\n")
