"""Every text of the citizen screens by key, Chinese and English: the screens' own chrome (header, footer,
guides, buttons, below) and the texts of every key a flow can send (the core's catalogue, kiosk/texts).

A key without a text is never shown as made-up words: the screen shows nothing for it and the translator
records it (tests fail on any). Site texts from config `ui.texts` override a text: "key" for Chinese,
"en:key" for English; keys starting "notice." are notices for the attract screen.

The core's catalogue imports the service packages; the first paint needs only the chrome, so `table()`
takes the core's texts only once `load_core_texts()` has run (at once in tests; after the first frame in
the kiosk).
"""

from __future__ import annotations

from functools import cache

LANGUAGES = ("zh", "en")

CHROME: dict[str, tuple[str, str]] = {
    # --- frame ---------------------------------------------------------------------------------------------
    "brand.tagline": ("24小时自助服务", "24-hour self-service"),
    "chrome.language": ("English", "中文"),
    "chrome.large": ("大字", "Large"),
    "chrome.contrast": ("高对比", "Contrast"),
    "chrome.low_reach": ("低位操作", "Low reach"),
    "footer.back": ("返回", "Back"),
    "footer.home": ("首页", "Home"),
    "footer.help": ("求助", "Help"),
    "footer.idle": ("{s}秒", "{s} s"),
    "footer.idle_caption": ("无操作\n自动返回", "Idle\nreset"),
    "stepper.of": ("第{n}步 / 共{of}步", "Step {n} of {of}"),
    "busy.wait": ("请稍候…", "Please wait…"),
    "money.yuan": ("¥{yuan}", "¥{yuan}"),
    "value.with_unit": ("{value}{unit}", "{value} {unit}"),
    "speech.replay": ("再听一遍", "Listen again"),
    "reach.note": ("低位操作：所有按钮都在下方", "Low reach: every button is further down"),
    # --- attract and home --------------------------------------------------------------------------------------
    "attract.title": ("自助办理 随到随办", "Self-service, any time"),
    "attract.touch": ("请触摸屏幕开始", "Touch the screen to start"),
    "attract.touch_other": ("Touch the screen to start", "请触摸屏幕开始"),
    "attract.services": ("本机可办理", "At this kiosk"),
    "attract.help": ("求助电话 {phone}", "Help line {phone}"),
    "home.title": ("请选择要办理的业务", "Choose a service"),
    "home.subtitle": ("触摸业务，先看办事指南再开始", "Touch a service to see what you need"),
    "service.temp_id": ("临时居民身份证", "Temporary resident ID card"),
    "service.certificate": ("无犯罪记录证明", "Certificate of No Criminal Record"),
    "service.traffic": ("交通违法处理", "Traffic violations"),
    "service.endorsement": ("港澳签注", "HK & Macao endorsement"),
    "service.temp_id.desc": ("身份证办理期间使用", "While your ID card is made"),
    "service.certificate.desc": ("本人申请，当场打印", "For yourself, printed here"),
    "service.traffic.desc": ("电子监控违法缴款", "Camera-recorded fines"),
    "service.endorsement.desc": ("通行证再次签注", "Re-endorse your permit"),
    "tile.available": ("可以办理", "Available"),
    "tile.unavailable": ("暂停服务", "Not available now"),
    "tile.instead": ("可到附近自助机或窗口办理", "Use another kiosk or a counter"),
    "tile.instead.starting": ("马上就好，请稍候", "Ready in a moment"),
    "tile.guide": ("办事指南", "What you need"),
    # --- guide (办事指南) --------------------------------------------------------------------------------------
    "guide.bring": ("需要携带", "Bring"),
    "guide.fee": ("费用", "Fee"),
    "guide.time": ("用时", "Time"),
    "guide.notes": ("请注意", "Please note"),
    "guide.start": ("开始办理", "Start"),
    "guide.unavailable": ("暂停服务：{reason}", "Not available now: {reason}"),
    "guide.temp_id.bring": ("本人到场；记住本人身份证号码", "Come in person and know your ID number"),
    "guide.temp_id.fee": ("10元，手机扫码支付", "¥10, paid by phone"),
    "guide.temp_id.time": ("约3分钟，当场制卡", "About 3 minutes, card made here"),
    "guide.temp_id.notes": ("须有正在办理中的身份证申请", "You need an ID card application in progress"),
    "guide.certificate.bring": ("本人居民身份证", "Your resident ID card"),
    "guide.certificate.fee": ("免费", "Free"),
    "guide.certificate.time": ("约2分钟，当场打印", "About 2 minutes, printed here"),
    "guide.certificate.notes": ("仅限本人申请；有记录的须到窗口办理", "For yourself only; records go to a counter"),
    "guide.traffic.bring": ("驾驶人身份证，或车牌号和车架号后6位", "The driver's ID card, or plate and last 6 of VIN"),
    "guide.traffic.fee": ("按违法记录缴纳罚款，手机扫码支付", "The fines shown, paid by phone"),
    "guide.traffic.time": ("约3分钟", "About 3 minutes"),
    "guide.traffic.notes": ("仅限电子监控记录；满12分须到窗口", "Camera records only; 12 points go to a counter"),
    "guide.endorsement.bring": ("往来港澳通行证（卡式）", "Your Hong Kong & Macao travel permit (card)"),
    "guide.endorsement.fee": ("一次有效15元，二次有效30元", "¥15 one entry, ¥30 two entries"),
    "guide.endorsement.time": ("约2分钟，当场签注", "About 2 minutes, endorsed here"),
    "guide.endorsement.notes": ("本人到场；团队旅游签注须旅行社组团", "In person; group tours need an agency"),
    # --- refused intents (a FlowError's code; the view stays) ---------------------------------------------
    "error.intent_not_allowed": ("现在不能这样操作", "That is not possible now"),
    "error.not_allowed": ("现在不能这样操作", "That is not possible now"),
    "error.bad_input": ("输入的内容不正确，请核对", "Something you entered is not right"),
    # --- certificate purposes: site-configured Chinese words; shown as they are unless named here ----------
    "purpose.就业": ("就业", "Employment"),
    "purpose.出国（境）": ("出国（境）", "Going abroad"),
    "purpose.入学": ("入学", "School admission"),
    "purpose.收养": ("收养", "Adoption"),
    "purpose.其他": ("其他", "Other"),
    # --- device guidance ---------------------------------------------------------------------------------------
    "card.where": ("读卡区在屏幕下方，亮灯处", "The reader is below the screen, where the light is"),
    "card.waiting": ("正在等待读卡…", "Waiting for your card…"),
    "card.enter_number": ("没带身份证？输入号码", "No card? Type the number"),
    "card.by_plate": ("按车牌号查询", "Look up by plate number"),
    "card.hold": ("读卡时请不要移动卡片", "Keep the card still"),
    "slot.reader": ("读卡区", "Card reader"),
    "slot.card": ("制卡出口", "Card exit"),
    "slot.a4": ("文件出口", "Document exit"),
    "slot.receipt": ("凭证出口", "Receipt exit"),
    "slot.permit": ("通行证读写区", "Permit reader"),
    "slot.camera": ("摄像头", "Camera"),
    # --- ID number and plate -------------------------------------------------------------------------------
    "id.label": ("公民身份号码", "ID number"),
    "id.typed": ("已输入 {n}/18 位", "{n} of 18 characters"),
    "id.ok": ("号码格式正确", "The number looks right"),
    "id.read_card": ("改为刷身份证", "Use ID card"),
    "id.error.bad_length": ("身份证号码是18位，请补全", "An ID number has 18 characters"),
    "id.error.bad_format": ("只能输入数字，X 只能在最后一位", "Digits only; X only as the last character"),
    "id.error.bad_birth_date": ("第7-14位的出生日期不正确，请核对", "Characters 7-14 are not a real birth date"),
    "id.error.bad_check_digit": ("最后一位（校验码）不对，请核对号码", "The last character does not match"),
    "key.backspace": ("删除", "Delete"),
    "key.clear": ("清空", "Clear"),
    "btn.next": ("下一步", "Next"),
    "permit.label": ("往来港澳通行证号码", "Travel permit number"),
    "permit.typed": ("已输入 {n}/9 位", "{n} of 9"),
    "permit.ok": ("号码格式正确", "The number looks right"),
    "permit.where": ("通行证读写区在屏幕下方，亮灯处", "The permit reader is below the screen, where the light is"),
    "permit.hold": ("写入完成前请不要取走通行证", "Leave the permit until it is written"),
    "endorsement.kind": ("{type} · {entries}", "{type} · {entries}"),
    "endorsement.validity": ("有效期 {n} 个月", "Valid {n} months"),
    "plate.label": ("车牌号码", "Plate number"),
    "plate.type": ("号牌种类", "Plate type"),
    "plate.vin6": ("车架号后6位", "Last 6 of the VIN"),
    "plate.vin6_short": ("车架号后6位", "VIN last 6"),
    "plate.typed": ("已输入 {n}/{of} 位", "{n} of {of} characters"),
    "plate.new_energy_hint": ("新能源车牌为8位（绿色号牌）", "New-energy (green) plates have 8 characters"),
    "plate.provinces": ("省份", "Province"),
    "plate.letters": ("字母 / 数字", "Letters / digits"),
    "plate.error.not_province": ("第1位应为省份简称，如“京”", "Start with the province, e.g. 京"),
    "plate.error.not_letter": ("第2位应为字母", "The 2nd character is a letter"),
    "plate.error.letter_i_o": ("车牌中没有字母 I 和 O", "Plates never use the letters I and O"),
    "plate.error.bad_character": ("只能输入字母和数字", "Only letters and digits"),
    "plate.error.new_energy_class": ("新能源车牌此处应为 D 或 F", "New-energy plates have D or F here"),
    "plate.error.digit_expected": ("此处只能是数字", "Only a digit is allowed here"),
    "plate.error.too_long": ("车牌号码位数过多", "Too many characters"),
    "plate.error.too_short": ("车牌号码还没输完", "The plate number is not complete"),
    "plate.error.vin_length": ("请输入车架号最后6位", "Enter the last 6 characters of the VIN"),
    "plate.error.vin_character": ("车架号中没有 I、O、Q", "A VIN has no I, O or Q"),
    # --- face ----------------------------------------------------------------------------------------------
    "face.attempt": ("第 {n} 次，共 {of} 次", "Attempt {n} of {of}"),
    "face.no_camera": ("正在打开摄像头…", "Starting the camera…"),
    "face.look_here": ("请看这里", "Look here"),
    "face.challenge.blink": ("请眨眨眼", "Please blink"),
    "face.challenge.turn_left": ("请慢慢向左转头", "Slowly turn your head left"),
    "face.challenge.turn_right": ("请慢慢向右转头", "Slowly turn your head right"),
    "face.challenge_of": ("动作 {n} / {of}", "Action {n} of {of}"),
    "face.time_left": ("还剩 {s} 秒", "{s} s left"),
    "face.capture": ("拍照", "Take photo"),
    # --- choices, confirm, pay -----------------------------------------------------------------------------
    "items.fine": ("罚款 ¥{yuan}", "Fine ¥{yuan}"),
    "items.late_fee": ("滞纳金 ¥{yuan}", "Late fee ¥{yuan}"),
    "items.points": ("记 {n} 分", "Points: {n}"),
    "items.total": ("已选 {count} 条 · 合计 ¥{yuan} · 记 {points} 分", "Chosen: {count} · ¥{yuan} · points: {points}"),
    "items.points_total": ("本记分周期已记 {n} 分", "Points this period: {n}"),
    "items.none_selected": ("请至少选择一条", "Choose at least one"),
    "items.not_here": ("不能在本机处理", "Cannot be handled here"),
    "confirm.amount": ("应缴金额", "Amount due"),
    "confirm.free": ("免费", "Free"),
    "confirm.button": ("确认无误", "Confirm"),
    "pay.scan": ("请用手机扫描二维码支付", "Scan the code with your phone"),
    "pay.countdown": ("请在 {s} 秒内完成支付", "Please pay within {s} s"),
    "pay.expired": ("支付时间已到，正在确认结果…", "Time is up, checking the payment…"),
    "pay.order_ref": ("订单号 {ref}", "Order {ref}"),
    "pay.methods": ("支持微信、支付宝、云闪付", "WeChat Pay, Alipay, UnionPay"),
    "pay.stay": ("支付完成前请不要离开", "Please stay until the payment is done"),
    # --- working, done, failed -------------------------------------------------------------------------------
    "working.paid": ("支付成功 ¥{yuan}", "Paid ¥{yuan}"),
    "working.eta": ("约 {s} 秒", "About {s} s"),
    "working.stay": ("请不要离开，完成后请取走物品", "Please stay and take your items when done"),
    "done.take": ("请取走您的{items}", "Please take your {items}"),
    "done.number": ("编号：{number}", "Number: {number}"),
    "done.receipt": ("凭证已打印，请妥善保管", "Your receipt is printed; please keep it"),
    "done.finish": ("完成", "Finish"),
    "done.paid": ("已支付 ¥{yuan}", "Paid ¥{yuan}"),
    "done.nothing": ("本次没有需要取走的物品", "There is nothing to take"),
    "take.separator": ("、", ", "),
    "take.last": ("和", " and "),
    "failed.what": ("原因", "What happened"),
    "failed.next": ("您可以", "What you can do"),
    "failed.help": ("需要帮助请拨打 {phone}，或按“求助”", "Help: call {phone} or press Help"),
    "failed.order": ("订单号 {ref}", "Order {ref}"),
    "failed.retry_on": ("{date} 以后可以再次申请", "You may apply again from {date}"),
    "failed.paid": ("已支付 ¥{yuan}", "Paid ¥{yuan}"),
    "failed.refund": ("已付 ¥{yuan} 将原路退回", "¥{yuan} will be refunded"),
    "failed.refund_ref": ("退款单号 {ref}", "Refund reference {ref}"),
    "failed.refund.pending": ("退款处理中，一般7个工作日内到账", "Refund under way (up to 7 working days)"),
    "failed.refund.done": ("退款已完成", "The refund is done"),
    "failed.refund.failed": ("退款未能自动完成，请凭订单号联系值班民警", "The refund needs staff: call with the order"),
    "btn.retry": ("再试一次", "Try again"),
    "btn.finish": ("结束办理", "Finish"),
    # --- overlays ------------------------------------------------------------------------------------------
    "idle.title": ("您还在吗？", "Are you still there?"),
    "idle.countdown": ("{s} 秒后将返回首页，并清除您的信息", "In {s} s we return to the start and erase your data"),
    "idle.continue": ("继续办理", "Continue"),
    "help.title": ("求助", "Help"),
    "help.calling": ("正在呼叫值班民警，请稍候…", "Calling the duty officer…"),
    "help.called": ("值班民警已收到呼叫，请在原地稍候", "The duty officer has been called; please wait here"),
    "help.failed": ("呼叫没有接通，请拨打值班电话", "The call did not go through; please phone"),
    "help.phone": ("值班电话", "Duty phone"),
    "help.close": ("关闭", "Close"),
    "banner.refused": ("无法完成该操作：{text}", "That did not work: {text}"),
}


