"""The command line as users run it: help, exit codes, diagnostics, schema, init."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest
from conftest import ARTICLE, REPO, SHIPPED_THEMES, twinpress, write

COMMANDS = ["build", "check", "schema", "audiences", "themes", "init"]


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_every_command_has_help(command, shipped_project):
    result = twinpress(*command, "--help", cwd=REPO)
    assert result.returncode == 0 and "Usage: twinpress" in result.stdout


def test_main_help_documents_exit_codes():
    assert "1 problems in inputs" in twinpress("--help", cwd=REPO).stdout


def test_python_dash_m_and_version():
    result = twinpress("--version", cwd=REPO)
    assert result.returncode == 0 and re.match(r"twinpress, version \d", result.stdout)


def test_check_passes_on_the_shipped_project(shipped_project):
    result = twinpress("check", cwd=shipped_project.root)
    assert result.returncode == 0, result.stderr
    assert "ok: 1 source, 3 audiences" in result.stdout


def test_planted_mistakes_are_each_reported_at_their_place(project):
    """The foundation issue's acceptance test: five mistakes in two files, one run."""
    text = ARTICLE.read_text()
    lines = text.splitlines()

    def line_of(fragment: str, start: int = 0) -> int:
        return next(i for i, ln in enumerate(lines[start:], start + 1) if fragment in ln)

    text = text.replace(
        "      - bullets:\n          marker: check", "      - bulets:\n          marker: check", 1
    )  # kind
    text = text.replace('    title: "Performance: Speed vs. Efficiency"\n', "", 1)  # missing
    text = text.replace("    numbered: false", "    numbered: [no]", 1)  # type
    text = text.replace("  - id: future", "  - id: hiring", 1)  # duplicate
    write(project, "rust-vs-go.yaml", text)
    write(
        project,
        "second.yaml",
        "title: Second\ndate: 2026-01-01\nsections:\n  - id: a\n"
        "    title: [unclosed\n    blocks: []\n",
    )
    new_lines = text.splitlines()
    kind_line = next(i for i, ln in enumerate(new_lines, 1) if "- bulets:" in ln)
    perf_line = next(i for i, ln in enumerate(new_lines, 1) if "- id: performance" in ln)
    numbered_line = next(i for i, ln in enumerate(new_lines, 1) if "numbered: [no]" in ln)
    dup_line = [i for i, ln in enumerate(new_lines, 1) if ln.strip() == "- id: hiring"][1]

    result = twinpress("check", cwd=project.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    expected = [
        f"content/rust-vs-go.yaml:{kind_line}:9: error: unknown block kind 'bulets' "
        "[content.unknown-kind]",
        f"content/rust-vs-go.yaml:{perf_line}:5: error: missing required key 'title' "
        "[content.missing-key]",
        f"content/rust-vs-go.yaml:{numbered_line}:15: error: 'numbered' must be true or false,"
        " not a list [content.type]",
        f"content/rust-vs-go.yaml:{dup_line}:9: error: section id 'hiring' is used twice "
        "[content.duplicate-id]",
        "content/second.yaml:6:11: error: did not find expected ',' or ']' [yaml.syntax]",
    ]
    for line in expected:
        assert line in result.stderr, f"missing: {line}\n---\n{result.stderr}"
    assert "did you mean 'bullets'?" in result.stderr
    assert "5 errors, 0 warnings" in result.stderr


def test_alias_bomb_and_python_tag_are_refused_fast(project):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = write(project, "bomb.yaml", "\n".join(lines) + "\n")
    tag = write(project, "tag.yaml", "title: !!python/object/apply:os.system ['touch pwned']\n")
    for path, code in ((bomb, "yaml.alias-bomb"), (tag, "yaml.tag")):
        started = time.perf_counter()
        result = twinpress("check", str(path), cwd=project.root)
        assert time.perf_counter() - started < 5  # includes interpreter start-up
        assert result.returncode == 1 and f"[{code}]" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (project.root / "pwned").exists()


def test_unknown_names_get_suggestions(project):
    result = twinpress(
        "build", "-a", "enginers", "-f", "pfd", "--theme", "corprate", cwd=project.root
    )
    assert result.returncode == 1
    for hint in ("did you mean 'engineers'", "did you mean 'pdf'", "did you mean 'corporate'"):
        assert hint in result.stderr
    assert not project.output.exists()


def test_build_markdown_prints_a_summary(project):
    result = twinpress("build", "-f", "markdown", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert "output/tech-leaders/rust-vs-go.md" in result.stdout
    assert "3 of 3 outputs built" in result.stdout


def test_usage_error_exits_2(shipped_project):
    assert twinpress("build", "--no-such-option", cwd=REPO).returncode == 2


def test_internal_error_exits_3_without_traceback(monkeypatch):
    from click.testing import CliRunner

    from pipeline import build, cli

    monkeypatch.setattr(build, "plan", lambda *a, **k: {}["boom"])
    result = CliRunner().invoke(cli.cli, ["build"])
    assert result.exit_code == 3
    assert "internal error: KeyError" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "kind,path",
    [
        ("source", "content/schema.json"),
        ("audiences", "content/audiences.schema.json"),
        ("theme", "themes/theme.schema.json"),
    ],
)
def test_committed_schemas_are_up_to_date(kind, path):
    result = twinpress("schema", "--for", kind, cwd=REPO)
    assert result.returncode == 0
    assert result.stdout == (REPO / path).read_text(), "run `twinpress schema --write`"


def test_sources_and_profiles_validate_against_their_schemas(shipped_project):
    import jsonschema
    import yaml

    for schema_path, data_path in (
        ("content/schema.json", "content/rust-vs-go.yaml"),
        ("content/audiences.schema.json", "content/audiences.yaml"),
    ):
        schema = json.loads((REPO / schema_path).read_text())
        data = yaml.safe_load((REPO / data_path).read_text())
        data = json.loads(json.dumps(data, default=str))  # dates as strings, like an editor
        jsonschema.Draft202012Validator(schema).validate(data)
    theme_schema = json.loads((REPO / "themes/theme.schema.json").read_text())
    for theme in (REPO / "themes" / name / "theme.yaml" for name in SHIPPED_THEMES):
        jsonschema.Draft202012Validator(theme_schema).validate(yaml.safe_load(theme.read_text()))


def test_schema_rejects_what_the_loader_rejects():
    import jsonschema

    schema = json.loads((REPO / "content/schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    good = {
        "title": "T",
        "date": "2026-01-01",
        "sections": [{"id": "a", "title": "A", "blocks": [{"bullets": ["x"]}, {"paragraph": "p"}]}],
    }
    assert not list(validator.iter_errors(good))
    for bad in (
        {**good, "titel": "x"},
        {**good, "sections": [{"id": "a", "title": "A", "blocks": [{"bulets": ["x"]}]}]},
        {**good, "sections": [{"id": "Bad Id", "title": "A"}]},
    ):
        assert list(validator.iter_errors(bad))


def test_init_scaffolds_a_valid_source_with_every_block_kind(project):
    result = twinpress("init", "board-update", cwd=project.root)
    assert result.returncode == 0, result.stderr
    source = project.content / "board-update.yaml"
    assert (project.content / "images/board-update-pipeline.png").is_file()
    from pipeline.loader import load_document
    from pipeline.model import BLOCK_TYPES

    document = load_document(source, project)
    kinds = {b.kind for s in document.sections for b in s.blocks}
    assert kinds == set(BLOCK_TYPES)
    assert twinpress("check", str(source), cwd=project.root).returncode == 0
    again = twinpress("init", "board-update", cwd=project.root)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_audiences_and_themes_list(shipped_project):
    audiences = twinpress("audiences", cwd=shipped_project.root)
    assert audiences.returncode == 0
    for name in ("tech-leaders", "engineers", "executives"):
        assert name in audiences.stdout
    themes = twinpress("themes", cwd=shipped_project.root)
    assert themes.returncode == 0
    for name in ("base", "corporate", "keynote", "high-contrast"):
        assert name in themes.stdout


def test_every_command_is_found_by_name_in_the_module_that_defines_it():
    """The group imports a command's module only when the command is named: the table
    must name each command's module, and the modules no command the table lacks."""
    import click

    from pipeline.cli import app

    listed = app.cli.list_commands(click.Context(app.cli))  # imports every command's module
    defined = {name: app.cli.commands[name].callback.__module__ for name in listed}
    assert defined == {name: f"pipeline.cli.{module}" for name, module in app.COMMANDS.items()}


def test_twinpress_build_forks_its_first_worker_before_the_rest_of_the_command_line_loads():
    code = (
        "import sys\n"
        "from pipeline import cli, workers\n"
        "def forked(formats):\n"
        "    print(sorted(m for m in sys.modules if m.startswith('pipeline.cli.')))\n"
        "    print('pipeline.build' in sys.modules)\n"
        "    raise SystemExit(0)\n"
        "workers.head_start = forked\n"
        "cli.main(['--project', sys.argv[1], 'build'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["['pipeline.cli.app', 'pipeline.cli.building']", "False"]


def test_a_mistyped_command_is_answered_with_the_command_it_resembles():
    result = twinpress("biuld", cwd=REPO)
    assert result.returncode == 2
    assert "No such command 'biuld'" in result.stderr
    assert "Did you mean 'build'?" in result.stderr
