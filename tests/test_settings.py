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
    assert tomllib.loads(text) == {s: {} for s in ("store", "mine", "quiz", "scoring", "library",
                                                   "ui", "web", "service")}
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
        ("[mien]\ntop = 3\n", "unknown section [mien]; known sections: store, mine, quiz"),
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
