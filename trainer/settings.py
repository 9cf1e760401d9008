"""The app's one settings object, read from the environment (or a `.env` file).

`DATABASE_URL` is the only storage setting: a SQLite file in `data/` by default, and any
SQLAlchemy URL otherwise (e.g. `postgresql+psycopg://user:pass@host/db`). Every setting is
documented in docs/storage.md.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from trainer.services.client_address import parse_trusted_proxies

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'webcare.db'}"
# Anyone reading the source knows this key, so it is only good enough on a developer's machine.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    ENVIRONMENT: Literal["development", "test", "production"] = Field(
        default="development", description="Where the app runs; outside development default secrets are refused."
    )
    DATABASE_URL: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the database.")
    SECRET_KEY: str = Field(
        default=DEVELOPMENT_SECRET_KEY, description="Key for the keyed hash of login-session tokens."
    )
    SESSION_HOURS: float = Field(default=12, gt=0, description="Hours a login session lasts.")
    SESSION_IDLE_MINUTES: float = Field(
        default=30, gt=0, description="Minutes without any use after which a login session ends."
    )
    PRACTICE_RESUME_HOURS: float = Field(
        default=24, gt=0,
        description="Hours within which an unfinished practice conversation is resumed at the trainee's next visit; "
                    "older ones are closed as abandoned.",
    )
    ATTEMPT_STALE_HOURS: float = Field(
        default=24, gt=0,
        description="Hours without activity after which anyone's unfinished practice attempt is closed as abandoned "
                    "(`webcare attempts close-stale`, and the app now and then).",
    )
    ATTEMPT_SWEEP_MINUTES: float = Field(
        default=15, gt=0,
        description="The app closes stale attempts at most once per this many minutes per process (at start, "
                    "on the team page).",
    )
    LOGIN_MAX_FAILURES: int = Field(
        default=5, ge=1, description="Failed logins for one e-mail from one client address before that pair is locked."
    )
    LOGIN_LOCKOUT_MINUTES: float = Field(
        default=15, gt=0, description="Minutes a locked e-mail/address pair or address waits (and its counting window)."
    )
    LOGIN_ACCOUNT_MAX_FAILURES: int = Field(
        default=20, ge=1, description="Failed logins in a row for one e-mail from all addresses before it is locked."
    )
    LOGIN_ACCOUNT_LOCKOUT_MINUTES: float = Field(
        default=2, gt=0, description="Minutes an e-mail locked from all addresses waits: short, so a stranger cannot keep its user out."
    )
    LOGIN_CLIENT_MAX_FAILURES: int = Field(
        default=30, ge=1, description="Failed logins from one client address (any e-mail) before the address is locked."
    )
    LOGIN_CONCURRENT_CHECKS: int = Field(
        default=1, ge=1, description="Password checks (Argon2, a core each) running at once in one app process."
    )
    LOGIN_CHECK_WAIT_SECONDS: float = Field(
        default=10, gt=0, description="How long a login waits for its turn to be checked before it is refused."
    )
    PASSWORD_MIN_LENGTH: int = Field(default=12, ge=8, description="Fewest characters a password may have.")
    PASSWORD_MIN_STRENGTH: int = Field(
        default=3, ge=0, le=4, description="Lowest zxcvbn strength (0-4) a password may have: 3 is 'safely unguessable'."
    )
    ALLOW_REMOTE: bool = Field(
        default=False,
        description="Let `webcare serve` listen on addresses other machines reach; demo accounts are then refused.",
    )
    MIGRATE_ON_START: bool = Field(default=True, description="Apply database migrations when the app starts.")
    TIME_ZONE: str = Field(
        default="Europe/Amsterdam", description="The contact centre's clock: every time and date people read is shown in it."
    )
    ORGANISATION_NAME: str = Field(
        default="Webcare Trainer demo", min_length=1, max_length=120,
        description="The organisation that issues the certificates: printed on every certificate.",
    )
    ORGANISATION_LOGO: Path | None = Field(
        default=None, description="A PNG file printed on every certificate beside the organisation's name; empty: none."
    )
    PUBLIC_BASE_URL: str = Field(
        default="http://localhost:8501",
        description="The address people open the app at: certificates print PUBLIC_BASE_URL/verify?code=... and its QR code.",
    )
    VERIFY_MAX_FAILURES: int = Field(
        default=10, ge=1, description="Unknown certificate codes one client address may try before it is locked."
    )
    VERIFY_LOCKOUT_MINUTES: float = Field(
        default=15, gt=0, description="Minutes a client address waits after too many unknown codes (and their counting window)."
    )
    TRUSTED_PROXIES: str = Field(
        default="",
        description="Load balancers (addresses or networks, comma-separated) whose X-Forwarded-For header names the "
                    "real client address; empty: the connection's own address counts.",
    )

    @field_validator("ORGANISATION_LOGO", mode="before")
    @classmethod
    def _no_logo_when_empty(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("PUBLIC_BASE_URL")
    @classmethod
    def _public_base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"PUBLIC_BASE_URL: {value!r} is no web address such as https://trainer.example.nl")
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _no_default_secret_outside_development(self) -> Settings:
        if self.ENVIRONMENT != "development" and self.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
            raise ValueError(
                f"SECRET_KEY still has its development default while ENVIRONMENT={self.ENVIRONMENT}: "
                "set SECRET_KEY to a long random value (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        if self.ENVIRONMENT != "development" and len(self.SECRET_KEY) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters outside development")
        parse_trusted_proxies(self.TRUSTED_PROXIES)
        try:
            ZoneInfo(self.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"TIME_ZONE: {self.TIME_ZONE!r} is no time zone (e.g. Europe/Amsterdam)") from None
        if self.ORGANISATION_LOGO is not None:
            _check_png(self.ORGANISATION_LOGO)
        return self

    @property
    def trusted_proxies(self) -> list[str]:
        return parse_trusted_proxies(self.TRUSTED_PROXIES)


def _check_png(path: Path) -> None:
    """Refuse at start a logo the certificate could not print, rather than fail on the first download."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise ValueError(f"ORGANISATION_LOGO: {str(path)!r} does not exist (give the path of a PNG file)")
    try:
        with Image.open(path) as image:
            kind = image.format
            image.verify()  # a cut-off or damaged file fails here, not in the PDF
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(f"ORGANISATION_LOGO: {str(path)!r} is no readable image ({exc})") from None
    if kind != "PNG":
        raise ValueError(f"ORGANISATION_LOGO: {str(path)!r} is a {kind} image; give a PNG")


def settings_problems(error: ValidationError) -> list[str]:
    """One line per wrong setting, naming it: "ORGANISATION_LOGO: 'logo.png' does not exist (...)"."""
    lines = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        field = ".".join(str(part) for part in problem["loc"])
        lines.append(message if not field or message.startswith(f"{field}:") else f"{field}: {message}")
    return lines


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
