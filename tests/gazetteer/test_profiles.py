"""Naming profiles: built-in house styles, dual names, user profiles stored and validated."""

from __future__ import annotations

from typing import Any

import pytest

from gazetteer.errors import ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.model import Name, Place
from gazetteer.profiles import (
    BUILTIN_BY_ID,
    BUILTIN_PROFILES,
    NamingProfile,
    ProfileNotFoundError,
    profile_from_dict,
    render,
    rendering,
)

# -- the same place under several profiles ------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "first", "later"),
    [
        ("neutral-en", "Stepanakert/Khankendi", "Stepanakert/Khankendi"),
        ("az-official-en", "Khankendi (Stepanakert)", "Khankendi"),
        ("hy-usage-en", "Stepanakert (Khankendi)", "Stepanakert"),
        ("en", "Stepanakert", "Stepanakert"),
        ("az", "Xankəndi", "Xankəndi"),
        ("az-official", "Xankəndi", "Xankəndi"),
        ("hy", "Ստեփանակերտ", "Ստեփանակերտ"),
        ("ru", "Степанакерт", "Степанакерт"),
    ],
)
def test_stepanakert_under_each_builtin_profile(
    gazetteer: Gazetteer, profile: str, first: str, later: str
) -> None:
    place = gazetteer.place("stepanakert")
    chosen = gazetteer.naming_profile(profile)
    assert render(place, chosen) == first
    assert render(place, chosen, first_mention=False) == later


def test_shusha_under_three_profiles(gazetteer: Gazetteer) -> None:
    place = gazetteer.place("shusha")
    assert gazetteer.render("shusha", "neutral-en") == "Shusha/Shushi"
    assert gazetteer.render("shusha", "az-official-en") == "Shusha (Shushi)"
    assert gazetteer.render("shusha", "hy-usage-en") == "Shushi (Shusha)"
    assert gazetteer.render("shusha", "hy-usage-en", first_mention=False) == "Shushi"
    detail = rendering(place, BUILTIN_BY_ID["hy-usage-en"])
    assert detail.primary.name is not None and detail.primary.name.used_by == "Armenians"
    assert detail.secondary is not None and detail.secondary.text == "Shusha"


def test_no_dual_name_without_recorded_users(gazetteer: Gazetteer) -> None:
    # Yerevan has English variants (Erevan, Erivan) but none is recorded as someone's usage:
    # a spelling variant is not a second name.
    assert gazetteer.render("yerevan", "neutral-en") == "Yerevan"
    assert rendering(gazetteer.place("yerevan"), BUILTIN_BY_ID["neutral-en"]).secondary is None


def test_default_profile_is_neutral_english(gazetteer: Gazetteer) -> None:
    assert gazetteer.naming_profile().id == "neutral-en"
    assert gazetteer.render("stepanakert") == "Stepanakert/Khankendi"


def test_historic_names_are_not_rendered_as_current(gazetteer: Gazetteer) -> None:
    # Gyumri's Leninakan (1924–1990) is dated in the past: never today's name.
    for profile in BUILTIN_PROFILES:
        assert "Leninakan" not in gazetteer.render("gyumri", profile.id)


def test_a_place_without_a_name_in_the_language_gets_a_marked_generated_form(
    gazetteer: Gazetteer,
) -> None:
    place = gazetteer.place("goris")  # names in en, hy, ru; none in az
    detail = rendering(place, BUILTIN_BY_ID["az"])
    assert detail.text == "Goris"
    assert detail.primary.is_generated and detail.notes == ("generated",)
    assert detail.primary.generated is not None
    assert detail.primary.generated.method == "BGN/PCGN"
    assert detail.primary.generated.from_name.text == "Գորիս"
    # The Armenian profile falls back to English for a place with no Armenian name.
    sumgait = rendering(gazetteer.place("sumgait"), BUILTIN_BY_ID["hy"])
    assert (sumgait.text, sumgait.primary.is_generated, sumgait.primary.lang) == (
        "Sumgait",
        False,
        "en",
    )


def test_a_place_with_only_latin_names_falls_back_to_its_label() -> None:
    place = Place("p", "village", None, None, None, names=(Name("Foo", "en", "Latn", "common"),))
    chosen = rendering(place, NamingProfile(id="x", title="x", lang="hy"))
    assert chosen.text == "Foo" and chosen.primary.lang == "und"


# -- validation -------------------------------------------------------------------------------


