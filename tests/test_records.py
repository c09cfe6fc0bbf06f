"""Bad records get one clear `file:line: message` each, exit 1, no traceback."""

from __future__ import annotations

import datetime as dt
import zoneinfo
import textwrap

import pytest

from conftest import edit, run_cli
from pressgen import load_project

GOOD = """\
language: en
style: statement
organisation: office
date: 2011-04-08
place: Istanbul
headline: A headline
body:
  - A paragraph.
"""


def check_record(root, text: str, name: str = "bad.yaml"):
    (root / "releases" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return run_cli("check", "--project", str(root))


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(GOOD.replace("headline: A headline", "headline: [A headline"),
                     "releases/bad.yaml:6: YAML syntax error: did not find expected ',' or ']'", id="yaml-syntax"),
        pytest.param(GOOD.replace("headline: A headline", "headline:\n  - A headline"),
                     "releases/bad.yaml:7: 'headline' must be text, got a list", id="wrong-type"),
        pytest.param(GOOD.replace("headline: A headline\n", ""),
                     "releases/bad.yaml:1: the release record is missing the required field 'headline'", id="missing-field"),
        pytest.param(GOOD.replace("2011-04-08", "2011-13-08"),
                     "releases/bad.yaml:4: 'date' must be YYYY-MM-DD, got '2011-13-08'", id="impossible-date"),
        pytest.param(GOOD.replace("2011-04-08", "2011-02-30"),
                     "releases/bad.yaml:4: 'date' must be a real day, got '2011-02-30': that month has no day 30",
                     id="february-30"),
        pytest.param(GOOD.replace("language: en", "language: fr"),
                     "releases/bad.yaml:1: unknown language 'fr'; this office publishes in en, tr, kk (pressgen.yaml)",
                     id="unknown-language"),
        pytest.param(GOOD + "place: Ankara\n",
                     "releases/bad.yaml:9: duplicate key 'place' (first on line 5); keep one", id="duplicate-key"),
        pytest.param(GOOD.replace("style: statement", "style: memo"),
                     "releases/bad.yaml:2: 'style' must be one of statement, wire, got 'memo'", id="unknown-style"),
        pytest.param("id: Bad_ID\n" + GOOD,
                     "releases/bad.yaml:1: 'id' must give an id of lower-case letters, digits and hyphens "
                     "(e.g. 'turksoy-isesco-agreement'), got 'Bad_ID'", id="bad-id"),
        pytest.param(GOOD.replace("organisation: office", "organisation: nobody"),
                     "releases/bad.yaml:3: unknown organisation 'nobody'; pressgen.yaml defines: office",
                     id="unknown-organisation"),
        pytest.param(GOOD + "headlnie: typo\n",
                     "releases/bad.yaml:9: unknown field 'headlnie' in the release record; did you mean 'headline'?",
                     id="unknown-field"),
        pytest.param(GOOD + "embargo: 10:30\n",
                     "releases/bad.yaml:9: 'embargo' must be 'YYYY-MM-DD HH:MM Area/City' (e.g. '2011-04-08 10:00 "
                     "Asia/Baku'), got '10:30'", id="yaml11-sexagesimal"),
        pytest.param(GOOD + "embargo: 2011-04-08 10:00 Mars/Olympus\n",
                     "releases/bad.yaml:9: 'embargo' has an unknown timezone 'Mars/Olympus'; use an IANA name such as "
                     "Asia/Almaty or Europe/Istanbul, or an offset such as +06:00", id="unknown-timezone"),
        pytest.param(GOOD.replace("  - A paragraph.", "  - {text: x}"),
                     "releases/bad.yaml:8: a body block must be a paragraph (plain text, or 'paragraph:' with 'note:') "
                     "or a quote ('quote:' with 'by:'), got 'text'", id="bad-block"),
        pytest.param(GOOD.replace("  - A paragraph.", "  - qoute: We are ready"),
                     "releases/bad.yaml:8: a body block must be a paragraph (plain text, or 'paragraph:' with 'note:') "
                     "or a quote ('quote:' with 'by:'), got 'qoute'; did you mean 'quote'?", id="misspelt-block"),
        pytest.param(GOOD.replace("  - A paragraph.", '  - ""'),
                     "releases/bad.yaml:8: an empty paragraph in 'body'; remove the '-' line", id="empty-paragraph"),
        pytest.param(GOOD.replace("  - A paragraph.", "\t- A paragraph."),
                     "releases/bad.yaml:8: YAML syntax error: found character that cannot start any token (a tab); "
                     "indent with spaces, not tabs", id="tab"),
        pytest.param(GOOD.replace("headline: A headline", "headline: Signing: a new era"),
                     "releases/bad.yaml:6: YAML syntax error: mapping values are not allowed in this context; check the "
                     "indentation of this line, or put quotes around a text that contains ': '", id="colon-in-text"),
        pytest.param(GOOD.replace("  - A paragraph.", "  - quote: Only a quote"),
                     "releases/bad.yaml:7: 'body' has only quotes; add a paragraph, which the dateline opens",
                     id="only-quotes"),
        pytest.param(GOOD + "withdrawn:\n",
                     "releases/bad.yaml:9: 'withdrawn' needs the date of the withdrawal, YYYY-MM-DD", id="withdrawn-empty"),
        pytest.param(GOOD + "withdrawn: 2011-04-01\n",
                     "releases/bad.yaml:9: 'withdrawn' is 2011-04-01, before the release's date 2011-04-08; a release "
                     "is withdrawn on its date or later: write 'withdrawn: 2011-04-08' for a release withdrawn before "
                     "its date came (or correct the date)",
                     id="withdrawn-too-early"),
        pytest.param("- just\n- a list\n",
                     "releases/bad.yaml:1: the release record must be a mapping of 'field: value' lines, got a list",
                     id="not-a-mapping"),
    ],
)
def test_bad_record_names_file_and_line(project, text, expected):
    root = project("minimal")
    result = check_record(root, text)
    assert result.exit_code == 1
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.output


