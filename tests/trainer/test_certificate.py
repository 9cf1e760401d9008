"""Certificates people can check: the PDF names the organisation (and shows its logo), writes its
dates out in the reader's language, and prints where anyone can check it, as text and as a QR
code that a real decoder reads back."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from trainer.services import certification
from trainer.services.certification import Status
from trainer.settings import Settings

from .test_certification import NOW, POLICY, _done

# One dark module of a QR code as reportlab draws it: "n x y width height re f*".
_MODULE = re.compile(rb"^n ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re f\*$", re.MULTILINE)


def _granted(session, world):
    _done(session, world.tom, dims={"tone": 90})
    return certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level="basic",
                               comment="Top", now=NOW, policy=POLICY)


def _logo(path, size=(80, 40), kind="PNG"):
    Image.new("RGB", size, (200, 30, 60)).save(path, kind)
    return path


def read_qr_codes(pdf: bytes) -> list[str]:
    """What a QR reader makes of the squares drawn in the (uncompressed) PDF: they are painted
    onto a white image, four pixels a point, and handed to zxing-cpp."""
    squares = [tuple(float(n) for n in match) for match in _MODULE.findall(pdf)]
    assert squares, "no QR code squares in the PDF"
    scale, margin = 4, 40
    right = max(x + w for x, _, w, _ in squares)
    top = max(y + h for _, y, _, h in squares)
    image = Image.new("L", (int(right * scale) + 2 * margin, int(top * scale) + 2 * margin), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in squares:  # PDF y grows upwards, the image's downwards
        draw.rectangle([margin + x * scale, margin + (top - y - h) * scale,
                        margin + (x + w) * scale - 1, margin + (top - y) * scale - 1], fill=0)
    return [found.text for found in zxingcpp.read_barcodes(image)]


def test_certificate_pdf_dutch_names_the_organisation_dates_and_verify_link(session, world, tmp_path):
    cert = _granted(session, world)
    settings = Settings(ORGANISATION_NAME="Zonnestroom Klantenservice", PUBLIC_BASE_URL="https://leren.zonnestroom.nl/trainer/",
                        ORGANISATION_LOGO=_logo(tmp_path / "logo.png"))
    pdf = certification.certificate_pdf(session=session, actor=world.tom, certification_id=cert.id, language="nl",
                                        settings=settings)
    url = f"https://leren.zonnestroom.nl/trainer/verify?code={cert.verification_code}"
    for text in (b"Zonnestroom Klantenservice", b"Hierbij verklaart Zonnestroom Klantenservice dat", b"Certificaat",
                 b"Datum: 2 november 2026", b"Geldig tot: 2 december 2026", b"Controleer dit certificaat op:",
                 url.encode(), b"/URI (" + url.encode() + b")"):
        assert text in pdf, text
    assert b"webcare certificate verify" not in pdf  # nobody outside the server has that command
    assert b"/Author (Zonnestroom Klantenservice)" in pdf
    assert re.search(rb"/Subtype /Image\s.*?/Width 80", pdf, re.DOTALL), "the logo is not in the PDF"
    assert read_qr_codes(pdf) == [url]


def test_certificate_pdf_english_dates_and_no_logo_by_default(session, world):
    cert = _granted(session, world)
    pdf = certification.certificate_pdf(session=session, actor=world.tom, certification_id=cert.id, language="en",
                                        settings=Settings())
    for text in (b"Webcare Trainer demo hereby certifies that", b"Date: 2 November 2026", b"Valid until: 2 December 2026",
                 b"Check this certificate at:", f"http://localhost:8501/verify?code={cert.verification_code}".encode()):
        assert text in pdf, text
    assert b"/Subtype /Image" not in pdf
    assert read_qr_codes(pdf) == [f"http://localhost:8501/verify?code={cert.verification_code}"]


def test_certificate_pdf_a_very_long_organisation_name_still_fits(session, world):
    cert = _granted(session, world)
    name = "Stichting Samenwerkende Klantcontactcentra van de Gezamenlijke Nederlandse Energie- en Waterbedrijven"
    pdf = certification.certificate_pdf(session=session, actor=world.tom, certification_id=cert.id, language="nl",
                                        settings=Settings(ORGANISATION_NAME=name))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = float(re.search(rb"/F\d+ ([\d.]+) Tf[^(]*?\(" + re.escape(name.encode()) + rb"\)", pdf, re.DOTALL).group(1))
    assert stringWidth(name, "Helvetica-Bold", size) < 842 - 120


@pytest.mark.parametrize("value, error", [
    ("missing.png", "does not exist"),
    ("notes.txt", "is no readable image"),
    ("photo.jpg", "is a JPEG image; give a PNG"),
    ("cut.png", "is no readable image"),
])
def test_certificate_logo_setting_is_checked_at_start(tmp_path, value, error):
    (tmp_path / "notes.txt").write_text("geen plaatje")
    _logo(tmp_path / "photo.jpg", kind="JPEG")
    (tmp_path / "cut.png").write_bytes(_logo(tmp_path / "whole.png").read_bytes()[:60])
    with pytest.raises(ValueError, match=f"ORGANISATION_LOGO: .*{re.escape(error)}"):
        Settings(ORGANISATION_LOGO=tmp_path / value)


def test_certificate_settings_defaults_and_public_address(tmp_path):
    settings = Settings(ORGANISATION_LOGO="")
    assert (settings.ORGANISATION_NAME, settings.ORGANISATION_LOGO, settings.PUBLIC_BASE_URL) == \
        ("Webcare Trainer demo", None, "http://localhost:8501")
    assert Settings(ORGANISATION_LOGO=_logo(tmp_path / "l.png")).ORGANISATION_LOGO == tmp_path / "l.png"
    assert certification.verify_url("WT-AAAA-BBBB-CCCC", Settings(PUBLIC_BASE_URL="https://x.nl/")) == \
        "https://x.nl/verify?code=WT-AAAA-BBBB-CCCC"
    for wrong in ("leren.zonnestroom.nl", "ftp://x.nl", "https://x.nl/?a=1"):
        with pytest.raises(ValueError, match="PUBLIC_BASE_URL: .* is no web address"):
            Settings(PUBLIC_BASE_URL=wrong)


# The public verify page's look-up: what a stranger holding a code learns, and how often they may guess.

def _check(session, code, *, client="198.51.100.7", now=NOW, settings=None, language="nl"):
    return certification.check_code(session=session, code=code, client=client, now=now, language=language,
                                    settings=settings or Settings(VERIFY_MAX_FAILURES=3, VERIFY_LOCKOUT_MINUTES=15))


def test_certificate_check_code_valid_shows_name_level_dates_and_status_only(session, world):
    cert = _granted(session, world)
    found = _check(session, cert.verification_code)
    assert found == certification.PublicCertificate(holder="Tom Trainee", level_name=found.level_name,
                                                    granted_at=cert.granted_at, expires_at=cert.expires_at,
                                                    status=Status.valid)
    assert set(dataclasses.asdict(found)) == {"holder", "level_name", "granted_at", "expires_at", "status"}
    assert "tom@example.nl" not in repr(found) and "Mila" not in repr(found)
    # As typed over from paper: lower case, spaces instead of dashes.
    spoken = cert.verification_code.lower().replace("-", " ")
    assert _check(session, spoken) == found


def test_certificate_check_code_expired_and_revoked(session, world):
    cert = _granted(session, world)
    assert _check(session, cert.verification_code, now=cert.expires_at).status is Status.expired
    certification.revoke(session=session, actor=world.mila, certification_id=cert.id, reason="Fraude bij de toets",
                         now=NOW + timedelta(days=1))
    assert _check(session, cert.verification_code, now=NOW + timedelta(days=2)).status is Status.revoked
    assert _check(session, cert.verification_code, now=cert.expires_at + timedelta(days=1)).status is Status.revoked


@pytest.mark.parametrize("code", ["WT-AAAA-BBBB-CCCC", "", "WT-0000-1111-IIII", "x" * 5000, "' OR 1=1 --"])
def test_certificate_check_code_unknown_is_none(session, world, code):
    _granted(session, world)
    assert _check(session, code) is None


def test_certificate_check_code_unknown_codes_lock_the_address_not_others(session, world):
    cert = _granted(session, world)
    for _ in range(3):
        assert _check(session, "WT-AAAA-BBBB-CCCC") is None
    with pytest.raises(certification.VerifyThrottled) as refused:
        _check(session, cert.verification_code, now=NOW + timedelta(minutes=1))  # even a real code, once locked
    assert refused.value.until == NOW + timedelta(minutes=15)
    assert _check(session, cert.verification_code, client="203.0.113.9").status is Status.valid  # another address
    assert _check(session, cert.verification_code, now=NOW + timedelta(minutes=15)).status is Status.valid  # waited


def test_certificate_check_code_real_codes_never_use_up_the_guesses(session, world):
    cert = _granted(session, world)
    for _ in range(20):
        assert _check(session, cert.verification_code).status is Status.valid
    for _ in range(3):
        assert _check(session, "WT-AAAA-BBBB-CCCC") is None
    with pytest.raises(certification.VerifyThrottled):
        _check(session, "WT-AAAA-BBBB-CCCC")



def test_certificate_a_wrong_logo_stops_the_command_line_with_one_line(monkeypatch, tmp_path, capsys):
    from trainer.cli import main
    from trainer.settings import get_settings

    monkeypatch.setenv("ORGANISATION_LOGO", str(tmp_path / "logo.png"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    get_settings.cache_clear()
    try:
        assert main(["db", "status"]) == 2
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().err == \
        f"webcare db: error: ORGANISATION_LOGO: '{tmp_path / 'logo.png'}' does not exist (give the path of a PNG file)\n"
