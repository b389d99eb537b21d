"""`twinpress batch` inputs: recipients files, placeholders, personalisation, footer tokens.

No rendering here: these are the checks that run before anything renders.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import ARTICLE, write

from pipeline.audience import load_profiles, select
from pipeline.batch.personalise import personalise, references
from pipeline.batch.plan import Request, plan
from pipeline.batch.recipients import parse_csv, read_recipients
from pipeline.errors import Collector, ContentError
from pipeline.loader import load_document
from pipeline.model import CallToAction, Paragraph
from pipeline.recipient import Recipient
from pipeline.themes import load_theme
from pipeline.tokens import fill_line, line_fields

AUDIENCES = ("tech-leaders", "engineers", "executives")


def recipients_file(tmp_path: Path, text: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> tuple[list, Collector]:
    out = Collector()
    found = read_recipients(path, out, AUDIENCES)
    return list(found.rows), out


def codes_at(out: Collector) -> list[tuple[str, int, int]]:
    found = [(d.code, d.loc.line, d.loc.column) for d in out.items if d.loc]
    return sorted(found, key=lambda c: (c[1], c[2], c[0]))


# --- recipients files -------------------------------------------------------------------


def test_a_csv_file_reads_into_rows_with_known_and_custom_columns(tmp_path):
    path = recipients_file(
        tmp_path,
        "id,name,organisation,role,email,audience,region\n"
        "dana-kim,Dana Kim,Northwind,CTO,dana@example.com,executives,EMEA\n"
        "li-wei,  Li Wei ,Contoso,,li@example.com,,APAC\n",
    )
    rows, out = read(path)
    assert not out.items
    dana, li = rows
    assert dana.recipient.label == "Dana Kim, Northwind"
    assert (dana.recipient.role, dana.recipient.email, dana.audience) == (
        "CTO",
        "dana@example.com",
        "executives",
    )
    assert dana.recipient.value("region") == "EMEA"
    assert li.recipient.name == "Li Wei"  # cells are trimmed
    assert li.audience == ""
    assert (li.loc.line, li.where("region").line, li.where("region").column) == (3, 3, 43)


def test_every_problem_of_a_recipients_file_is_reported_in_one_pass_at_its_cell(tmp_path):
    path = recipients_file(
        tmp_path,
        "id,name,email,audience\n"
        "ok,Ok,ok@example.com,engineers\n"
        "../etc,Bad Id,a@example.com,\n"
        "con,Reserved,b@example.com,\n"
        "OK,Same id in another case,c@example.com,\n"
        "x,Bad mail,not-an-address,\n"
        "y,Bad audience,y@example.com,enginers\n"
        "z,Too,many,cells,here\n"
        ",No id,n@example.com,\n"
        "w,Bell\x07character,w@example.com,\n",
    )
    rows, out = read(path)
    assert [r.id for r in rows] == ["ok"]
    assert codes_at(out) == [
        ("recipients.id-unsafe", 3, 1),
        ("recipients.id-unsafe", 4, 1),
        ("recipients.duplicate-id", 5, 1),
        ("recipients.email", 6, 12),
        ("recipients.audience-unknown", 7, 30),
        ("recipients.row-shape", 8, 1),
        ("recipients.id-missing", 9, 1),
        ("recipients.control-character", 10, 3),
    ]
    by_code = {d.code: d for d in out.items}
    assert "line 2" in by_code["recipients.duplicate-id"].hint
    assert "did you mean 'engineers'?" in by_code["recipients.audience-unknown"].hint


def test_a_file_without_an_id_column_or_without_rows_is_refused(tmp_path):
    _, out = read(recipients_file(tmp_path, "name,email\nDana,d@example.com\n"))
    assert [d.code for d in out.errors] == ["recipients.no-id"]
    _, out = read(recipients_file(tmp_path, "id,name\n", "empty.csv"))
    assert [d.code for d in out.errors] == ["recipients.empty"]


def test_column_names_must_be_usable_as_placeholders_and_near_misses_are_warned(tmp_path):
    _, out = read(recipients_file(tmp_path, "id,First name,id,Email,organization\na,b,c,d,e\n"))
    assert codes_at(out) == [
        ("recipients.column-name", 1, 4),
        ("recipients.duplicate-column", 1, 15),
        ("recipients.column-like-known", 1, 18),
        ("recipients.column-like-known", 1, 24),
    ]
    assert sorted(d.level for d in out.items) == ["error", "error", "warning", "warning"]


def test_quoted_cells_keep_separators_quotes_and_line_breaks_with_their_positions(tmp_path):
    text = 'id,name,note\na,"Kim, Dana","said ""hi""\nthen left"\nb,Bo,x\n'
    records = list(parse_csv(text, tmp_path / "x.csv"))
    assert [[value for value, _ in r] for r in records] == [
        ["id", "name", "note"],
        ["a", "Kim, Dana", 'said "hi"\nthen left'],
        ["b", "Bo", "x"],
    ]
    assert [(loc.line, loc.column) for _, loc in records[1]] == [(2, 1), (2, 3), (2, 15)]
    assert records[2][0][1].line == 4


def test_semicolon_separated_files_from_spreadsheets_are_read(tmp_path):
    rows, out = read(recipients_file(tmp_path, "\ufeffid;name;organisation\na;Dana;Acme, Inc.\n"))
    assert not out.items
    assert rows[0].recipient.label == "Dana, Acme, Inc."


def test_yaml_recipients_are_a_list_of_mappings_and_values_stay_text(tmp_path):
    path = recipients_file(
        tmp_path,
        "- id: dana\n  name: Dana Kim\n  code: 007\n  vip: yes\n- id: li\n  name: [not, text]\n",
        "people.yaml",
    )
    rows, out = read(path)
    assert [r.recipient.value("code") for r in rows] == ["007"]
    assert rows[0].recipient.value("vip") == "yes"  # as written, not a boolean
    assert codes_at(out) == [("recipients.type", 6, 9)]


def test_yaml_recipients_refuse_object_tags(tmp_path):
    path = recipients_file(tmp_path, "- id: !!python/object/apply:os.system [x]\n", "bad.yaml")
    _, out = read(path)
    assert "yaml.tag" in [d.code for d in out.errors]


def test_non_utf8_and_missing_files_are_located_errors(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,name\na,Se\xe1n\n".encode("latin-1"))
    _, out = read(path)
    assert codes_at(out) == [("recipients.encoding", 2, 1)]
    _, out = read(tmp_path / "nowhere.csv")
    assert [d.code for d in out.errors] == ["recipients.not-found"]


# --- placeholders and personalisation -----------------------------------------------------


SOURCE = """\
title: Briefing
date: 2026-11-24
organisation: Acme
subtitle: "For {{ name }} in {{region}}"
sections:
  - id: one
    title: "Numbers for {{region}}"
    blocks:
      - paragraph: "Dear {{name}}, this is {{ unknown_field }} and {{ 7*7 }} stays."
      - call-to-action:
          action: Call {{name}}
          link: https://example.com/{{name}}