def test_a_duplicate_key_hides_none_of_the_other_problems(project):
    root = project("minimal")
    bad = GOOD.replace("style: statement", "style: memo").replace("2011-04-08", "2011-13-08") + "place: Ankara\n"
    result = check_record(root, bad, "x.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "releases/x.yaml:2: 'style' must be one of statement, wire, got 'memo'",
        "releases/x.yaml:4: 'date' must be YYYY-MM-DD, got '2011-13-08'",
        "releases/x.yaml:9: duplicate key 'place' (first on line 5); keep one",
    ]


def test_bad_file_name_is_a_bad_id(project):
    root = project("minimal")
    result = check_record(root, GOOD, name="Bad Name.yaml")
    assert result.exit_code == 1
    assert ("releases/Bad Name.yaml:1: the file name 'Bad Name.yaml' must give an id of lower-case letters, digits "
            "and hyphens (e.g. 'turksoy-isesco-agreement'), got 'Bad Name'") in result.stderr.splitlines()


def test_all_problems_of_all_records_in_one_run(project):
    root = project("minimal")
    check_record(root, GOOD.replace("style: statement", "style: memo").replace("2011-04-08", "2011-04-31"), "one.yaml")
    result = check_record(root, GOOD.replace("language: en", "language: xx"), "two.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "releases/one.yaml:2: 'style' must be one of statement, wire, got 'memo'",
        "releases/one.yaml:4: 'date' must be a real day, got '2011-04-31': that month has no day 31",
        "releases/two.yaml:1: unknown language 'xx'; this office publishes in en, tr, kk (pressgen.yaml)",
    ]


def test_yaml_11_words_stay_words(project):
    """'no', 'on' and '10:30' are the text typed, not False, True and 630."""
    root = project("minimal")
    text = GOOD.replace("place: Istanbul", "place: no").replace("headline: A headline", "headline: on")
    (root / "releases" / "words.yaml").write_text(text, encoding="utf-8")
    release = load_project(root).release("words")
    assert release.place.value == "no"
    assert release.headline.value == "on"
    assert release.date == dt.date(2011, 4, 8)


def test_embargo_keeps_its_timezone(project):
    root = project("minimal")
    (root / "releases" / "later.yaml").write_text(GOOD + "embargo: 2011-04-08 10:00 Asia/Almaty\n", encoding="utf-8")
    release = load_project(root).release("later")
    assert release.embargo.isoformat() == "2011-04-08T10:00:00+06:00"
    assert str(release.embargo.tzinfo) == "Asia/Almaty"


def test_broken_record_does_not_stop_the_others(project, tmp_path):
    root = project("minimal")
    check_record(root, GOOD.replace("2011-04-08", "2011-13-08"))
    out = tmp_path / "out"
    result = run_cli("build", "--project", str(root), "--out", str(out), "--format", "html")
    assert result.exit_code == 1
    assert "releases/bad.yaml:4: 'date' must be YYYY-MM-DD, got '2011-13-08'" in result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("*/*.html") if p.name != "index.html") == [
        "en/hello.html", "kk/hello.html", "tr/hello.html"]


