"""Language tags, scripts and the validation of names."""

from __future__ import annotations

import pytest

from gazetteer.errors import ValidationError
from gazetteer.intake import NameInput, check_name
from gazetteer.languages import detect_script, parse_language_tag
from gazetteer.validate import latitude, longitude, year


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("hy", "hy"),
        ("az-Cyrl", "az-Cyrl"),
        ("hy-Latn", "hy-Latn"),
        ("AZ-cyrl", "az-Cyrl"),
        ("ru_RU", "ru-RU"),
        ("hy-arevmda", "hy-arevmda"),
        ("und", "und"),
        ("azb", "azb"),
    ],
)
def test_real_tags_are_accepted_and_canonicalised(tag: str, canonical: str) -> None:
    assert str(parse_language_tag(tag)) == canonical


@pytest.mark.parametrize("tag", ["xx", "", "english", "az-Qqqq", "hy-", "1a", "qq-Latn"])
def test_unknown_or_malformed_tags_are_refused(tag: str) -> None:
    with pytest.raises(ValueError):
        parse_language_tag(tag)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Շուշի", "Armn"),
        ("Шуша", "Cyrl"),
        ("Şuşa", "Latn"),
        ("Xankəndi", "Latn"),
        ("تبریز", "Arab"),
        ("თბილისი", "Geor"),
        ("Ҝәнҹә", "Cyrl"),
        ("Stepʻanakert", "Latn"),
    ],
)
def test_scripts_are_detected_from_the_text(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_a_name_in_the_wrong_script_for_its_language_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        check_name(NameInput("Shushi", "hy", "variant"))
    assert raised.value.field == "lang"
    assert "hy-Latn" in raised.value.problem
    assert check_name(NameInput("Shushi", "hy-Latn", "transliteration")).script == "Latn"


def test_mixed_scripts_are_refused_because_they_hide_homoglyphs() -> None:
    with pytest.raises(ValidationError, match="mixes scripts"):
        check_name(NameInput("Шушa", "ru", "common"))  # last letter is Latin a


def test_declared_script_must_match_the_text() -> None:
    with pytest.raises(ValidationError, match="is Cyrl but the text is in Latn"):
        check_name(NameInput("Xocalı", "az-Cyrl", "variant", script="Cyrl"))


def test_names_are_stored_in_nfc_and_trimmed() -> None:
    name = check_name(NameInput("  S\u0327us\u0327a ", "az", "common"))
    assert name.text == "Şuşa"


@pytest.mark.parametrize("text", ["", "   ", "Shu\x00sha", "\ud800"])
def test_empty_control_and_broken_text_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        check_name(NameInput(text, "en", "variant"))


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown name kind"):
        check_name(NameInput("Shusha", "en", "nickname"))


def test_coordinates_and_years_must_make_sense() -> None:
    assert latitude(39.75) == 39.75
    with pytest.raises(ValidationError):
        latitude(139.75)
    with pytest.raises(ValidationError):
        longitude(-181.0)
    with pytest.raises(ValidationError):
        latitude(float("nan"))
    with pytest.raises(ValidationError):
        year(3024, "valid_from")
    with pytest.raises(ValidationError, match="after it ends"):
        check_name(NameInput("Leninakan", "en", "historic", valid_from=1990, valid_to=1924))
