"""What every login form of the portal shares: the admin's and the one at /logg-inn/."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator


class UsernameLengthMixin(forms.Form):
    """Django gives the username field its length limit after building it, so the limit is only
    an HTML attribute. Without the validator any length reached `authenticate()`, and a username
    over 255 characters made django-axes' record of the failure a server error on PostgreSQL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        if username.max_length is not None:  # type: ignore[attr-defined]
            username.validators.append(MaxLengthValidator(username.max_length))  # type: ignore[attr-defined]