def test_broken_config_names_its_line(project):
    root = project("minimal")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text().replace("languages: [en, tr, kk]", "languages: [en, tr, kk, zz]"))
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "pressgen.yaml:2: unknown language 'zz'; use a CLDR code such as 'en', 'tr' or 'kk'"]


def test_a_record_with_an_upper_case_extension_is_read(project):
    root = project("minimal")
    result = check_record(root, GOOD.replace("style: statement", "style: memo"), "shouty.YAML")
    assert "releases/shouty.YAML:2: 'style' must be one of statement, wire, got 'memo'" in result.stderr.splitlines()


def test_hidden_files_beside_the_records_are_not_records(project):
    """A Mac copying the folder to a shared drive writes binary `._<id>.yaml` files, and Emacs
    keeps a `.#<id>.yaml` lock: neither is a release the office wrote."""
    root = project("minimal")
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09\x00\x00\x00\x32\xb0"
    (root / "releases" / "._hello.yaml").write_bytes(apple_double)
    (root / "releases" / ".#hello.yaml").write_text("headline: [half-saved\n", encoding="utf-8")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert [release.id for release in load_project(root).releases] == ["hello"]


TURKISH_UNDER_KK = """\
language: kk
style: statement
organisation: office
date: 2026-03-21
place: Türkistan
headline: Türkistan'da Nevruz bayramı coşkuyla kutlandı
summary: Binlerce kişi, baharın gelişini şarkılar, danslar ve geleneksel oyunlarla karşıladı.
body:
  - Kültür Ofisi'nin düzenlediği kutlamalar sabah saatlerinde şehrin merkez meydanında başladı.
"""


def test_a_record_in_another_alphabet_than_its_language_s_is_told_which_language_to_set(project):
    """A Turkish record copied from a Kazakh one, its `language: kk` left: the build and check
    said nothing, its page went out as Kazakh and the Turkish catalog asked for a translation
    of Turkish into Turkish."""
    root = project("minimal")
    (root / "releases/nevruz.yaml").write_text(TURKISH_UNDER_KK, encoding="utf-8")
    warning = ("warning: releases/nevruz.yaml:1: 'language' is kk (Kazakh, written in Cyrillic letters), but the "
               "record's texts are in Latin letters; if it is written in another language, set `language:` to that "
               "one (en, tr): its page would go out as Kazakh, and translators would translate it as Kazakh")
    check = run_cli("check", "--project", str(root))
    assert warning in check.stderr.splitlines()
    build = run_cli("build", "--project", str(root), "--format", "html")
    assert build.exit_code == 0
    assert warning in build.stderr.splitlines()
    # Said when the release is rendered, as a placeholder is: not by a build with nothing to do.
    assert warning not in run_cli("build", "--project", str(root), "--format", "html").stderr
    # Written as Turkish, nothing to say; nor of the English release, its names in Turkish letters.
    (root / "releases/nevruz.yaml").write_text(TURKISH_UNDER_KK.replace("language: kk", "language: tr"), encoding="utf-8")
    assert "letters" not in run_cli("check", "--project", str(root)).stderr


def test_a_date_years_ahead_is_told_to_check_its_year(project):
    """'2206-06-12' for 2026: a valid date, which check passed, and the newsroom (newest first)
    would have listed at its top for 180 years."""
    root = project("minimal")
    record = root / "releases/hello.yaml"
    year = dt.date.today().year + 180
    record.write_text(record.read_text(encoding="utf-8").replace("date: 2011-04-08", f"date: {year}-06-12"),
                      encoding="utf-8")
    warning = (f"warning: releases/hello.yaml:4: 'date' is {year}-06-12, 180 year(s) from today; check its year: the "
               "newsroom lists releases newest first, and would list this one at its top until then")
    assert warning in run_cli("check", "--project", str(root)).stderr.splitlines()
    assert warning in run_cli("build", "--project", str(root), "--format", "html").stderr.splitlines()
    # Next month's release, written ahead: nothing to say.
    soon = dt.date.today() + dt.timedelta(days=40)
    record.write_text(record.read_text(encoding="utf-8").replace(f"date: {year}-06-12", f"date: {soon.isoformat()}"),
                      encoding="utf-8")
    assert "from today" not in run_cli("check", "--project", str(root)).stderr


