"""Code tables on the card: sex (GB/T 2261.1), nation (GB 3304), and the SAM's SW3 status codes."""

from __future__ import annotations

SEX = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
SEX_CODES = {name: code for code, name in SEX.items()}

_NATIONS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
NATION = {f"{index:02d}": name for index, name in enumerate(_NATIONS, start=1)}
NATION.update({"97": "其他", "98": "外国血统中国籍人士"})
NATION_CODES = {name: code for code, name in NATION.items()}

# SW3 -> (error code, meaning). 0x90 and 0x9F are successes.
SW3_OK = 0x90
SW3_CARD_FOUND = 0x9F
SW3_ITEM_EMPTY = 0x91
SW3_CODES: dict[int, tuple[str, str]] = {
    0x10: ("host_checksum_error", "the reader saw a checksum error in our command"),
    0x11: ("host_length_error", "the reader saw a length error in our command"),
    0x21: ("bad_command", "the reader does not know this command"),
    0x23: ("not_permitted", "operation not permitted"),
    0x24: ("unknown_error", "the reader reported an unknown error"),
    0x31: ("card_auth_sam_failed", "the card failed to authenticate the SAM"),
    0x32: ("sam_auth_card_failed", "the SAM failed to authenticate the card"),
    0x33: ("verification_error", "card information verification failed"),
    0x40: ("unknown_card_type", "unknown card type"),
    0x41: ("read_failed", "reading the card failed"),
    0x47: ("random_failed", "fetching a random number failed"),
    0x60: ("sam_self_test_failed", "the SAM module failed its self-test"),
    0x66: ("sam_not_authorised", "the SAM module is not authorised"),
    0x80: ("no_card", "no card found on the reader"),
    0x81: ("select_failed", "selecting the card failed"),
    0x91: ("item_empty", "the item is empty"),
}

# Failures worth another try within the deadline (link noise, a card moved slightly).
TRANSIENT_SW3 = frozenset({0x10, 0x11, 0x24, 0x31, 0x32, 0x33, 0x41, 0x47, 0x81})
# Failures of the module itself: the device is out of order until a technician acts.
HARDWARE_SW3 = frozenset({0x60, 0x66})
