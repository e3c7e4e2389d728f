from kehu.core.audit.masking import mask_all, mask_email, mask_id, mask_phone


def test_mobile_keeps_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_mobile_with_country_code_and_dashes_is_masked_like_a_mainland_number():
    assert mask_phone("+86 138-1234-5678") == "138****5678"


def test_short_number_never_shows_more_than_two_digits():
    assert mask_phone("12345") == "****45"


def test_id_number_keeps_first_three_and_last_four_characters():
    assert mask_id("110101199003071234") == "110***********1234"
    assert mask_id("11010119900307123X") == "110***********123X"


def test_email_keeps_first_letter_and_domain():
    assert mask_email("zhangsan@example.com") == "z***@example.com"


def test_empty_values_stay_empty():
    assert (mask_phone(""), mask_id(None), mask_email(""), mask_all("")) == ("", "", "", "")


def test_mask_all_hides_everything():
    assert mask_all("6222 0000 1111 2222") == "****"