def test_an_embargo_that_lifts_before_the_release_date_is_told_to_check_its_day_and_year(project):
    """'2026-12-01' for 2026-12-08: check passed it, and the release, its embargo past, was
    listed and mailed to 30 journalists at once, with no embargo notice (a trial)."""
    root = project("minimal")
    record = root / "releases/hello.yaml"
    edit(record, "date: 2011-04-08", "date: 2011-04-08\nembargo: 2011-04-01 10:00 Europe/Istanbul")
    warning = ("warning: releases/hello.yaml:5: the embargo lifts on 2011-04-01, before the release's date "
               "(2011-04-08); check the day and year of each: an embargo already past holds nothing back, and the "
               "release is listed and mailed at once")
    assert warning in run_cli("check", "--project", str(root)).stderr.splitlines()
    assert warning in run_cli("build", "--project", str(root), "--format", "html").stderr.splitlines()
    # Lifting on its day somewhere (in UTC on its eve, in Almaty on the day), or after: nothing to say.
    for moment in ("2011-04-07 23:00 UTC", "2011-04-08 10:00 Europe/Istanbul"):
        edit(record, "embargo: 2011-04-01 10:00 Europe/Istanbul", f"embargo: {moment}")
        assert "the embargo lifts" not in run_cli("check", "--project", str(root)).stderr
        edit(record, f"embargo: {moment}", "embargo: 2011-04-01 10:00 Europe/Istanbul")


def test_a_withdrawal_or_correction_dated_after_today_is_told_to_write_its_day(project):
    """A trial's `withdrawn:` and correction dated the 8th, written on the 7th: check passed
    them, and the notices mailed that day said 'Withdrawn on December 8, 2026'."""
    root = project("minimal")
    record = root / "releases/hello.yaml"
    ahead = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)).date().isoformat()
    edit(record, "date: 2011-04-08", f"date: 2011-04-08\ncorrections:\n  - date: 2011-04-09\n    note: A name.\n"
                                     f"  - date: {ahead}\n    note: A date.\nwithdrawn: {ahead}")
    said = [f"warning: releases/hello.yaml:10: 'withdrawn' is {ahead}, a day that has not come yet anywhere on Earth; "
            f"the release is withdrawn now, and its page and notices say it was withdrawn on {ahead}: write the day "
            "it was withdrawn",
            f"warning: releases/hello.yaml:8: a correction is dated {ahead}, a day that has not come yet anywhere on "
            f"Earth; its page and mails say it was corrected on {ahead}: write the day of the correction"]
    for command in ("check", "build", "check"):  # the second check from what the first kept
        warnings = [line for line in run_cli(command, "--project", str(root)).stderr.splitlines() if "not come" in line]
        assert sorted(warnings) == sorted(said), command
    # Today somewhere on Earth (UTC+14 is the first to start a day): nothing to say.
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date().isoformat()
    record.write_text(record.read_text(encoding="utf-8").replace(ahead, today), encoding="utf-8")
    assert "not come" not in run_cli("check", "--project", str(root)).stderr
    # An office with a timezone is told of its own tomorrow (a trial's, in Los Angeles in the
    # afternoon, was not: it was the 8th in UTC+14 already).
    zone = "America/Los_Angeles"
    tomorrow = (dt.datetime.now(zoneinfo.ZoneInfo(zone)).date() + dt.timedelta(days=1)).isoformat()
    edit(root / "pressgen.yaml", "languages:", f"timezone: {zone}\nlanguages:")
    record.write_text(record.read_text(encoding="utf-8").replace(f"withdrawn: {today}", f"withdrawn: {tomorrow}"),
                      encoding="utf-8")
    assert f"warning: releases/hello.yaml:10: 'withdrawn' is {tomorrow}, a day that has not come yet in the office " \
           f"({zone}); the release is withdrawn now, and its page and notices say it was withdrawn on {tomorrow}: " \
           "write the day it was withdrawn" in run_cli("check", "--project", str(root)).stderr.splitlines()


