"""Password rules for the admin logins."""

from __future__ import annotations

from itertools import product
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator

# Words Norwegian users reach for, and the endings they add. Django's own list is English-heavy.
NORWEGIAN_WORDS = (
    "passord", "hemmelig", "velkommen", "sommer", "vinter", "høst", "vår", "norge", "noreg",
    "fotball", "kjæreste", "elskling", "mamma", "pappa", "tromsø", "troms", "harstad",
    "narvik", "hålogaland", "drivkraft", "kommune", "admin", "bruker", "ordfører",
)  # fmt: skip
ENDINGS = ("", "1", "12", "123", "1234", "12345", "!", "1!", *(str(y) for y in range(2015, 2031)))


class NorwegianCommonPasswordValidator(CommonPasswordValidator):
    """Django's list of common passwords, plus common Norwegian ones (e.g. «Passord123»)."""

    def __init__(self, password_list_path: Path | str | None = None) -> None:
        if password_list_path is None:
            super().__init__()
        else:
            super().__init__(password_list_path)
        self.passwords = set(self.passwords) | {
            f"{word}{ending}" for word, ending in product(NORWEGIAN_WORDS, ENDINGS)
        }
