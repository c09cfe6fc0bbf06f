"""Language rules: casing, CLDR dates and quotes, BCP 47 tags."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from pressgen import lang as L


@pytest.mark.parametrize(
    "text, code, expected",
    [
        ("İstanbul", "tr", "İSTANBUL"),
        ("Diyarbakır", "tr", "DİYARBAKIR"),
        ("istiklal ılık", "tr", "İSTİKLAL ILIK"),
        ("Bakı şəhəri, İçərişəhər", "az", "BAKI ŞƏHƏRİ, İÇƏRİŞƏHƏR"),
        ("Нұр-Сұлтан", "kk", "НҰР-СҰЛТАН"),
        ("әғқңөұүһі", "kk", "ӘҒҚҢӨҰҮҺІ"),
        ("Istanbul", "en", "ISTANBUL"),
    ],
)
def test_upper_follows_the_language(text, code, expected):
    assert L.upper(text, code) == expected


@pytest.mark.parametrize(
    "text, code, expected",
    [("DİYARBAKIR", "tr", "diyarbakır"), ("IĞDIR", "tr", "ığdır"), ("İÇƏRİŞƏHƏR", "az", "içərişəhər"), ("IGDIR", "en", "igdir")],
)
def test_lower_follows_the_language(text, code, expected):
    assert L.lower(text, code) == expected


@pytest.mark.parametrize(
    "code, expected", [("en", "April 8, 2011"), ("tr", "8 Nisan 2011"), ("kk", "2011\u202fж. 8 сәуір")]
)
def test_long_dates_from_cldr(code, expected):
    assert L.long_date(dt.date(2011, 4, 8), code) == expected


def test_embargo_time_in_its_own_zone():
    moment = dt.datetime(2011, 4, 8, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty"))
    assert L.long_datetime(moment, "kk").startswith("2011\u202fж. 8 сәуір, 10:00 (")
    assert L.long_datetime(moment, "tr").startswith("8 Nisan 2011, 10:00 (")


@pytest.mark.parametrize("code, expected", [("en", "“x”"), ("tr", "“x”"), ("kk", "«x»")])
def test_quotes_per_locale(code, expected):
    assert L.quote("x", code) == expected


def test_inner_quotes():
    assert L.quote("x", "kk", inner=True) == "“x”"
    assert L.quote("x", "en", inner=True) == "‘x’"


def test_native_names():
    assert [L.native_name(c) for c in ("en", "tr", "kk")] == ["English", "Türkçe", "Қазақ тілі"]


def test_unknown_language():
    assert not L.is_known_language("xx-nope")
    assert L.is_known_language("kk")
