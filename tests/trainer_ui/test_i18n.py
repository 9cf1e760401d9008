import re

import pytest

from scoring.contentfile import ContentInvalid
from trainer.i18n import Plural, t, ui_texts


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


def ui_folder(tmp_path, nl: str, en: str):
    for lang, text in (("nl", nl), ("en", en)):
        (tmp_path / "ui" / lang).mkdir(parents=True)
        (tmp_path / "ui" / lang / "app.yaml").write_text(text)
    return tmp_path


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("nl", 0, "0 van de 0 vereiste groepsoefeningen gedaan."),
    ("nl", 1, "0 van de 1 vereiste groepsoefening gedaan."),
    ("nl", 2, "0 van de 2 vereiste groepsoefeningen gedaan."),
    ("en", 1, "0 of 1 required group drill done."),
    ("en", 3, "0 of 3 required group drills done."),
])
def test_i18n_plural_form_follows_count(language, count, expected):
    assert t("progress.reason_drills", language, done=0, count=count) == expected


def test_i18n_plural_text_needs_a_count():
    with pytest.raises(TypeError, match="pass count="):
        t("progress.req_drills", "nl")


def test_i18n_no_ui_text_hedges_its_plural_with_brackets():
    # "groepsoefening(en)", "error(s)": a text that depends on a number gets plural forms instead.
    hedged = [(language, key) for language, texts in ui_texts().items() for key, text in texts.items()
              for form in ([text.one, text.other] if isinstance(text, Plural) else [text])
              if re.search(r"\w\((en|s|es|n)\)", form)]
    assert not hedged


def test_i18n_plural_forms_are_validated_with_file_and_line(tmp_path):
    folder = ui_folder(tmp_path, nl=(
        'a:\n  one: "1 fout"\n'                    # line 1: 'other' is missing
        'b:\n  one: "1"\n  other: "{count}"\n  few: "x"\n'   # line 6: not a plural form
        'c:\n  one: "{naam}: 1"\n  other: "{count}"\n'       # line 8: the forms differ in placeholders
        'd: 5\n'                                   # line 10: neither text nor forms
    ), en=(
        'a:\n  one: "1 error"\n  other: "{count} errors"\n'
        'b:\n  one: "1"\n  other: "{count}"\n'
        'c:\n  one: "{naam}: 1"\n  other: "{naam}: {count}"\n'
        'd: "D"\n'
    ))
    with pytest.raises(ContentInvalid) as caught:
        ui_texts(folder)
    errors = str(caught.value).splitlines()
    assert any(e.endswith("ui/nl/app.yaml:1 [a] needs the plural form(s) other") for e in errors)
    assert any(e.endswith("ui/nl/app.yaml:6 [b -> few] is not a plural form: use 'one' and 'other'") for e in errors)
    assert any(e.endswith("ui/nl/app.yaml:8 [c -> one] uses other {placeholders} than the 'other' form ({count} aside)")
               for e in errors)
    assert any(e.endswith("ui/nl/app.yaml:10 [d] must be text, or plural forms 'one' and 'other'") for e in errors)
    assert not any("has no nl text" in e for e in errors)  # a broken text is reported once, not as missing too
    assert {e.code for e in caught.value.errors} == {"E100", "E303", "E304"}


def test_i18n_plural_in_one_language_and_plain_text_in_the_other_must_agree_on_count(tmp_path):
    folder = ui_folder(tmp_path, nl='a:\n  one: "Eén fout"\n  other: "{count} fouten"\n', en='a: "Some errors"\n')
    with pytest.raises(ContentInvalid, match=r"ui/nl/app.yaml:1 \[a\] uses other {placeholders} than the English text"):
        ui_texts(folder)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_i18n_every_kind_of_attempt_has_a_name(language):
    """The team page and the reports name an attempt's type: scenario types and announcements."""
    from scenarios.schema import SCENARIO_TYPES
    from trainer.services.announcements import SCENARIO_TYPE as ANNOUNCEMENT

    for kind in (*SCENARIO_TYPES, ANNOUNCEMENT):
        assert t(f"type.{kind}", language) != f"type.{kind}"
