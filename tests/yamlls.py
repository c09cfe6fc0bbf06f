"""The YAML language server that VS Code's YAML extension (redhat.vscode-yaml) runs, driven
over stdio as the editor drives it: open files, collect the problems it underlines."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path


LOCAL = Path(__file__).parent / "editor" / "node_modules" / ".bin" / "yaml-language-server"
"""Where `make test` installs it (tests/editor/package-lock.json pins the version)."""


def server_command() -> list[str] | None:
    """yaml-language-server from $YAML_LANGUAGE_SERVER, `make test`'s install, or PATH."""
    found = (os.environ.get("YAML_LANGUAGE_SERVER") or (str(LOCAL) if LOCAL.exists() else None)
             or shutil.which("yaml-language-server"))
    return [found, "--stdio"] if found else None


class YamlLanguageServer:
    def __init__(self, root: Path):
        self.settings = {"yaml": {"validate": True, "schemaStore": {"enable": False}, "schemas": {}}}
        self.process = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._send({"id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {"workspace": {"configuration": True}},
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]}})
        while self.messages.get(timeout=60).get("id") != 1:
            pass
        self._send({"method": "initialized", "params": {}})
        self._send({"method": "workspace/didChangeConfiguration", "params": {"settings": self.settings}})

    def diagnostics(self, *paths: Path, timeout: float = 30) -> dict[str, list[tuple[int, str]]]:
        """Open each file; its problems as (1-based line, message), by file name."""
        for path in paths:
            self._send({"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}}})
        found: dict[str, list[tuple[int, str]]] = {}
        wanted = {path.as_uri(): path.name for path in paths}
        deadline = time.monotonic() + timeout
        while len(found) < len(wanted) and time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=1)
            except queue.Empty:
                continue
            method = message.get("method")
            if method == "workspace/configuration":
                self._send({"id": message["id"], "result": [self.settings["yaml"]] * len(message["params"]["items"])})
            elif method == "textDocument/publishDiagnostics" and message["params"]["uri"] in wanted:
                found[wanted[message["params"]["uri"]]] = [
                    (d["range"]["start"]["line"] + 1, d["message"]) for d in message["params"]["diagnostics"]]
            elif "id" in message and method:
                self._send({"id": message["id"], "result": None})
        return found

    def close(self) -> None:
        self.process.kill()
        self.process.wait()

    def _send(self, message: dict) -> None:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            self.messages.put(json.loads(stream.read(length)))