"""


def test_placeholders_are_found_at_their_line_and_column(project):
    path = write(project, "letter.yaml", SOURCE)
    document = load_document(path, project)
    found = [(r.field, r.loc.line, r.loc.column) for r in references(document)]
    assert found == [  # the link on line 12 is not text: it is never personalised
        ("name", 4, 16),
        ("region", 4, 30),
        ("region", 7, 25),
        ("name", 9, 26),
        ("unknown_field", 9, 44),
        ("name", 11, 24),
    ]


def test_personalise_fills_text_fields_only_with_plain_text(project):
    document = load_document(write(project, "letter.yaml", SOURCE), project)
    recipient = Recipient(
        "x",
        name="<b>{{region}}</b>",
        fields=(("name", "<b>{{region}}</b>"), ("region", "EMEA")),
    )
    personal = personalise(document, recipient)
    paragraph, cta = personal.sections[0].blocks
    assert isinstance(paragraph, Paragraph) and isinstance(cta, CallToAction)
    assert personal.subtitle == "For <b>{{region}}</b> in EMEA"  # values are not expanded
    assert paragraph.text == "Dear <b>{{region}}</b>, this is  and {{ 7*7 }} stays."
    assert cta.link == "https://example.com/{{name}}"  # links are not text
    assert personal.sections[0].id == "one"
    assert personal.recipient is recipient
    assert document.sections[0].title == "Numbers for {{region}}"  # pure


def test_personalise_shares_what_a_recipient_does_not_change(shipped_project):
    document = load_document(ARTICLE, shipped_project)
    personal = personalise(document, Recipient("x", name="Dana"))
    assert all(a is b for a, b in zip(personal.sections, document.sections))


def test_a_placeholder_naming_no_column_stops_the_batch_at_its_source_line(project, tmp_path):
    path = write(project, "letter.yaml", SOURCE)
    people = recipients_file(tmp_path, "id,name,region\na,Dana,EMEA\n")
    with pytest.raises(ContentError) as caught:
        plan(project, Request(path, people, "tech-leaders"))
    (problem,) = caught.value.errors()
    assert problem.code == "batch.unknown-field"
    assert (problem.loc.path.name, problem.loc.line, problem.loc.column) == ("letter.yaml", 9, 44)
    assert "'id', 'name', 'region'" in problem.hint


def test_rows_without_an_audience_need_one_from_the_command_line(project, tmp_path):
    people = recipients_file(tmp_path, "id,audience\na,engineers\nb,\nc,\n")
    with pytest.raises(ContentError) as caught:
        plan(project, Request(ARTICLE, people))
    (problem,) = caught.value.errors()
    assert problem.code == "batch.no-audience"
    assert "'b' has no audience (and 1 more rows)" in problem.message
    assert problem.loc.line == 3
    batch = plan(project, Request(ARTICLE, people, "executives"))
    assert [(i.row.id, i.profile.name) for i in batch.items] == [
        ("a", "engineers"),
        ("b", "executives"),
        ("c", "executives"),
    ]


def test_a_row_leaving_a_used_field_empty_is_that_rows_error_at_its_cell(project, tmp_path):
    source = SOURCE.replace("{{ unknown_field }} and ", "")
    path = write(project, "letter.yaml", source)
    people = recipients_file(tmp_path, "id,name,region\na,Dana,EMEA\nb,Bo,\n")
    batch = plan(project, Request(path, people, "tech-leaders"))
    good, bad = batch.items
    assert batch.missing_values(good) == []
    (problem,) = batch.missing_values(bad)
    assert problem.code == "batch.missing-value"
    assert (problem.loc.line, problem.loc.column) == (3, 6)


def test_inputs_change_with_the_recipient_and_not_with_its_place_in_the_file(project, tmp_path):
    first = recipients_file(tmp_path, "id,name\na,Dana\nb,Bo\n", "one.csv")
    moved = recipients_file(tmp_path, "id,name\nb,Bo\na,Dana\n", "two.csv")
    renamed = recipients_file(tmp_path, "id,name\na,Dana K.\nb,Bo\n", "three.csv")

    def inputs(people):
        return {
            i.row.id: i.inputs for i in plan(project, Request(ARTICLE, people, "engineers")).items
        }

    assert inputs(first) == inputs(moved)
    assert inputs(first)["a"] != inputs(renamed)["a"]
    assert inputs(first)["b"] == inputs(renamed)["b"]


# --- what the outputs say -------------------------------------------------------------------


def test_footer_tokens_name_the_recipient_and_fall_back_to_the_audience(shipped_project):
    document = select(
        load_document(ARTICLE, shipped_project),
        load_profiles(shipped_project.audiences_file)["tech-leaders"],
    )
    theme = load_theme("corporate", shipped_project)
    assert theme.confidentiality_line(document) == "Confidential · prepared for Tech leaders"
    personal = dataclasses.replace(
        document, recipient=Recipient("d", "Dana Kim", "Northwind", email="d@example.com")
    )
    assert theme.confidentiality_line(personal) == (
        "Confidential · prepared for Dana Kim, Northwind"
    )
    fields = line_fields(personal, theme)
    assert fill_line("{recipient_name} <{recipient_email}> · {recipient_role}", fields) == (
        "Dana Kim <d@example.com>"
    )
    assert fill_line("{title} · {recipient_name}", line_fields(document, theme)) == document.title