CHROME_CATALOG: dict[str, dict[str, str]] = {key: dict(zip(LANGUAGES, texts, strict=True)) for key, texts in CHROME.items()}
_core_loaded = False


@cache
def core_catalog() -> dict[str, dict[str, str]]:
    from kiosk.texts import catalogue

    return catalogue()


def load_core_texts() -> None:
    """From now on the tables hold the flows' texts too (imports the core's catalogue once)."""
    global _core_loaded
    core_catalog()
    _core_loaded = True


def catalog() -> dict[str, dict[str, str]]:
    """key -> {language: text}: the core's flow texts and the screens' own (which never share a key)."""
    return {**core_catalog(), **CHROME_CATALOG} if _core_loaded else dict(CHROME_CATALOG)


def table(language: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Every text in `language` (the catalogue's, then the site's overrides) for the screens."""
    entries = catalog()
    texts = {key: entry.get(language) or entry["zh"] for key, entry in entries.items()}
    for key, text in (overrides or {}).items():
        prefix, _, bare = key.rpartition(":")
        if not text:
            continue
        if prefix == language or (not prefix and language == "zh"):
            texts[bare] = text
        elif not prefix and bare not in texts:  # a site text the catalogue lacks (a notice): every language
            texts[bare] = text
    return texts


def notices(language: str, overrides: dict[str, str] | None = None) -> list[str]:
    """Site notices pushed by the fleet ("notice.*" in ui.texts), in key order."""
    texts = table(language, overrides)
    return [texts[key] for key in sorted(texts) if key.startswith("notice.") and texts[key]]
