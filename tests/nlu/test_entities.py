"""Entities as customers write them: every carrier's codes, the shop's own order codes, phones."""

from __future__ import annotations

import pytest

from bot.nlu.entities import extract

TRACKING = [
    ("GHN: GAN6D8A9 tới đâu rồi", "GAN6D8A9", "ghn"),
    ("ghtk S1.A1.17373471", "S1.A1.17373471", "ghtk"),
    ("mã viettel post 301298000044", "301298000044", "viettelpost"),
    ("j&t 841000072647", "841000072647", "jnt"),
    ("ninja van SPEVN12345678", "SPEVN12345678", "ninjavan"),
    ("mã NLVN00012345", "NLVN00012345", "ninjavan"),
    ("bưu điện EB123456789VN", "EB123456789VN", "vnpost"),
    ("SPXVN012345678901 giao chưa", "SPXVN012345678901", "spx"),
    ("ahamove 22VMV54W", "22VMV54W", "ahamove"),
    ("best express BEST12345678", "BEST12345678", "best"),
]


@pytest.mark.parametrize(("text", "code", "carrier"), TRACKING)
def test_every_supported_carriers_tracking_code_is_found(text: str, code: str, carrier: str) -> None:
    found = extract(text)
    assert (found.tracking_code, found.carrier) == (code, carrier)


@pytest.mark.parametrize("text", ["vận đơn 123456789012 tới đâu rồi", "mã vận đơn: 123456789012", "van don so 123456789012"])
def test_a_long_number_after_van_don_is_a_tracking_code(text: str) -> None:
    found = extract(text)
    assert found.tracking_code == "123456789012" and found.order_code is None and found.phone is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("đơn số 123 của em", "123"), ("mã đơn 4567 giao chưa", "4567"), ("đơn hàng số 88 bị lỗi", "88"),
     ("order number 556677", "556677"), ("mã đơn DH-2024-0042 ạ", "DH-2024-0042")],
)
def test_order_numbers_said_in_words_are_order_codes(text: str, code: str) -> None:
    assert extract(text).order_code == code


def test_the_shops_own_order_code_pattern_is_used_when_set() -> None:
    assert extract("đơn SHOP12345 tới đâu", pattern=r"SHOP\d{5}").order_code == "SHOP12345"
    assert extract("đơn 20241201 tới đâu", pattern=r"2024\d{4}").order_code == "20241201"


def test_without_the_pattern_a_bare_number_is_not_an_order_code() -> None:
    assert extract("em đặt 20241201 rồi").order_code is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [("0987654321", "0987654321"), ("0987 654 321", "0987654321"), ("0987.654.321", "0987654321"),
     ("0987-654-321", "0987654321"), ("098 765 4321", "0987654321"), ("+84 987 654 321", "+84987654321"),
     ("+84987654321", "+84987654321"), ("84987654321", "84987654321"), ("(+84) 987-654-321", "+84987654321"),
     ("+84 (0) 987 654 321", "+84987654321"), ("sđt em: 0912.345.678 nhé", "0912345678")],
)
def test_phones_are_found_in_every_vietnamese_writing(text: str, phone: str) -> None:
    assert extract(text).phone == phone


def test_a_phone_is_never_taken_for_an_order_or_tracking_code() -> None:
    found = extract("số em 0987654321 đơn HM1001")
    assert (found.phone, found.order_code, found.tracking_code) == ("0987654321", "HM1001", None)
