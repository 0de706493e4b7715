"""The outgoing mail server from one address, `EMAIL_URL`, as the 12-factor tools write it, as
Django's MAILERS entry (Django 6.1 replaces the EMAIL_* settings with MAILERS).

Pure: reads no settings, so `drivkraft/settings.py` can call it. The forms understood:

- `smtp://user:password@host:port`: plain SMTP (port 25 unless given);
- `smtp+tls://…`: SMTP with STARTTLS (port 587 unless given), the usual submission port;
- `smtp+ssl://…` or `smtps://…`: SMTP over TLS from the first byte (port 465 unless given);
- `console://`: every message written to standard output (development);
- `locmem://`: kept in memory (`django.core.mail.outbox`, tests).

User and password may be percent-encoded (`%40` for an @ in a user name).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# scheme -> (STARTTLS, implicit TLS, default port)
_SMTP_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "smtp+ssl": (False, True, 465),
    "smtps": (False, True, 465),
}


def smtp_mailer(
    *,
    host: str,
    port: int,
    username: str = "",
    password: str = "",
    use_tls: bool = False,
    use_ssl: bool = False,
    timeout: int | None = None,
) -> dict[str, Any]:
    """A MAILERS entry for Django's SMTP backend."""
    if use_tls and use_ssl:
        raise ImproperlyConfigured("Choose STARTTLS (smtp+tls, EMAIL_USE_TLS) or TLS, not both.")
    return {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": host,
            "port": port,
            "username": username,
            "password": password,
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }


def mailer_from_url(url: str, *, timeout: int | None = None) -> dict[str, Any]:
    """Django's MAILERS entry for `url`; ImproperlyConfigured for anything else, naming what
    is understood (the password is never repeated in the message)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"BACKEND": CONSOLE_BACKEND}
    if scheme == "locmem":
        return {"BACKEND": LOCMEM_BACKEND}
    if scheme not in _SMTP_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtp+tls://, smtp+ssl:// or console://, "
            f"not {scheme + '://' if scheme else 'nothing'}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no host (smtp://user:password@host:port).")
    use_tls, use_ssl, default_port = _SMTP_SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return smtp_mailer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=timeout,
    )