def test_a_valid_profile_is_canonicalised() -> None:
    profile = profile_from_dict(
        "house-style",
        {"title": " House ", "lang": "EN", "prefer_used_by": "Government of Armenia, Armenians",
         "prefer_kinds": ["official", "common", "official"], "dual": "slash",
         "fallback_langs": ["ru"]},
    )  # fmt: skip
    assert profile.lang == "en" and profile.title == "House"
    assert profile.prefer_used_by == ("Government of Armenia", "Armenians")
    assert profile.prefer_kinds == ("official", "common")
    assert (profile.dual, profile.dual_scope, profile.fallback_langs) == ("slash", "first", ("ru",))
    assert profile_from_dict("house-style", profile.settings()) == profile


@pytest.mark.parametrize(
    ("profile_id", "settings", "field"),
    [
        ("ok", {}, "lang"),
        ("ok", {"lang": "xx"}, "lang"),
        ("ok", {"lang": "en", "prefer_kinds": ["officail"]}, "prefer_kinds"),
        ("ok", {"lang": "en", "dual": "brackets"}, "dual"),
        ("ok", {"lang": "en", "dual_scope": "sometimes"}, "dual_scope"),
        ("ok", {"lang": "en", "fallback_langs": ["en"]}, "fallback_langs"),
        ("ok", {"lang": "en", "prefer_used_by": [""]}, "prefer_used_by"),
        ("ok", {"lang": "en", "prefer_used_by": ["x"] * 13}, "prefer_used_by"),
        ("ok", {"lang": "en", "title": "t" * 201}, "title"),
        ("ok", {"lang": "en", "title": "House\u202e style"}, "title"),
        ("ok", {"lang": "en", "description": "ours\x85theirs"}, "description"),
        ("ok", {"lang": "en", "prefer_used_by": ["Government\x00of Armenia"]}, "prefer_used_by"),
        ("ok", {"lang": "en", "dual_scop": "always"}, "dual_scop"),
        ("Bad Id", {"lang": "en"}, "id"),
        ("-x", {"lang": "en"}, "id"),
        ("x" * 41, {"lang": "en"}, "id"),
    ],
)
def test_bad_settings_name_the_field(profile_id: str, settings: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        profile_from_dict(profile_id, settings)
    assert raised.value.field == field


# -- stored user profiles -----------------------------------------------------------------------


def test_user_profile_is_stored_listed_used_and_removed(gazetteer: Gazetteer) -> None:
    saved = gazetteer.save_naming_profile(
        "ru-az-usage",
        {"title": "Russian, Azerbaijani usage", "lang": "ru",
         "prefer_used_by": ["Government of Azerbaijan"]},
    )  # fmt: skip
    assert not saved.builtin
    assert gazetteer.naming_profile("ru-az-usage") == saved
    assert [p.id for p in gazetteer.naming_profiles()][-1] == "ru-az-usage"
    assert gazetteer.render("stepanakert", "ru-az-usage") == "Степанакерт"
    assert gazetteer.store.changes_for("naming_profile", "ru-az-usage")[0]["action"] == "create"
    gazetteer.remove_naming_profile("ru-az-usage")
    with pytest.raises(ProfileNotFoundError):
        gazetteer.naming_profile("ru-az-usage")
    with pytest.raises(ProfileNotFoundError):
        gazetteer.remove_naming_profile("ru-az-usage")


def test_an_existing_profile_is_replaced_only_when_asked(gazetteer: Gazetteer) -> None:
    gazetteer.save_naming_profile("mine", {"lang": "en"})
    with pytest.raises(ValidationError) as raised:
        gazetteer.save_naming_profile("mine", {"lang": "ru"})
    assert raised.value.field == "id"
    assert gazetteer.naming_profile("mine").lang == "en"
    gazetteer.save_naming_profile("mine", {"lang": "ru"}, replace=True)
    assert gazetteer.naming_profile("mine").lang == "ru"


def test_builtin_profiles_cannot_be_replaced_or_removed(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValidationError):
        gazetteer.save_naming_profile("neutral-en", {"lang": "ru"}, replace=True)
    with pytest.raises(ValidationError):
        gazetteer.remove_naming_profile("az-official-en")
    assert gazetteer.naming_profile("neutral-en") is BUILTIN_BY_ID["neutral-en"]


def test_an_invalid_profile_leaves_the_database_unchanged(gazetteer: Gazetteer) -> None:
    before = gazetteer.store.naming_profiles()
    with pytest.raises(ValidationError):
        gazetteer.save_naming_profile("broken", {"lang": "en", "dual": "both"})
    assert gazetteer.store.naming_profiles() == before
    assert gazetteer.store.changes_for("naming_profile", "broken") == []
