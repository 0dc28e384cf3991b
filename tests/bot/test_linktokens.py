from datetime import date

from bot.linktokens import make_token, read_token

SECRET = b"k" * 32


def test_a_token_names_the_order_it_was_made_for() -> None:
    token = make_token(SECRET, "HM1001", date(2026, 12, 31))
    assert read_token(SECRET, token, date(2026, 12, 1)) == "HM1001"


def test_a_token_fits_telegram_start_parameters() -> None:
    token = make_token(SECRET, "DH-2024-000042", date(2026, 12, 31))
    assert len(token) <= 64
    assert all(c.isalnum() or c in "_-" for c in token)


def test_a_forged_token_is_refused() -> None:
    token = make_token(SECRET, "HM1001", date(2026, 12, 31))
    assert read_token(b"other" * 8, token, date(2026, 12, 1)) is None
    assert read_token(SECRET, token[:-1] + ("A" if token[-1] != "A" else "B"), date(2026, 12, 1)) is None


def test_an_expired_token_is_refused() -> None:
    token = make_token(SECRET, "HM1001", date(2026, 12, 31))
    assert read_token(SECRET, token, date(2027, 1, 1)) is None


def test_garbage_is_refused_without_error() -> None:
    for garbage in ("", "_", "abc", "%%%_xyz", "a" * 500):
        assert read_token(SECRET, garbage, date(2026, 12, 1)) is None


def test_tokens_whose_signature_contains_the_separator_still_read() -> None:
    for n in range(300):  # base64url signatures contain "_" and "-" often enough
        token = make_token(SECRET, f"HM{n}", date(2026, 12, 31))
        assert read_token(SECRET, token, date(2026, 12, 1)) == f"HM{n}"
