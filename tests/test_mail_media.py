"""The media list as offices really export it: each problem is `file:line: message`,
found alike by `pressgen check` and by `pressgen mail`, before anything is written or sent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import outputs, run_cli
from smtpserver import Server
from test_mail import MEDIA, office

HEADER = "name,email,outlet,language,lists\n"
CORRECT_IT = "; correct it to the journalist's address, such as name@outlet.example"


@pytest.fixture
def smtp():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def root(project, smtp):
    return office(project, smtp.port)


def config_line(root: Path, text: str) -> int:
    return (root / "pressgen.yaml").read_text().splitlines().index(text) + 1


def refused_alike(root: Path, smtp, expected: list[str]) -> None:
    """check and mail --send report the same lines; mail writes, builds and sends nothing."""
    checked = run_cli("check", "--project", str(root))
    assert checked.exit_code == 1
    assert checked.stderr.splitlines() == expected
    before = outputs(root)
    mailed = run_cli("mail", "hello", "--project", str(root), "--send")
    assert mailed.exit_code == 1
    assert mailed.stderr.splitlines() == expected
    assert "Traceback" not in mailed.output
    assert outputs(root) == before == {}  # not even the PDFs: the list is read before the build
    assert smtp.recorder.messages == []


def test_latin_1_export(root, smtp):
    (root / "media.csv").write_bytes((HEADER + "John Smith,john@wire.example,Wire,en,\n"
                                      "Jean François,jf@monde.example,Le Monde,en,\n").encode("latin-1"))
    refused_alike(root, smtp, ["media.csv:3: not UTF-8 (byte 0xe7 at column 10); save the file as UTF-8 "
                               "(in Excel: CSV UTF-8)"])


def test_windows_1254_export_is_found_on_its_first_bad_line(root, smtp):
    # Excel's plain 'CSV' on a Turkish Windows: every line with a Turkish letter is wrong.
    text = HEADER + "John Smith,john@wire.example,Wire,en,\nŞükrü Öztürk,sukru@haber.example,Haber,tr,\n"
    (root / "media.csv").write_bytes((text + "Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,\n").encode("cp1254"))
    refused_alike(root, smtp, ["media.csv:3: not UTF-8 (byte 0xde at column 1); save the file as UTF-8 "
                               "(in Excel: CSV UTF-8)"])


def test_utf_16_export(root, smtp):
    (root / "media.csv").write_bytes(MEDIA.encode("utf-16"))
    refused_alike(root, smtp, ["media.csv:1: not UTF-8 (UTF-16, as Excel's 'Unicode Text' writes); save the file "
                               "as UTF-8 (in Excel: CSV UTF-8)"])


def test_excel_bom_and_semicolons_are_fine(root, smtp):
    (root / "media.csv").write_bytes(b"\xef\xbb\xbf" + MEDIA.replace(",", ";").replace("culture;kazakhstan",
                                                                                       '"culture,kazakhstan"').encode())
    result = run_cli("mail", "hello", "--project", str(root), "--send")
    assert result.exit_code == 0, result.output
    assert "4 sent, 0 already sent before, 0 refused" in result.stdout


def test_a_workbook_saved_as_csv(root, smtp):
    (root / "media.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    refused_alike(root, smtp, ["media.csv:1: this is a spreadsheet workbook (.xlsx or .xls), not CSV; export it as "
                               "CSV (in Excel: Save As, CSV UTF-8)"])


def test_a_file_that_is_not_csv(root, smtp):
    (root / "media.csv").write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")
    refused_alike(root, smtp, ["media.csv:1: the header lacks the column(s) name, email, language; expected name, "
                               "email, outlet, language, lists"])


def test_an_empty_file(root, smtp):
    (root / "media.csv").write_text("\n\n")
    refused_alike(root, smtp, ["media.csv:1: the media list is empty; it needs a header row: "
                               "name,email,outlet,language,lists"])


@pytest.mark.parametrize("rows", ["", ",,,,\n,,,,\n"])
def test_a_header_alone(root, smtp, rows):
    """A filtered Excel export: check found no problem, and mail said 'Nothing to send.' (exit 0),
    which reads as 'everyone already has it' (found by a trial)."""
    (root / "media.csv").write_text(HEADER + rows, encoding="utf-8")
    refused_alike(root, smtp, ["media.csv:1: the media list has no journalists, only its header; export it again "
                               "with the journalists' rows (a spreadsheet filtered to nobody exports the header "
                               "alone)"])


def test_a_line_break_in_a_name_names_the_row_it_starts_on(root, smtp):
    # Line 5 holds a name with a line break inside its quotes, so the row ends on line 6;
    # the rows after it keep their own line numbers.
    (root / "media.csv").write_text(MEDIA + '"Ayşe\nYılmaz",ayse2@gazete.example,Gazete,tr,\nWho,who@x.example,X,fr,\n',
                                    encoding="utf-8")
    refused_alike(root, smtp, [
        "media.csv:6: the name contains a line break; keep each journalist on one line (a line break inside a cell, "
        "or a quote (\") left open?)",
        "media.csv:8: unknown language 'fr' for who@x.example; use one of en, tr, kk",
    ])


def test_a_quote_left_open(root, smtp):
    (root / "media.csv").write_text(HEADER + '"John Smith,john@wire.example,Wire,en,\nAyşe,ayse@gazete.example,G,tr,\n',
                                    encoding="utf-8")
    refused_alike(root, smtp, [
        "media.csv:2: the name contains a line break; keep each journalist on one line (a line break inside a cell, "
        "or a quote (\") left open?)"])


@pytest.mark.parametrize("char, problem", [
    ("\r", "contains a line break; keep each journalist on one line (a line break inside a cell, or a quote (\") "
           "left open?)"),
    ("\u2028", "contains a line break; keep each journalist on one line (a line break inside a cell, or a quote "
               "(\") left open?)"),
    ("\x00", "contains the control character U+0000; remove it in the spreadsheet"),
    ("\x1b", "contains the control character U+001B; remove it in the spreadsheet"),
    ("\t", "contains the control character U+0009; remove it in the spreadsheet"),
])
@pytest.mark.parametrize("column, label", [("name", "the name"), ("outlet", "the outlet")])
def test_control_characters_in_a_name_or_outlet(root, smtp, char, problem, column, label):
    row = {"name": "Ali Koç", "email": "ali@haber.example", "outlet": "Haber", "language": "tr", "lists": ""}
    row[column] = f"Ali{char}Koç" if column == "name" else f"Ha{char}ber"
    (root / "media.csv").write_text(MEDIA + '"' + '","'.join(row.values()) + '"\n', encoding="utf-8", newline="")
    refused_alike(root, smtp, [f"media.csv:6: {label} {problem}"])


def test_columns_pressgen_does_not_read_may_hold_anything(root, smtp):
    (root / "media.csv").write_text("name,email,outlet,language,lists,notes\n"
                                    'John Smith,john@wire.example,Wire,en,,"met at the fair;\ncall first\x07"\n'
                                    ",,,,,\n", encoding="utf-8")
    result = run_cli("mail", "hello", "--project", str(root), "--send")
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 already sent before, 0 refused" in result.stdout


@pytest.mark.parametrize("address, problem", [
    ("ayşe@gazete.example", "'ayşe@gazete.example' has letters beyond ASCII, which mail servers do not all accept; "
                            "use an ASCII address"),
    ("ayse@gazeté.example", "'ayse@gazeté.example' has letters beyond ASCII in its domain; write it as "
                            "ayse@xn--gazet-fsa.example"),
    ("ayse@[10.0.0.1]", f"'ayse@[10.0.0.1]' is not an email address{CORRECT_IT}"),
    ('"ayse yilmaz"@gazete.example', f"'\"ayse yilmaz\"@gazete.example' is not an email address{CORRECT_IT}"),
    ("ayse..yilmaz@gazete.example", f"'ayse..yilmaz@gazete.example' is not an email address{CORRECT_IT}"),
])
def test_addresses_mail_could_not_send(root, smtp, address, problem):
    quoted = address.replace('"', '""')
    (root / "media.csv").write_text(MEDIA + f'Ayşe,"{quoted}",G,tr,\n', encoding="utf-8")
    refused_alike(root, smtp, [f"media.csv:6: {problem}"])


def test_an_address_left_empty_or_with_a_space_says_what_to_do(root, smtp):
    """A trial's office was told `'' is not an email address` and `'emma.brown @times.example'
    is not an email address`, and not what to do about either."""
    (root / "media.csv").write_text(MEDIA + "Emma Brown,emma.brown @times.example,The Times,en,\n"
                                    ",,Radyo Bir,tr,film\n"
                                    "Ali Koç,ali\u00a0koc@haber.example,Haber,tr,\n"
                                    "Aigul,aigul @ khabar.example,Khabar,kk,\n"
                                    "Mia Walker,mia(at)guardian.example,The Guardian,en,\n", encoding="utf-8")
    refused_alike(root, smtp, [
        "media.csv:6: 'emma.brown @times.example' has a space in it; remove it: emma.brown@times.example",
        "media.csv:7: the email address is empty; fill in the journalist's address, or delete the row",
        # A non-breaking space, pasted from a web page: shown as what it is.
        "media.csv:8: 'ali\\xa0koc@haber.example' has a space in it; remove it: alikoc@haber.example",
        "media.csv:9: 'aigul @ khabar.example' has spaces in it; remove them: aigul@khabar.example",
        f"media.csv:10: 'mia(at)guardian.example' is not an email address{CORRECT_IT}",
    ])
    (root / "media.csv").write_text(MEDIA + "Emma Brown,,The Times,en,culture\n", encoding="utf-8")
    refused_alike(root, smtp, ["media.csv:6: the email address is empty; fill in Emma Brown's address, or delete "
                               "the row"])


def test_media_list_outside_the_project(root, smtp):
    config = root / "pressgen.yaml"
    config.write_text(config.read_text().replace("mail:\n", "mail:\n  media_list: /etc/passwd\n"))
    line = config_line(root, "  media_list: /etc/passwd")
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: /etc/passwd is outside the project; keep the "
                               "media list in the project folder, e.g. media.csv"])


def test_media_list_up_and_out_of_the_project(root, smtp, tmp_path):
    (tmp_path / "elsewhere.csv").write_text(MEDIA, encoding="utf-8")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text().replace("mail:\n", "mail:\n  media_list: ../elsewhere.csv\n"))
    line = config_line(root, "  media_list: ../elsewhere.csv")
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: ../elsewhere.csv is outside the project; keep "
                               "the media list in the project folder, e.g. media.csv"])


def test_a_link_out_of_the_project(root, smtp):
    (root / "media.csv").unlink()
    (root / "media.csv").symlink_to("/etc/passwd")
    line = config_line(root, "mail:")  # the default media.csv: no media_list line to point at
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: media.csv is a link to /etc/passwd, outside the "
                               "project; keep the media list itself in the project folder"])


def test_a_folder_linked_out_of_the_project(root, smtp, tmp_path):
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "media.csv").write_text(MEDIA, encoding="utf-8")
    (root / "lists").symlink_to(tmp_path / "crm")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text().replace("mail:\n", "mail:\n  media_list: lists/media.csv\n"))
    line = config_line(root, "  media_list: lists/media.csv")
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: lists/media.csv is a link to "
                               f"{tmp_path / 'crm' / 'media.csv'}, outside the project; keep the media list itself "
                               "in the project folder"])


def test_a_link_inside_the_project_is_fine(root, smtp):
    (root / "lists").mkdir()
    (root / "media.csv").rename(root / "lists" / "2026.csv")
    (root / "media.csv").symlink_to("lists/2026.csv")
    assert run_cli("check", "--project", str(root)).exit_code == 0
    assert run_cli("mail", "hello", "--project", str(root), "--send").exit_code == 0
    assert len(smtp.recorder.messages) == 4


def test_a_folder_or_a_pipe_is_not_a_media_list(root, smtp):
    (root / "media.csv").unlink()
    (root / "media.csv").mkdir()
    line = config_line(root, "mail:")
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: media.csv is a folder, not a CSV file"])
    (root / "media.csv").rmdir()
    os.mkfifo(root / "media.csv")  # reading it would wait for a writer forever
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: media.csv is not a regular file; export the "
                               "media list to a CSV file"])


def test_no_media_list_is_found_by_check_as_mail_finds_it(root, smtp):
    (root / "media.csv").unlink()
    line = config_line(root, "mail:")
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: there is no media.csv in the project; export the "
                               "media list from your spreadsheet as CSV, with the columns name, email, outlet, "
                               "language, lists, and save it as media.csv"])


def test_a_broken_link_to_the_media_list(root, smtp):
    (root / "media.csv").unlink()
    (root / "media.csv").symlink_to("lists/2026.csv")
    line = config_line(root, "mail:")
    refused_alike(root, smtp, [f"pressgen.yaml:{line}: media_list: media.csv is a link to {root / 'lists/2026.csv'}, "
                               "which does not exist; export the media list from your spreadsheet as CSV, with the "
                               "columns name, email, outlet, language, lists, and save it there"])


def test_a_misspelt_column_is_named(root, smtp):
    """A header with 'list' for 'lists' was read without a word, and `--list culture` found nobody
    (found by a trial); other columns (notes, phone) are the office's own."""
    (root / "media.csv").write_text(MEDIA.replace(",lists\n", ",list\n", 1), encoding="utf-8")
    refused_alike(root, smtp, ["media.csv:1: the header has a column 'list'; did you mean 'lists'? (pressgen reads "
                               "name, email, outlet, language, lists, opt_out, and leaves other columns alone)"])


def test_a_row_with_more_fields_than_the_header(root, smtp):
    """An unquoted comma in a name moved every value of the row to the next column."""
    (root / "media.csv").write_text(MEDIA + "Smith, John,john.smith@wire.example,Wire,en,\n", encoding="utf-8")
    refused_alike(root, smtp, ['media.csv:6: has 6 fields where the header has 5; put a field that holds a comma in '
                               'quotes ("Smith, John"), or name the extra column in the header'])


def slip(line: int, name: str, meant: str, others: int) -> str:
    return (f"warning: media.csv:{line}: the list '{name}' is on this row alone, and '{meant}' on {others} other rows; "
            f"did you mean '{meant}'? `--list {meant}` leaves this journalist out: correct it in the lists column (or, "
            f"for a list of its own, give it a name further from '{meant}')")


def test_a_list_name_only_one_row_has_is_named(root, smtp):
    """A trial's `Radyo Bir,tr,flim` among rows that say `film`: `--list film` left the journalist
    out, and check said nothing. Lists are taken letter for letter, capitals included."""
    (root / "media.csv").write_text("name,email,outlet,language,lists,opt_out\n"
                                    "Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,culture;film\n"
                                    "Zeynep Ağaoğlu,zeynep@sinema.example,Sinema,tr,film;kültür\n"
                                    "Çağla Ünal,cagla@radyo.example,Radyo Bir,tr,flim\n"
                                    "Gülşen Öztürk,gulsen@kultur.example,Kültür,tr,culture;kultur\n"
                                    "Сәуле Нұрғалиева,saule@astana.example,Astana TV,kk,Film;kültür\n"
                                    "Emma Brown,emma@times.example,The Times,en,culture;tv\n"  # tv is not tr
                                    "John Smith,john@wire.example,Wire,en,tr;film\n"
                                    "Ali Koç,ali@haber.example,Haber,tr,tr;films;film\n"  # on film anyway
                                    "Mia Walker,mia@guardian.example,Guardian,en,muzeler\n"  # near no other
                                    "Ömer Güneş,omer@ajans.example,Ajans,tr,SİNEMA\n"
                                    "Noah Wilson,noah@reuters.example,Reuters,en,sinema\n"
                                    "Ava Taylor,ava@bbc.example,BBC,en,sinema\n"
                                    "Liam O'Connor,liam@irish.example,Irish Daily,en,flim,yes\n"  # never mailed
                                    "Sophie Martin,sophie@euronews.example,Euronews,en,fillm,2026-11-03\n",
                                    encoding="utf-8")
    checked = run_cli("check", "--project", str(root))
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.splitlines() == [slip(4, "flim", "film", 4), slip(5, "kultur", "kültür", 2),
                                           slip(6, "Film", "film", 4), slip(11, "SİNEMA", "sinema", 2)]
    mailed = run_cli("mail", "hello", "--project", str(root), "--list", "film")
    assert mailed.exit_code == 0, mailed.output
    assert mailed.stderr.splitlines() == [slip(4, "flim", "film", 4), slip(6, "Film", "film", 4)]
    assert "4 messages written" in mailed.stdout
    # Only a run for one list leaves anybody out, and only that list's slips do.
    assert run_cli("mail", "hello", "--project", str(root), "--list", "culture").stderr == ""
    assert run_cli("mail", "hello", "--project", str(root)).stderr == ""


def test_a_list_asked_for_without_a_lists_column(root, smtp):
    (root / "media.csv").write_text("name,email,language\nJohn Smith,john@wire.example,en\n", encoding="utf-8")
    result = run_cli("mail", "hello", "--project", str(root), "--list", "culture")
    assert (result.exit_code, result.stderr) == (2, "nobody in media.csv is on the list 'culture'; its lists: none (a "
                                                    "column named lists holds them)\n")
