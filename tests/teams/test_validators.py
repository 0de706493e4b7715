import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    "password", ["passord123", "Passord123", "sommer2024", "Harstad2026", "hemmelig!", "password"]
)
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)

    assert "password_too_common" in [e.code for e in excinfo.value.error_list]


def test_a_long_uncommon_password_passes():
    validate_password("Fjordlys-Kvæfjord-6391")


def test_a_password_list_of_ones_own_is_extended_with_the_norwegian_words(tmp_path):
    from teams.validators import NorwegianCommonPasswordValidator

    own = tmp_path / "passwords.txt"
    own.write_text("hemmeligord\n")
    validator = NorwegianCommonPasswordValidator(own)

    assert "hemmeligord" in validator.passwords
    assert "passord123" in validator.passwords
    with pytest.raises(ValidationError):
        validator.validate("Hemmeligord")