def test_a_copy_whose_body_was_rewritten_but_not_its_headline_place_or_language_is_told_of_each(project):
    """A trial copied a Kazakh record and wrote a Turkish body, leaving `language: kk`, the Kazakh
    headline and place: 89 % of the letters were Latin, under the bar, and nothing was said. Its
    `language:` mended, the Turkish page went out headed in Cyrillic, 'АЛМАТЫ' in its dateline."""
    root = project("minimal")
    record = root / "releases/nevruz.yaml"
    copied = TURKISH_UNDER_KK.replace("headline: Türkistan'da Nevruz bayramı coşkuyla kutlandı",
                                      "headline: Алматыда кітап көрмесі ашылды").replace("place: Türkistan",
                                                                                      "place: Алматы")
    record.write_text(copied, encoding="utf-8")
    said = run_cli("check", "--project", str(root)).stderr.splitlines()
    assert ("warning: releases/nevruz.yaml:1: 'language' is kk (Kazakh, written in Cyrillic letters), but the "
            "record's texts are in Latin letters; if it is written in another language, set `language:` to that one "
            "(en, tr): its page would go out as Kazakh, and translators would translate it as Kazakh") in said, said
    record.write_text(copied.replace("language: kk", "language: tr"), encoding="utf-8")
    said = [line for line in run_cli("check", "--project", str(root)).stderr.splitlines() if "letters" in line]
    assert said == [
        "warning: releases/nevruz.yaml:6: the headline is in Cyrillic letters, and the record in Turkish (Latin "
        "letters): left from a copied record, or typed in the other alphabet? Write it in Turkish",
        "warning: releases/nevruz.yaml:5: the place is in Cyrillic letters, and the record in Turkish (Latin "
        "letters): left from a copied record, or typed in the other alphabet? Write it in Turkish"]


def test_a_tag_or_speaker_in_the_other_alphabet_is_warned_of_at_its_line(project):
    """A trial's Kazakh record tagged 'Turkiya' (Latin): its tag page, shared with 'Түркия' by
    address, was headed in Latin letters, and nothing was said."""
    root = project("minimal")
    kazakh = ("language: kk\nstyle: statement\norganisation: office\ndate: 2026-03-21\nplace: Астана\n"
              "headline: Астанада Наурыз мерекесі тойланды\n"
              "body:\n  - Мәдениет кеңсесі ұйымдастырған мереке қаланың орталық алаңында таңертең басталды.\n"
              "  - quote: Біз дайынбыз\n    by: Ayşe Yılmaz\ntags: [мәдениет, Turkiya]\n")
    (root / "releases/nauryz.yaml").write_text(kazakh, encoding="utf-8")
    said = [line for line in run_cli("check", "--project", str(root)).stderr.splitlines() if "letters" in line]
    assert said == [
        "warning: releases/nauryz.yaml:11: the tag is in Latin letters, and the record in Kazakh (Cyrillic letters): "
        "left from a copied record, or typed in the other alphabet? Write it in Kazakh",
        "warning: releases/nauryz.yaml:10: the quote's speaker is in Latin letters, and the record in Kazakh (Cyrillic "
        "letters): left from a copied record, or typed in the other alphabet? Write it in Kazakh"]


def test_a_record_whose_language_is_mended_takes_its_page_in_the_wrong_language_offline(project):
    """Built under `language: kk`, its Turkish text went out as Kazakh; mended to `language: tr`,
    a trial's build kept the Kazakh page online as a translation 'whose snapshot was missing'
    (there never was one), and told to restore a file that never existed."""
    root = project("minimal")
    record = root / "releases/nevruz.yaml"
    record.write_text(TURKISH_UNDER_KK, encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    assert (root / "out/kk/nevruz.html").is_file() and "nevruz" in (root / "out/kk/index.html").read_text("utf-8")
    record.write_text(TURKISH_UNDER_KK.replace("language: kk", "language: tr"), encoding="utf-8")
    for command in ("check", "build"):
        args = (command, "--format", "html") if command == "build" else (command,)
        result = run_cli(*args, "--project", str(root))
        assert result.exit_code == 0 and "is missing" not in result.stderr, (command, result.stderr)
    assert (root / "out/tr/nevruz.html").is_file()
    assert not (root / "out/kk/nevruz.html").exists()
    assert "nevruz" not in (root / "out/kk/index.html").read_text("utf-8")


def test_the_same_headline_is_warned_of_on_the_copy_not_on_the_release_that_went_out(project):
    """A trial copied a published record to a name that sorts before it: the warning named the
    release that had gone out, and mending that one would have made its translations outdated."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    text = (root / "releases/hello.yaml").read_text(encoding="utf-8")
    (root / "releases/a-concert.yaml").write_text(text.replace("date: 2011-04-08", "date: 2011-03-01"), encoding="utf-8")
    warnings = [line for line in run_cli("check", "--project", str(root)).stderr.splitlines() if "the same headline" in line]
    assert warnings == ["warning: releases/a-concert.yaml:6: the same headline as releases/hello.yaml:6; journalists "
                        "cannot tell the two releases apart: give each its own headline"]
