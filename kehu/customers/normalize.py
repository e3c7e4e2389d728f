"""查重 core: company-name keys, 统一社会信用代码 and phone numbers, without Django.

`name_key("华为技术（北京）有限公司") == name_key("北京華為技術有限公司") == "华为技术"`:
full/half width, traditional characters, case, spaces and punctuation, bracketed
regions, leading and trailing province/city names, legal-form and branch suffixes
do not make two names different. The key is what the duplicate check compares;
it is never shown as the customer's name.

`credit_code_error(code)` checks an 18-character 统一社会信用代码 against
GB 32100-2015 (character set, registration authority and its check character).

`parse_phone(text)` reads Chinese mobile, landline and 400/800 numbers in the
forms people type them (+86, 0086, spaces, dashes, brackets, extensions) and
gives the digits the duplicate check and the search compare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- text cleaning -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s():
    """The traditional → simplified converter (a static dictionary, loaded once per process)."""
    from opencc_purepy import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_triggers() -> tuple[frozenset[str], tuple[str, ...]] | None:
    """What must be in a text for t2s to change it: one of the converter's single traditional
    characters, or one of the few phrases made only of other characters. None when the
    converter's tables are not laid out as expected (then every text is converted)."""
    try:
        dictionary = _t2s().dictionary
        characters, phrases = dictionary.ts_characters[0], dictionary.ts_phrases[0]
        keys = [*characters, *phrases]
    except (AttributeError, IndexError, TypeError):
        return None
    singles = frozenset(key for key in keys if len(key) == 1)
    others = tuple(key for key in keys if len(key) > 1 and not any(char in singles for char in key))
    return singles, others


def to_simplified(text: str) -> str:
    if not text or text.isascii():
        return text
    triggers = _t2s_triggers()
    if triggers is not None:
        singles, others = triggers
        if not any(char in singles for char in text) and not any(other in text for other in others):
            return text  # nothing the converter would change: skip its 60 µs
    return _t2s().convert(text)


