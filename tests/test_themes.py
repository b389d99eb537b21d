"""Theme folders: inheritance through `extends`, located errors, and file checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import THEMES

from pipeline.errors import ContentError
from pipeline.themes import available, fill_line, load_theme


def make_theme(project, name: str, text: str) -> None:
    folder = project.themes / name
    folder.mkdir(exist_ok=True)
    (folder / "theme.yaml").write_text(text)


def errors(project, name: str) -> list:
    with pytest.raises(ContentError) as info:
        load_theme(name, project)
    return list(info.value.diagnostics)


def test_shipped_themes_load(shipped_project):
    assert set(THEMES) <= set(available(shipped_project))
    for name in available(shipped_project):
        theme = load_theme(name, shipped_project)
        assert theme.name == name and theme.dirs[0].name == name
        assert theme.fonts.body.regular.is_file() and theme.fonts.body.licence.is_file()


def test_child_overrides_only_what_it_names(project):
    make_theme(
        project, "child", "description: A child.\nextends: corporate\ncolors: {accent: '#123456'}\n"
    )
    child, parent = load_theme("child", project), load_theme("corporate", project)
    assert child.colors.accent == "#123456"
    assert child.colors.primary == parent.colors.primary
    assert child.fonts == parent.fonts and child.type == parent.type
    assert [d.name for d in child.dirs] == ["child", "corporate", "base"]
    assert child.extends == "corporate"


def test_font_faces_are_replaced_whole(shipped_project):
    keynote = load_theme("keynote", shipped_project)
    assert keynote.fonts.heading.family == "Manrope"
    assert keynote.fonts.heading.italic is None  # not Inter's italic from the parent
    assert keynote.fonts.body.family == "Inter"


def test_print_colors_complete_the_screen_colors(shipped_project):
    keynote = load_theme("keynote", shipped_project)
    assert keynote.colors.background == "#0F1522"
    assert keynote.paper_colors.background == "#FFFFFF"
    corporate = load_theme("corporate", shipped_project)
    assert corporate.paper_colors == corporate.colors


def test_files_are_found_child_first(project):
    make_theme(project, "child", "description: A child.\nextends: corporate\n")
    icons = project.themes / "child" / "icons"
    icons.mkdir()
    (icons / "check.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    theme = load_theme("child", project)
    assert theme.icon("check") == icons / "check.svg"
    assert theme.icon("bolt").parent.parent.name == "base"
    assert theme.find("nothing/here.txt") is None


def test_unknown_token_is_reported_at_the_childs_line(project):
    make_theme(
        project, "child", "description: A child.\nextends: base\ncolors:\n  primry: '#000000'\n"
    )
    (found,) = errors(project, "child")
    assert found.code == "theme.unknown-key" and "did you mean 'primary'" in found.hint
    assert found.loc.path.name == "theme.yaml" and found.loc.path.parent.name == "child"
    assert (found.loc.line, found.loc.column) == (4, 3)


def test_bad_colour_is_located(project):
    make_theme(project, "child", "description: A child.\nextends: base\ncolors:\n  primary: navy\n")
    (found,) = errors(project, "child")
    assert found.code == "theme.invalid-value" and (found.loc.line, found.loc.column) == (4, 12)


def test_cycles_are_refused(project):
    make_theme(project, "a", "description: A.\nextends: b\n")
    make_theme(project, "b", "description: B.\nextends: a\n")
    (found,) = errors(project, "a")
    assert found.code == "theme.cycle" and "a -> b -> a" in found.message
    assert found.loc.path.parent.name == "b" and found.loc.line == 2


def test_unknown_theme_suggests_and_lists(project):
    (found,) = errors(project, "corprate")
    assert found.code == "theme.unknown" and "did you mean 'corporate'" in found.hint


def test_unknown_parent_is_located_at_extends(project):
    make_theme(project, "child", "description: A child.\nextends: nope\n")
    (found,) = errors(project, "child")
    assert found.code == "theme.unknown" and (found.loc.line, found.loc.column) == (2, 10)


def test_missing_font_file_is_located(project):
    make_theme(
        project,
        "child",
        "description: A child.\nextends: base\nfonts:\n  body:\n"
        "    family: Gone\n    regular: fonts/gone.ttf\n"
        "    bold: fonts/gone-bold.ttf\n    licence: OFL.txt\n",
    )
    found = errors(project, "child")
    codes = sorted(d.code for d in found)
    assert codes == ["theme.font-licence", "theme.font-missing", "theme.font-missing"]
    assert {d.loc.line for d in found} == {6, 7, 8}


def test_theme_files_outside_the_project_are_refused(project, tmp_path):
    outside = tmp_path / "evil.ttf"
    outside.write_bytes((project.themes / "base/fonts/inter/Inter-Regular.otf").read_bytes())
    make_theme(
        project,
        "child",
        "description: A child.\nextends: base\nfonts:\n  body:\n"
        f"    family: Inter\n    regular: {outside}\n"
        f"    bold: {outside}\n    licence: ../base/fonts/inter/OFL.txt\n",
    )
    assert "theme.outside" in {d.code for d in errors(project, "child")}


def test_footer_placeholders_are_checked(project):
    make_theme(
        project,
        "child",
        "description: A child.\nextends: base\nfooter: '{organisation} {client}'\n",
    )
    (found,) = errors(project, "child")
    assert found.code == "theme.placeholder" and found.loc.line == 3
    assert "{audience}" in found.hint


@pytest.mark.parametrize(
    "template,values,expected",
    [
        ("{organisation} · {title}", {"organisation": "Acme", "title": "T"}, "Acme · T"),
        ("{organisation} · {title}", {"title": "T"}, "T"),
        ("Confidential · prepared for {audience}", {}, "Confidential"),
        (
            "Confidential · prepared for {audience}",
            {"audience": "Board"},
            "Confidential · prepared for Board",
        ),
        ("Internal use only", {}, "Internal use only"),
    ],
)
def test_footer_lines_drop_the_parts_whose_fields_are_empty(template, values, expected):
    assert fill_line(template, values) == expected


def test_fingerprint_changes_with_any_file(project):
    before = load_theme("corporate", project).fingerprint
    css = project.themes / "base" / "extra.css"
    css.write_text("/* changed */")
    assert load_theme("corporate", project).fingerprint != before


def test_every_shipped_theme_passes_the_contrast_check(shipped_project):
    from pipeline.contrast import check

    for name in available(shipped_project):
        failures = [r for r in check(load_theme(name, shipped_project)) if not r.ok]
        assert not failures, [(name, r.pair, round(r.ratio, 2)) for r in failures]


def test_contrast_ratio_matches_wcag_reference_values():
    from pipeline.colors import contrast as ratio

    assert round(ratio("#000000", "#FFFFFF"), 2) == 21.0
    assert round(ratio("#777777", "#FFFFFF"), 2) == 4.48  # the classic 'just fails' grey
    assert ratio("#123456", "#123456") == 1.0


def test_contrast_check_names_the_failing_pair(project):
    from conftest import twinpress

    make_theme(
        project,
        "washed",
        "description: Low contrast.\nextends: corporate\ncolors: {muted: '#AAAAAA'}\n",
    )
    result = twinpress("themes", "--check", "washed", cwd=project.root)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "muted #AAAAAA on background #FFFFFF" in result.stdout
    assert "2.32:1" in result.stdout
    ok = twinpress("themes", "--check", "corporate", "keynote", cwd=project.root)
    assert ok.returncode == 0 and "FAIL" not in ok.stdout


def test_new_theme_scaffolds_a_valid_child(project):
    from conftest import twinpress

    result = twinpress("new-theme", "my-brand", "--from", "keynote", cwd=project.root)
    assert result.returncode == 0, result.stderr
    theme = load_theme("my-brand", project)
    keynote = load_theme("keynote", project)
    assert theme.extends == "keynote" and theme.colors == keynote.colors
    assert theme.fonts == keynote.fonts
    again = twinpress("new-theme", "my-brand", "--from", "keynote", cwd=project.root)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = twinpress("new-theme", "other", "--from", "keynot", cwd=project.root)
    assert bad.returncode == 1 and "did you mean 'keynote'" in bad.stderr


def test_planning_a_build_reads_font_maps_without_fonttools_tables_or_python_pptx(
    shipped_project,
):
    """Planning runs before anything renders, on the critical path of every build: the
    fonts' character maps come from HarfBuzz, and a theme without a deck template needs no
    python-pptx to check."""
    code = (
        "import sys; from pathlib import Path; from pipeline import build; "
        "from pipeline.project import Project; "
        "p = build.plan(Project(Path(sys.argv[1])), formats=('pptx', 'pdf')); "
        "assert len(p.jobs) == 6, p.jobs; "
        "print(sorted(m for m in sys.modules if m.startswith(('pptx', 'fontTools.ttLib.tables.'))"
        " and m.rsplit('.', 1)[-1] in ('pptx', '_c_m_a_p', '_p_o_s_t')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(shipped_project.root)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
