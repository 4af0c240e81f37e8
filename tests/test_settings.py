"""scriptlab.toml: defaults, overrides, and clear errors for typos."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scriptlab.errors import ScriptlabError
from scriptlab.settings import Settings, default_settings_toml, load_settings


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "scriptlab.toml") == Settings()


def test_default_file_parses_and_documents_every_section() -> None:
    text = default_settings_toml()
    assert tomllib.loads(text) == {s: {} for s in ("store", "logs", "mine", "quiz", "scoring",
                                                   "library", "ui", "web", "service")}
    uncommented = "\n".join(line.removeprefix("# ") if " = " in line else line
                            for line in text.splitlines())
    assert load_settings_text(uncommented) == Settings()


def load_settings_text(text: str) -> Settings:
    from scriptlab.settings import settings_from_dict

    return settings_from_dict(tomllib.loads(text))


def test_override_and_int_for_float(tmp_path: Path) -> None:
    path = tmp_path / "scriptlab.toml"
    path.write_text("[mine]\nsimilarity_threshold = 1\ntop = 10\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.mine.similarity_threshold == 1.0
    assert settings.mine.top == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[mien]\ntop = 3\n", "unknown section [mien]; known sections: store, logs, mine"),
        ("[mine]\ntopp = 3\n", "unknown setting 'topp' in [mine]; known: "),
        ("[mine]\ntop = 'ten'\n", "[mine] top should be a whole number, got 'ten'."),
        ("[mine\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "scriptlab.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        load_settings(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_every_setting_has_help_and_init_writes_it() -> None:
    import dataclasses

    from scriptlab.setting import help_of

    helps = " ".join(line[3:] for line in default_settings_toml().splitlines()
                     if line.startswith("## "))
    for section in dataclasses.fields(Settings):
        for f in dataclasses.fields(section.default_factory()):
            assert help_of(f), f"[{section.name}] {f.name} has no help"
            assert " ".join(help_of(f).split()) in helps


def test_readme_settings_table_is_up_to_date() -> None:
    """Regenerate with: python -m scriptlab.settings README.md"""
    from scriptlab.settings import with_settings_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert readme == with_settings_table(readme), (
        "README.md's settings table is stale: run python -m scriptlab.settings README.md")


def test_the_readme_check_fails_on_a_stale_table() -> None:
    from scriptlab.settings import TABLE_END, TABLE_START, with_settings_table

    stale = f"# Settings\n{TABLE_START}\n| old | table |\n{TABLE_END}\n"
    fresh = with_settings_table(stale)
    assert fresh != stale
    assert "`similarity_threshold` | `0.55`" in fresh
    assert with_settings_table(fresh) == fresh
