"""查重 core: name keys, credit codes, phone numbers; examples and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehu.customers import normalize
from kehu.customers.normalize import (
    LANDLINE,
    LOCAL,
    MOBILE,
    SERVICE,
    credit_code_check_char,
    credit_code_error,
    is_valid_id_number,
    mask_name,
    name_key,
    parse_phone,
    phone_digits,
    pinyin_initials,
)

# --- company names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "华为技术（北京）有限公司",
        "北京华为技术有限公司",
        "华为技术(北京)有限公司",
        "華為技術有限公司",
        "华为技术有限公司北京分公司",
        "  华为 技术 有限责任公司 ",
        "北京市华为技术股份有限公司",
        "华为技术集团",
        "【北京】华为技术有限公司",
    ],
)
def test_the_forms_of_one_company_share_one_key(name):
    assert name_key(name) == "华为技术"


def test_full_width_latin_letters_and_case_do_not_matter():
    assert name_key("ＡＢＣ 科技 有限公司") == name_key("abc科技有限公司") == "abc科技"


def test_province_and_city_prefixes_both_go():
    assert name_key("广东省深圳市华强电子集团有限公司") == name_key("华强电子（深圳）有限公司") == "华强电子"


def test_a_region_stays_when_too_little_would_remain():
    # 北京银行 and 上海银行 are different banks: the region is their name.
    assert name_key("北京银行股份有限公司") == "北京银行"
    assert name_key("上海银行") == "上海银行"
    assert name_key("北京银行") != name_key("上海银行")


def test_a_longer_region_that_may_not_go_does_not_let_a_shorter_one_go():
    assert name_key("深圳市华强") == "深圳市华强"


def test_bracketed_words_that_are_not_regions_stay():
    assert name_key("美的（制冷设备）有限公司") == "美的制冷设备"


def test_legal_partnership_forms_go():
    assert name_key("金杜律师事务所（特殊普通合伙）") == "金杜律师事务所"


def test_empty_and_punctuation_only_names_give_an_empty_key():
    assert name_key("") == ""
    assert name_key("（）·、") == ""


COMPANY_CHARS = st.sampled_from(
    list("华为技术中兴通讯阿里巴巴腾讯科技鑫源食品设备恒达电子云帆物流北京上海深圳广东省市有限公司集团分股份责任")
    + list("abcXYZ0123456789")
)
NAMES = st.text(COMPANY_CHARS, min_size=0, max_size=24)
NOISE = st.sampled_from([" ", "　", "·", ",", "，", "。", "-", "_", "/", "、", "'", '"', "&", "!", "：", ";"])


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_name_key_is_idempotent(name):
    assert name_key(name_key(name)) == name_key(name)


@settings(max_examples=200, deadline=None)
@given(NAMES)
def test_name_key_ignores_full_width_forms(name):
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    assert name_key(full_width) == name_key(name)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(COMPANY_CHARS, st.lists(NOISE, max_size=2)), max_size=20))
def test_name_key_ignores_spaces_and_punctuation(pairs):
    plain = "".join(char for char, _noise in pairs)
    noisy = "".join(char + "".join(noise) for char, noise in pairs)
    assert name_key(noisy) == name_key(plain)


@settings(max_examples=200, deadline=None)
@given(NAMES)
def test_name_key_ignores_case(name):
    assert name_key(name.upper()) == name_key(name.lower())


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_name_key_never_fails_and_keeps_only_letters_and_digits(text):
    key = name_key(text)
    assert all(normalize._keep(char) for char in key)


# --- 统一社会信用代码 ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["914403001922038216", "91350100M000100Y43", "91110108551385082Q"])
def test_real_credit_codes_are_valid(code):
    assert credit_code_error(code) is None


def test_a_wrong_check_character_is_found():
    assert credit_code_error("914403001922038217") == "check"


def test_length_characters_and_authority_are_checked():
    assert credit_code_error("91440300192203821") == "length"
    assert credit_code_error("91440300192203821I") == "characters"  # I is not used
    assert credit_code_error("B14403001922038216") == "authority"


def test_codes_are_cleaned_before_checking():
    assert normalize.is_valid_credit_code(" 9144 0300 1922 0382 16 ")
    assert normalize.clean_credit_code("ｍａ１２") == "MA12"


@given(st.text(alphabet=normalize.CREDIT_CODE_CHARS, min_size=16, max_size=16))
def test_the_computed_check_character_makes_any_body_valid(body):
    code = "9" + body
    assert credit_code_error(code + credit_code_check_char(code)) is None


def test_id_numbers_have_a_check_character():
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("1101051949")


# --- phone numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "digits"),
    [
        ("13812345678", MOBILE, "13812345678"),
        ("138 1234 5678", MOBILE, "13812345678"),
        ("+86 138-1234-5678", MOBILE, "13812345678"),
        ("0086 13812345678", MOBILE, "13812345678"),
        ("8613812345678", MOBILE, "13812345678"),
        ("010-12345678", LANDLINE, "01012345678"),
        ("(010) 1234 5678", LANDLINE, "01012345678"),
        ("+86 10 1234 5678", LANDLINE, "01012345678"),
        ("+86-21-5555-1234", LANDLINE, "02155551234"),
        ("0571-88886666 转 123", LANDLINE, "057188886666"),
        ("010-12345678-8001", LANDLINE, "01012345678"),
        ("0755 2345678", LANDLINE, "07552345678"),
        ("400-810-8888", SERVICE, "4008108888"),
        ("88886666", LOCAL, "88886666"),
    ],
)
def test_phone_formats(text, kind, digits):
    phone = parse_phone(text)
    assert (phone.kind, phone.digits) == (kind, digits)


def test_extensions_are_kept_apart():
    assert parse_phone("0571-88886666 转 123").extension == "123"
    assert parse_phone("010-12345678-8001").display == "010-12345678-8001"


def test_garbage_is_not_a_phone():
    assert normalize.phone_error("abc") == "phone"
    assert normalize.phone_error("010-12345678", mobile=True) == "mobile"
    assert parse_phone("") is None


MOBILES = st.from_regex(r"\A1[3-9][0-9]{9}\Z", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(MOBILES, st.sampled_from(["", "+86 ", "0086", "+86-", "86"]), st.lists(st.sampled_from([" ", "-"]), max_size=3))
def test_a_mobile_reads_the_same_however_written(mobile, prefix, separators):
    written = mobile
    for index, separator in zip((3, 7, 9), separators, strict=False):
        written = written[:index] + separator + written[index:]
    assert phone_digits(prefix + written) == mobile


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["010", "021", "0571", "0755"]), st.from_regex(r"\A[2-8][0-9]{7}\Z", fullmatch=True))
def test_a_landline_reads_the_same_however_written(area, number):
    expected = area + number
    for written in (f"{area}-{number}", f"({area}){number}", f"+86 {area[1:]} {number}", f"{area} {number[:4]} {number[4:]}"):
        assert phone_digits(written) == expected


# --- search helpers ----------------------------------------------------------------------------


def test_pinyin_initials():
    assert pinyin_initials("华为技术有限公司") == "hwjsyxgs"
    assert pinyin_initials("重庆啤酒") == "cqpj"  # 重 read as chong in 重庆
    assert pinyin_initials("ABC科技") == "abckj"


def test_masked_names_keep_only_first_and_last_character():
    assert mask_name("华为技术有限公司") == "华******司"
    assert mask_name("张伟") == "张*"


# --- the fast paths agree with the libraries they shortcut -----------------------------------

# Simplified and traditional characters, the phrases t2s treats specially, letters and digits.
_HAN = "华為为技術术北京重慶庆厦門门长長沙银銀行乾隆燥有限公司州海上東东發发展臺台灣湾一併了瞭"
_texts = st.text(alphabet=_HAN + "abcXYZ019 （）()·-", max_size=24)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_to_simplified_agrees_with_opencc(text):
    from opencc_purepy import OpenCC

    assert normalize.to_simplified(text) == OpenCC("t2s").convert(text)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_pinyin_initials_agree_with_pypinyin(text):
    from pypinyin import Style, lazy_pinyin

    cleaned = normalize.strip_punctuation(normalize.clean_text(text))
    expected = "".join(lazy_pinyin(cleaned, style=Style.FIRST_LETTER, errors="default")).lower()
    assert pinyin_initials(text) == expected


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_full_pinyin_agrees_with_pypinyin(text):
    from pypinyin import lazy_pinyin

    cleaned = normalize.strip_punctuation(normalize.clean_text(text))
    assert normalize.pinyin_full(text) == " ".join(lazy_pinyin(cleaned)).lower()