def clean_text(text: str) -> str:
    """NFKC (full width → half width), simplified characters, lower case, trimmed spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text)
    return " ".join(text.lower().split())


def _keep(char: str) -> bool:
    return unicodedata.category(char)[0] in {"L", "N"}


def strip_punctuation(text: str) -> str:
    """Only letters and digits remain: spaces, punctuation and symbols go."""
    return "".join(char for char in text if _keep(char))


# --- regions -----------------------------------------------------------------------------

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
# Prefecture-level cities people put in front of or behind company names (not exhaustive:
# a name keeps an unknown place name, which only makes the key a little longer).
CITIES = (
    "石家庄", "唐山", "秦皇岛", "邯郸", "保定", "张家口", "承德", "沧州", "廊坊", "衡水", "邢台",
    "太原", "大同", "长治", "晋中", "临汾", "运城", "呼和浩特", "包头", "鄂尔多斯", "赤峰",
    "沈阳", "大连", "鞍山", "抚顺", "丹东", "锦州", "营口", "长春", "吉林", "四平", "哈尔滨",
    "齐齐哈尔", "大庆", "牡丹江", "南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安",
    "盐城", "扬州", "镇江", "泰州", "宿迁", "昆山", "江阴", "张家港", "杭州", "宁波", "温州", "嘉兴",
    "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌", "合肥", "芜湖", "蚌埠", "马鞍山",
    "安庆", "阜阳", "福州", "厦门", "莆田", "泉州", "漳州", "南平", "龙岩", "宁德", "南昌", "赣州",
    "九江", "上饶", "景德镇", "济南", "青岛", "淄博", "枣庄", "烟台", "潍坊", "济宁", "泰安", "威海",
    "日照", "临沂", "德州", "聊城", "滨州", "菏泽", "郑州", "开封", "洛阳", "平顶山", "安阳", "新乡",
    "焦作", "许昌", "南阳", "商丘", "信阳", "武汉", "黄石", "十堰", "宜昌", "襄阳", "荆州", "孝感",
    "黄冈", "长沙", "株洲", "湘潭", "衡阳", "岳阳", "常德", "郴州", "广州", "深圳", "珠海", "汕头",
    "佛山", "江门", "湛江", "茂名", "肇庆", "惠州", "梅州", "汕尾", "河源", "阳江", "清远", "东莞",
    "中山", "潮州", "揭阳", "南宁", "柳州", "桂林", "梧州", "北海", "海口", "三亚", "成都", "自贡",
    "攀枝花", "泸州", "德阳", "绵阳", "宜宾", "南充", "乐山", "贵阳", "遵义", "昆明", "曲靖", "玉溪",
    "大理", "拉萨", "西安", "宝鸡", "咸阳", "渭南", "延安", "榆林", "兰州", "天水", "西宁", "银川",
    "乌鲁木齐", "克拉玛依",
)
REGION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
# Longest first, so 黑龙江省 wins over 黑龙江 and 北京市 over 北京.
REGION_WORDS = tuple(
    sorted(
        {f"{place}{suffix}" for place in (*PROVINCES, *CITIES) for suffix in REGION_SUFFIXES}
        | set(PROVINCES)
        | set(CITIES)
        | {"中国"},
        key=len,
        reverse=True,
    )
)
_REGION_SET = frozenset(REGION_WORDS)

# --- legal-form and branch suffixes ----------------------------------------------------------

LEGAL_SUFFIXES = tuple(
    sorted(
        (
            "股份有限公司", "有限责任公司", "有限公司", "股份公司", "责任公司", "总公司", "公司",
            "集团", "控股", "普通合伙", "有限合伙", "特殊普通合伙", "合伙企业", "个体工商户",
            "个人独资企业", "有限", "co", "ltd", "inc", "corp", "corporation", "company", "limited",
            "llc", "gmbh",
        ),
        key=len,
        reverse=True,
    )
)
BRANCH_SUFFIXES = tuple(
    sorted(
        ("分公司", "子公司", "办事处", "分厂", "营业部", "分部", "分店", "分所", "分中心", "门市部",
         "经营部", "代表处", "分行", "支行", "branch", "office"),
        key=len,
        reverse=True,
    )
)
SUFFIXES = tuple(sorted({*BRANCH_SUFFIXES, *LEGAL_SUFFIXES}, key=len, reverse=True))
# A region or suffix is taken off only when at least this many characters stay:
# 北京银行 stays 北京银行 (银行 alone says nothing), 北京华为技术 becomes 华为技术.
MIN_CORE = 3

_BRACKETS = re.compile(r"[(\[{【〔［〈《]([^()\[\]{}【】〔〕［］〈〉《》]*)[)\]}】〕］〉》]")


def _strip_brackets(text: str) -> str:
    """(北京) and (普通合伙) go; other bracketed words stay, without their brackets."""

    def replace(match: re.Match) -> str:
        inner = strip_punctuation(match.group(1))
        if not inner or inner in _REGION_SET or inner in LEGAL_SUFFIXES or inner in BRANCH_SUFFIXES:
            return " "
        return f" {inner} "

    previous = None
    while previous != text:
        previous, text = text, _BRACKETS.sub(replace, text)
    return text


def _index(words: tuple[str, ...]) -> tuple[frozenset[str], tuple[int, ...]]:
    return frozenset(words), tuple(sorted({len(word) for word in words}, reverse=True))


def _longest(core: str, index: tuple[frozenset[str], tuple[int, ...]], *, at_start: bool) -> str | None:
    """The longest of the indexed words at the start (or end) of `core`: a few set lookups."""
    found, lengths = index
    for length in lengths:
        if length <= len(core):
            piece = core[:length] if at_start else core[-length:]
            if piece in found:
                return piece
    return None


_SUFFIX_INDEX = _index(SUFFIXES)
_REGION_INDEX = _index(REGION_WORDS)


def _strip_affixes(core: str) -> str:
    """Take legal-form and branch suffixes and leading/trailing regions off, to a fixed point.

    Only the longest matching word is considered at each end: when 深圳市 may not go
    (too little would stay), 深圳 does not go either.
    """
    while True:
        for words, at_start in (
            (_SUFFIX_INDEX, False), (_REGION_INDEX, True), (_REGION_INDEX, False),
        ):
            word = _longest(core, words, at_start=at_start)
            if word and len(core) - len(word) >= MIN_CORE:
                core = core[len(word):] if at_start else core[: -len(word)]
                break
        else:
            return core


def _name_key_once(name: str) -> str:
    text = _strip_brackets(clean_text(name))
    return _strip_affixes(strip_punctuation(text))


def name_key(name: str) -> str:
    """The comparison key of a company name (empty for an empty name); idempotent."""
    key = name or ""
    for _ in range(5):  # cleaning can expose another suffix; stop at the fixed point
        new = _name_key_once(key)
        if new == key:
            break
        key = new
    return key


def person_key(name: str) -> str:
    """The comparison key of a person's name: cleaned, no spaces or punctuation (·, dots)."""
    return strip_punctuation(clean_text(name))


