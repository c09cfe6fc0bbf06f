"""Addresses in a release's texts become links (render.rich_text, over Jinja's urlize),
with what follows them in their word left outside: Turkish and Kazakh suffixes,
punctuation, closing quotes and brackets. Anything else stays text."""

from __future__ import annotations

import pytest

from pressgen.render import rich_text


def link(address: str, href: str | None = None) -> str:
    return f'<a href="{href or "https://" + address}" rel="noopener">{address}</a>'


@pytest.mark.parametrize("text, html", [
    # Kazakh writes a suffix after a hyphen (ТҮРКСОЙ-дың); Turkish after an apostrophe.
    ("turksoy.org-та және Kazinform.com-да", f"{link('turksoy.org')}-та және {link('Kazinform.com')}-да"),
    ("press@tca.example-қа жазыңыз", f'<a href="mailto:press@tca.example">press@tca.example</a>-қа жазыңыз'),
    ("turksoy.org’da", f"{link('turksoy.org')}’da"),
    # In brackets, with or without a suffix; a bracket the address opened is its own.
    ("(turksoy.org’da)", f"({link('turksoy.org')}’da)"),
    ("(www.turksoy.org’da)", f"({link('www.turksoy.org')}’da)"),
    ("(https://turksoy.org/a’da)", f"({link('https://turksoy.org/a', 'https://turksoy.org/a')}’da)"),
    ("(https://en.wikipedia.org/wiki/Nauryz_(holiday))",
     f"({link('https://en.wikipedia.org/wiki/Nauryz_(holiday)', 'https://en.wikipedia.org/wiki/Nauryz_(holiday)')})"),
    # Quotes around it, straight or curly.
    ('"turksoy.org"', f"&#34;{link('turksoy.org')}&#34;"),
    ("‘turksoy.org’", f"‘{link('turksoy.org')}’"),
    # A hyphen inside a path is the path's.
    ("https://inform.kz/nauryz-bayramy", link("https://inform.kz/nauryz-bayramy", "https://inform.kz/nauryz-bayramy")),
    # A member state's domain, which urlize alone leaves as text, is as much a link.
    ("inform.kz-та жарияланды", f"{link('inform.kz')}-та жарияланды"),
    ("ktb.gov.tr’den", f"{link('ktb.gov.tr')}’den"),
    ("(INFORM.KZ) and turksoy.org.tr.", f"({link('INFORM.KZ')}) and {link('turksoy.org.tr')}."),
    ("inform.kz/kz/nauryz_a123", link("inform.kz/kz/nauryz_a123")),
    # A quote or angle bracket ends an address: a trial's link took in '"><script>…' after it.
    ('https://x.org/"><script>alert(2)</script>', f"{link('https://x.org/', 'https://x.org/')}&#34;&gt;&lt;script&gt;"
     "alert(2)&lt;/script&gt;"),
    ("turksoy.org<br>", f"{link('turksoy.org')}&lt;br&gt;"),
    # Not links: another scheme, with the domain inside it; words with dots.
    ("ftp://files.inform.kz/a.zip", "ftp://files.inform.kz/a.zip"),
    ("Kazakh Invest A.Ş. ve Ltd.Şti.", "Kazakh Invest A.Ş. ve Ltd.Şti."),
    ("ftp://files.turksoy.org/a.zip and ftp://www.turksoy.org/b", "ftp://files.turksoy.org/a.zip and ftp://www.turksoy.org/b"),
    ("report.pdf, e.g. Node.js, U.S., 2.0", "report.pdf, e.g. Node.js, U.S., 2.0"),
])
def test_an_address_is_a_link_and_what_follows_it_is_not(text, html):
    assert str(rich_text(text)) == html
