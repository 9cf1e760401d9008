import pytest

from scoring.contentfile import ContentInvalid
from trainer.i18n import t, ui_texts


def test_i18n_both_languages_have_the_same_keys():
    texts = ui_texts()
    assert set(texts["nl"]) == set(texts["en"])


def test_i18n_fills_placeholders_in_each_language():
    assert t("grammar.off", "nl", reason="geen Java") == "Spelling- en grammaticacontrole staat uit: geen Java"
    assert t("grammar.off", "en", reason="no Java").startswith("Spelling and grammar checking is off")


def test_i18n_missing_key_in_one_language_names_file_and_line(tmp_path):
    for lang in ("nl", "en"):
        (tmp_path / "ui" / lang).mkdir(parents=True)
    (tmp_path / "ui" / "nl" / "app.yaml").write_text('a: "A"\nb: "B {x}"\n')
    (tmp_path / "ui" / "en" / "app.yaml").write_text('a: "A"\n')
    with pytest.raises(ContentInvalid) as caught:
        ui_texts(tmp_path)
    assert "ui/nl/app.yaml:2 [b] has no en text" in str(caught.value)


def test_i18n_the_same_key_in_two_files_is_an_error(tmp_path):
    for lang in ("nl", "en"):
        (tmp_path / "ui" / lang).mkdir(parents=True)
        (tmp_path / "ui" / lang / "a.yaml").write_text('k: "A"\n')
        (tmp_path / "ui" / lang / "b.yaml").write_text('\nk: "B"\n')
    with pytest.raises(ContentInvalid, match="b.yaml:2 \\[k\\] is already defined in"):
        ui_texts(tmp_path)


def test_i18n_placeholder_mismatch_is_an_error(tmp_path):
    for lang in ("nl", "en"):
        (tmp_path / "ui" / lang).mkdir(parents=True)
    (tmp_path / "ui" / "nl" / "app.yaml").write_text('a: "Hallo {name}"\n')
    (tmp_path / "ui" / "en" / "app.yaml").write_text('a: "Hello {naam}"\n')
    with pytest.raises(ContentInvalid, match="other {placeholders}"):
        ui_texts(tmp_path)