def display_name(name: str) -> str:
    """What is stored as the name: as typed (full-width brackets stay), single spaces, trimmed."""
    return " ".join((name or "").split())


# --- 统一社会信用代码 (GB 32100-2015) ----------------------------------------------------------

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: the registration authority (1 机构编制, 5 民政, 9 工商, Y 其他 …).
CREDIT_CODE_AUTHORITIES = "123456789ANY"


def clean_credit_code(code: str) -> str:
    text = unicodedata.normalize("NFKC", code or "").upper()
    return "".join(char for char in text if char.isalnum())


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARS.index(char) * weight for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=False))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Why `code` (already cleaned) is not a valid code, as a short English reason; None if valid."""
    if len(code) != 18:
        return "length"
    if any(char not in CREDIT_CODE_CHARS for char in code):
        return "characters"
    if code[0] not in CREDIT_CODE_AUTHORITIES:
        return "authority"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_error(clean_credit_code(code)) is None


# --- phone numbers -------------------------------------------------------------------------

MOBILE = "mobile"
LANDLINE = "landline"
SERVICE = "service"  # 400/800 numbers
LOCAL = "local"  # a landline without its area code
UNKNOWN = "unknown"

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_EXTENSION_RE = re.compile(r"(?:转|分机|ext\.?|x|#)\s*\d+\s*$", re.IGNORECASE)
# Two-digit area codes: 010 Beijing, 020-029 big cities; every other area code has three digits.
_TWO_DIGIT_AREAS = {"10", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29"}


@dataclass(frozen=True)
class Phone:
    kind: str
    digits: str  # what the duplicate check and the search compare: 13812345678, 01012345678
    display: str  # 138 1234 5678 → 13812345678, 010-12345678
    extension: str = ""


def parse_phone(text: str) -> Phone | None:
    """Read one phone number; None for an empty value."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    extension = ""
    match = _EXTENSION_RE.search(raw)
    if match:
        extension = re.sub(r"\D", "", match.group(0))
        raw = raw[: match.start()]
    international = raw.lstrip().startswith("+")
    groups = re.findall(r"\d+", raw)
    # 010-12345678-123: a third group after a full landline is an extension.
    if (
        not extension
        and len(groups) == 3
        and groups[0].startswith("0")
        and 3 <= len(groups[0]) <= 4
        and 7 <= len(groups[1]) <= 8
        and len(groups[2]) <= 5
    ):
        extension = groups.pop()
    digits = "".join(groups)
    if not digits:
        return Phone(UNKNOWN, "", raw)
    if digits.startswith("0086"):
        digits, international = digits[4:], True
    elif digits.startswith("86") and (international or (len(digits) == 13 and _MOBILE_RE.match(digits[2:]))):
        digits = digits[2:]
    if international and not digits.startswith(("0", "400", "800")) and not _MOBILE_RE.match(digits):
        digits = "0" + digits  # +86 10 1234 5678 → 010 1234 5678
    if _MOBILE_RE.match(digits):
        return Phone(MOBILE, digits, digits, extension)
    if len(digits) == 10 and digits[:3] in {"400", "800"}:
        return Phone(SERVICE, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", extension)
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area_len = 3 if digits[1:3] in _TWO_DIGIT_AREAS else 4
        area, number = digits[:area_len], digits[area_len:]
        if 7 <= len(number) <= 8:
            display = f"{area}-{number}" + (f"-{extension}" if extension else "")
            return Phone(LANDLINE, digits, display, extension)
    if 7 <= len(digits) <= 8 and not digits.startswith("0"):
        return Phone(LOCAL, digits, digits + (f"-{extension}" if extension else ""), extension)
    return Phone(UNKNOWN, digits, raw.strip(), extension)


def phone_digits(text: str) -> str:
    """The comparable digits of a phone number, '' when there is none."""
    phone = parse_phone(text)
    return phone.digits if phone else ""


def phone_error(text: str, *, mobile: bool = False) -> str | None:
    """Why `text` is not a usable phone number ('mobile' requires a mobile number); None if fine."""
    phone = parse_phone(text)
    if phone is None:
        return None
    if mobile:
        return None if phone.kind == MOBILE else "mobile"
    return None if phone.kind in {MOBILE, LANDLINE, SERVICE, LOCAL} else "phone"


# --- search --------------------------------------------------------------------------------


def _first_letter(syllable: str) -> str:
    return unicodedata.normalize("NFKD", syllable)[0].lower()


@lru_cache(maxsize=65536)
def _word_initials(word: str) -> str:
    """Initials of one segment: the phrase's own readings (重庆 → cq), else each character's
    most common reading; anything without a reading passes through."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    readings = PHRASES_DICT.get(word)
    if readings and len(readings) == len(word):
        return "".join(_first_letter(reading[0]) for reading in readings)
    letters = []
    for char in word:
        reading = PINYIN_DICT.get(ord(char))
        letters.append(_first_letter(reading.split(",", 1)[0]) if reading else char)
    return "".join(letters)


def pinyin_initials(text: str) -> str:
    """hwjsyxgs for 华为技术有限公司 (letters and digits pass through, lower case).

    The same answer as pypinyin's `lazy_pinyin(..., style=FIRST_LETTER)` (its own phrase
    segmentation and dictionaries), about ten times faster: imports compute it per row.
    """
    from pypinyin.seg.mmseg import seg

    cleaned = strip_punctuation(clean_text(text))
    if not cleaned:
        return ""
    return "".join(_word_initials(word) for word in seg.cut(cleaned)).lower()


@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))


def pinyin_full(text: str) -> str:
    """"hua wei ji shu you xian gong si" for 华为技术有限公司: what lists sort names by.

    pypinyin's own segmentation and readings, converted one cached segment at a time:
    company names share most of their words (有限公司, cities, trades), so an import of many
    names costs a fraction of converting each whole name.
    """
    from pypinyin.seg.mmseg import seg as words_of
    from pypinyin.seg.simpleseg import seg

    cleaned = strip_punctuation(clean_text(text))
    syllables = []
    for run in seg(cleaned):
        # A run of Chinese characters is cut into words the way pypinyin cuts it (mmseg), so each
        # word is converted once however many names share it; other runs pass as they are.
        for word in words_of.cut(run) if run and _is_han(run[0]) else (run,):
            syllables += _word_pinyin(word)
    return " ".join(syllables).lower()


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def mask_name(name: str) -> str:
    """华******司: what a user sees of a customer outside their scope in a duplicate warning."""
    text = (name or "").strip()
    if len(text) <= 1:
        return "*"
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * min(len(text) - 2, 8) + text[-1]


# --- 居民身份证号码 (GB 11643-1999) ----------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def clean_id_number(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").upper().split())


def is_valid_id_number(value: str) -> bool:
    """An 18-character resident ID number with a correct check character."""
    code = clean_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", code):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(code[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == code[17]
