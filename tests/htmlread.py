"""Reading HTML as a browser's parser would, with the stdlib's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.anchors: list[tuple[dict[str, str], list[str]]] = []
        """Every <a>, with the text inside it (see ``links``)."""
        self._skip = 0
        self._in_anchor = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self.anchors.append((self.elements[-1][1], []))
            self._in_anchor = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_anchor = False
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)
            if self._in_anchor:
                self.anchors[-1][1].append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find_all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def tags(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]

    def links(self) -> list[tuple[str, str, dict[str, str]]]:
        """(href, text as read, attributes) of every <a>, in order."""
        return [(a.get("href", ""), " ".join(" ".join(text).split()), a) for a, text in self.anchors]
