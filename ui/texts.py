"""Every text the touchscreen shows or speaks, by key, in Chinese and English.

Keys come from the screens (btn.*, attract.*, ...) and from the flows (prompt.*, guidance.*, reason.*, error.*,
next.*, stage.*, document.*, take.*, field.*, plate_type.*, purpose.*). An unknown key never crashes: it is
shown as readable words made from the key and logged at DEBUG so the catalog can be completed.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")

CATALOG: dict[str, dict[str, str]] = {
    # --- frame, attract and home -------------------------------------------------------------------------
    "attract.tagline": {"zh": "24小时自助服务", "en": "24-hour self-service"},
    "attract.touch": {"zh": "请触摸屏幕开始", "en": "Touch the screen to start"},
    "attract.services": {"zh": "可办理：", "en": "Services:"},
    "home.title": {"zh": "请选择要办理的业务", "en": "Please choose a service"},
    "home.hint": {
        "zh": "请触摸要办理的业务。需要帮助请拨打服务电话。",
        "en": "Touch a service to begin. For help, call the service phone.",
    },
    "service.temp_id": {"zh": "临时身份证", "en": "Temporary ID card"},
    "service.certificate": {"zh": "无犯罪记录证明", "en": "No-criminal-record certificate"},
    "service.traffic": {"zh": "交通违法处理", "en": "Traffic violations"},
    "service.endorsement": {"zh": "港澳签注", "en": "Hong Kong / Macao endorsement"},
    "service.temp_id.desc": {"zh": "身份证在办理中，急需证明身份", "en": "While your ID card is being made"},
    "service.certificate.desc": {"zh": "本人查询，免费开具", "en": "For yourself, free of charge"},
    "service.traffic.desc": {"zh": "电子监控违法处理与缴款", "en": "Camera-recorded violations and fines"},
    "service.endorsement.desc": {"zh": "往来港澳通行证再次签注", "en": "Re-endorse your travel permit"},
    "status.available": {"zh": "✔ 现在可以办理", "en": "✔ Available now"},
    "status.unavailable": {"zh": "暂停服务", "en": "Not available now"},
    "status.coming_soon": {"zh": "即将开通", "en": "Coming soon"},
    "progress.step": {"zh": "第 {n} 步，共 {of} 步", "en": "Step {n} of {of}"},
    "text.raw": {"zh": "{v}", "en": "{v}"},
    "busy.wait": {"zh": "请稍候…", "en": "Please wait…"},
    # --- buttons -------------------------------------------------------------------------------------------
    "btn.language": {"zh": "English", "en": "中文"},
    "btn.large_text": {"zh": "大字", "en": "Large text"},
    "btn.high_contrast": {"zh": "高对比", "en": "Contrast"},
    "btn.cancel": {"zh": "取消办理", "en": "Cancel"},
    "btn.back": {"zh": "返回", "en": "Back"},
    "btn.next": {"zh": "下一步", "en": "Next"},
    "btn.confirm": {"zh": "确认无误", "en": "Confirm"},
    "btn.finish": {"zh": "完成", "en": "Finish"},
    "btn.retry": {"zh": "重试", "en": "Try again"},
    "btn.capture": {"zh": "拍照", "en": "Take photo"},
    "btn.enter_id_instead": {"zh": "没带身份证？输入身份证号", "en": "No card? Enter your ID number"},
    "reason.starting": {"zh": "系统启动中，请稍候", "en": "Starting up, please wait"},
    "btn.lookup_by_plate": {"zh": "按车牌号查询违法", "en": "Look up by plate number"},
    "btn.read_card_instead": {"zh": "改为刷身份证", "en": "Use my ID card instead"},
    "btn.clear": {"zh": "清空", "en": "Clear"},
    "btn.backspace": {"zh": "删除", "en": "Delete"},
    "btn.continue": {"zh": "继续", "en": "Continue"},
    "btn.provinces": {"zh": "省份", "en": "Province"},
    "btn.letters_digits": {"zh": "字母/数字", "en": "ABC/123"},
    # --- prompts (from the flows) --------------------------------------------------------------------------
    "prompt.read_card": {"zh": "请将身份证放在读卡区", "en": "Place your ID card on the reader"},
    "prompt.enter_id_number": {"zh": "请输入18位公民身份号码", "en": "Enter your 18-character ID number"},
    "prompt.enter_plate": {"zh": "请输入车牌号码和车架号后6位", "en": "Enter the plate number and last 6 of the VIN"},
    "prompt.capture_face": {"zh": "请正对摄像头，保持不动", "en": "Look at the camera and hold still"},
    "prompt.choose_purpose": {"zh": "请选择证明的用途", "en": "What is the certificate for?"},
    "prompt.select_items": {"zh": "请选择要处理的违法记录", "en": "Choose the violations to handle"},
    "prompt.confirm": {"zh": "请核对以下信息", "en": "Please check the details"},
    "prompt.pay": {"zh": "请用手机扫码支付", "en": "Scan the code with your phone to pay"},
    "prompt.working": {"zh": "正在办理，请稍候", "en": "Working on it, please wait"},
    "prompt.done": {"zh": "办理完成", "en": "All done"},
    "prompt.failed": {"zh": "本次未能办理成功", "en": "This could not be completed"},
    "prompt.accepted": {"zh": "已受理，请保管好回执", "en": "Accepted – keep your receipt"},
    "read_card.hint": {
        "zh": "读卡区在屏幕下方，标有身份证图案",
        "en": "The reader is below the screen, marked with a card",
    },
    "read_card.waiting": {"zh": "正在等待读卡…", "en": "Waiting for your card…"},
    # --- ID number keypad ----------------------------------------------------------------------------------
    "id.label": {"zh": "公民身份号码", "en": "ID number"},
    "id.typed": {"zh": "已输入 {n}/18 位", "en": "{n} of 18 characters"},
    "id.ok": {"zh": "✔ 号码格式正确", "en": "✔ The number looks right"},
    "id.error.bad_length": {"zh": "身份证号码是18位，请补全", "en": "An ID number has 18 characters"},
    "id.error.bad_format": {"zh": "只能输入数字，X 只能在最后一位", "en": "Digits only; X only as the last character"},
    "id.error.bad_birth_date": {
        "zh": "第7-14位的出生日期不正确，请核对",
        "en": "Characters 7-14 are not a real birth date",
    },
    "id.error.bad_check_digit": {
        "zh": "最后一位（校验码）不对，请核对号码",
        "en": "The last character does not match; please check",
    },
    # --- plate keyboard ------------------------------------------------------------------------------------
    "plate.label": {"zh": "车牌号码", "en": "Plate number"},
    "plate.type": {"zh": "号牌种类", "en": "Plate type"},
    "plate.vin6": {"zh": "车架号后6位", "en": "Last 6 of the VIN"},
    "plate.typed": {"zh": "已输入 {n}/{of} 位", "en": "{n} of {of} characters"},
    "plate.new_energy_hint": {"zh": "新能源车牌为8位（绿色号牌）", "en": "New-energy (green) plates have 8 characters"},
    "plate.error.not_province": {"zh": "第1位应为省份简称，如“京”", "en": "Start with the province, e.g. 京"},
    "plate.error.not_letter": {"zh": "第2位应为字母", "en": "The 2nd character is a letter"},
    "plate.error.letter_i_o": {"zh": "车牌中没有字母 I 和 O", "en": "Plates never use the letters I and O"},
    "plate.error.bad_character": {"zh": "只能输入字母和数字", "en": "Only letters and digits"},
    "plate.error.new_energy_class": {"zh": "新能源车牌此处应为 D 或 F", "en": "New-energy plates have D or F here"},
    "plate.error.digit_expected": {"zh": "此处只能是数字", "en": "Only a digit is allowed here"},
    "plate.error.too_long": {"zh": "车牌号码位数过多", "en": "Too many characters"},
    "plate.error.too_short": {"zh": "车牌号码还没输完", "en": "The plate number is not complete"},
    "plate.error.vin_length": {"zh": "请输入车架号最后6位", "en": "Enter the last 6 characters of the VIN"},
    "plate.error.vin_character": {"zh": "车架号中没有 I、O、Q", "en": "A VIN has no I, O or Q"},
    "plate_type.01": {"zh": "大型汽车（黄牌）", "en": "Large vehicle (yellow)"},
    "plate_type.02": {"zh": "小型汽车（蓝牌）", "en": "Small vehicle (blue)"},
    "plate_type.51": {"zh": "大型新能源（黄绿牌）", "en": "Large new-energy"},
    "plate_type.52": {"zh": "小型新能源（绿牌）", "en": "Small new-energy (green)"},
    # --- face capture --------------------------------------------------------------------------------------
    "face.attempt": {"zh": "第 {n} 次，共 {of} 次", "en": "Attempt {n} of {of}"},
    "face.no_camera": {"zh": "正在打开摄像头…", "en": "Starting the camera…"},
    "guidance.face_not_centred": {"zh": "请把脸移到画面中间", "en": "Move your face to the middle"},
    "guidance.too_dark": {"zh": "光线太暗，请正对屏幕", "en": "Too dark – face the screen"},
    "guidance.move_closer": {"zh": "请靠近一点", "en": "Please come a little closer"},
    "guidance.move_back": {"zh": "请稍微后退", "en": "Please move back a little"},
    "guidance.one_person_only": {"zh": "画面中只能有一个人", "en": "Only one person in the picture, please"},
    "guidance.hold_still": {"zh": "请保持不动", "en": "Please hold still"},
    "guidance.no_face": {"zh": "没有看到人脸，请正对摄像头", "en": "No face seen – look at the camera"},
    "guidance.remove_glasses": {"zh": "请摘下帽子和墨镜", "en": "Please take off hat and sunglasses"},
    "guidance.not_matched_retry": {"zh": "比对未通过，请再试一次", "en": "Not matched – please try again"},
    # --- purpose, items, confirm, pay ----------------------------------------------------------------------
    "purpose.就业": {"zh": "就业", "en": "Employment"},
    "purpose.出国（境）": {"zh": "出国（境）", "en": "Going abroad"},
    "purpose.入学": {"zh": "入学", "en": "School admission"},
    "purpose.收养": {"zh": "收养", "en": "Adoption"},
    "purpose.其他": {"zh": "其他", "en": "Other"},
    "items.fine": {"zh": "罚款 ¥{yuan}", "en": "Fine ¥{yuan}"},
    "items.late_fee": {"zh": "滞纳金 ¥{yuan}", "en": "Late fee ¥{yuan}"},
    "items.points": {"zh": "记 {n} 分", "en": "Points: {n}"},
    "items.line": {"zh": "{fine}  {late}  {points}", "en": "{fine}  {late}  {points}"},
    "items.total": {
        "zh": "已选 {count} 条，合计 ¥{yuan}，记 {points} 分",
        "en": "{count} chosen, ¥{yuan}, points: {points}",
    },
    "items.points_total": {"zh": "本记分周期已记 {n} 分", "en": "Points this period: {n}"},
    "items.none_selected": {"zh": "请至少选择一条", "en": "Choose at least one"},
    "confirm.amount": {"zh": "应缴金额", "en": "Amount due"},
    "confirm.free": {"zh": "免费", "en": "Free"},
    "field.name": {"zh": "姓名", "en": "Name"},
    "field.sex": {"zh": "性别", "en": "Sex"},
    "field.id_number": {"zh": "公民身份号码", "en": "ID number"},
    "field.address": {"zh": "住址", "en": "Address"},
    "field.purpose": {"zh": "用途", "en": "Purpose"},
    "field.plate": {"zh": "车牌号码", "en": "Plate"},
    "field.items": {"zh": "违法记录", "en": "Violations"},
    "field.points": {"zh": "记分", "en": "Points"},
    "field.validity": {"zh": "有效期", "en": "Valid for"},
    "field.document": {"zh": "办理事项", "en": "Document"},
    "pay.amount": {"zh": "金额 ¥{yuan}", "en": "Amount ¥{yuan}"},
    "pay.countdown": {"zh": "请在 {s} 秒内完成支付", "en": "Please pay within {s} s"},
    "pay.expired": {"zh": "支付时间已到，正在确认结果…", "en": "Time is up, checking the payment…"},
    "pay.order_ref": {"zh": "订单号 {ref}", "en": "Order {ref}"},
    "pay.methods": {"zh": "支持微信、支付宝、云闪付", "en": "WeChat Pay, Alipay, UnionPay"},
    # --- working, done, failed -----------------------------------------------------------------------------
    "working.wait": {"zh": "请稍候", "en": "Please wait"},
    "stage.verifying_identity": {"zh": "正在核验身份…", "en": "Checking your identity…"},
    "stage.comparing_face": {"zh": "正在比对人脸…", "en": "Comparing your photo…"},
    "stage.checking_records": {"zh": "正在查询…", "en": "Looking up records…"},
    "stage.confirming_payment": {"zh": "正在确认支付…", "en": "Confirming the payment…"},
    "stage.issuing": {"zh": "正在制证…", "en": "Issuing…"},
    "stage.printing": {"zh": "正在打印，请勿离开…", "en": "Printing – please do not leave…"},
    "stage.contacting_backend": {"zh": "正在连接公安网络…", "en": "Contacting the police network…"},
    "done.take": {"zh": "请取走您的{items}", "en": "Please take your {items}"},
    "done.number": {"zh": "编号：{number}", "en": "Number: {number}"},
    "done.receipt": {"zh": "回执已打印，请妥善保管", "en": "A receipt has been printed; please keep it"},
    "take.temp_id_card": {"zh": "临时身份证", "en": "temporary ID card"},
    "take.certificate": {"zh": "证明", "en": "certificate"},
    "take.receipt": {"zh": "回执", "en": "receipt"},
    "take.id_card": {"zh": "身份证", "en": "ID card"},
    "take.decision": {"zh": "处罚决定书", "en": "penalty decision"},
    "take.separator": {"zh": "、", "en": " and "},
    "document.temp_id_card": {"zh": "临时居民身份证", "en": "Temporary resident ID card"},
    "document.certificate": {"zh": "无犯罪记录证明", "en": "No-criminal-record certificate"},
    "document.acceptance_receipt": {"zh": "受理回执", "en": "Acceptance receipt"},
    "document.decision": {"zh": "处罚决定书", "en": "Penalty decision"},
    "failed.error": {"zh": "原因：{text}", "en": "Reason: {text}"},
    "failed.next": {"zh": "下一步：{text}", "en": "What to do: {text}"},
    # --- reasons (service unavailable, item ineligible) ----------------------------------------------------
    "reason.device_offline": {"zh": "设备暂时故障，正在维修", "en": "A device is out of order"},
    "reason.backend_down": {"zh": "公安网络暂时连不上", "en": "The police network is not reachable"},
    "reason.no_paper": {"zh": "打印纸用完了", "en": "The printer is out of paper"},
    "reason.no_card_stock": {"zh": "制证卡片用完了", "en": "No blank cards left"},
    "reason.camera_offline": {"zh": "摄像头暂时故障", "en": "The camera is out of order"},
    "reason.card_reader_offline": {"zh": "读卡器暂时故障", "en": "The card reader is out of order"},
    "reason.service_disabled": {"zh": "本机暂未开通", "en": "Not offered at this kiosk"},
    "reason.maintenance": {"zh": "设备维护中", "en": "Under maintenance"},
    "reason.points_limit": {"zh": "累计记分将满12分，须到窗口处理", "en": "Would reach 12 points – go to a counter"},
    "reason.commercial_vehicle": {"zh": "营运车辆须到窗口处理", "en": "Commercial vehicles: go to a counter"},
    "reason.speeding_over_50": {"zh": "超速50%以上须到窗口处理", "en": "Speeding over 50%: go to a counter"},
    "reason.other_authority": {"zh": "由高速、城管等部门记录，须到原处理机关", "en": "Recorded by another authority"},
    "reason.fine_over_cap": {"zh": "罚款金额超过本机处理上限", "en": "The fine is above this kiosk's limit"},
    "reason.detention_possible": {"zh": "可能涉及拘留，须到窗口处理", "en": "May lead to detention: go to a counter"},
    "reason.already_handled": {"zh": "已处理", "en": "Already handled"},
    # --- errors and what next ------------------------------------------------------------------------------
    "error.internal": {"zh": "系统出现问题", "en": "Something went wrong in the system"},
    "error.timeout": {"zh": "等待时间过长", "en": "It took too long"},
    "error.cancelled": {"zh": "已取消", "en": "Cancelled"},
    "error.not_allowed": {"zh": "现在不能这样操作", "en": "That is not possible now"},
    "error.bad_input": {"zh": "输入的内容不正确，请核对", "en": "Something you entered is not right"},
    "error.invalid_id_number": {"zh": "身份证号码不正确", "en": "The ID number is not right"},
    "error.invalid_plate": {"zh": "车牌号码或车架号不正确", "en": "The plate or VIN is not right"},
    "error.card_read_failed": {"zh": "没有读到身份证，请重新放置", "en": "The card could not be read; place it again"},
    "error.device_offline": {"zh": "设备故障", "en": "A device is out of order"},
    "error.backend_down": {"zh": "公安网络暂时连不上", "en": "The police network is not reachable"},
    "error.face_mismatch": {"zh": "人脸比对未通过", "en": "Your face did not match the registry photo"},
    "error.face_attempts_exhausted": {"zh": "人脸比对次数已用完", "en": "No photo attempts left"},
    "error.no_pending_application": {
        "zh": "没有查到您正在办理的身份证申请",
        "en": "No ID card application in progress",
    },
    "error.not_issuable_here": {"zh": "本机无法为您出具", "en": "This kiosk cannot issue it for you"},
    "error.yearly_cap": {"zh": "本年度申请次数已达上限", "en": "This year's request limit is reached"},
    "error.no_violations": {"zh": "没有可在本机处理的违法记录", "en": "Nothing can be handled at this kiosk"},
    "error.payment_expired": {"zh": "支付超时，未扣款", "en": "Payment time ran out; nothing was charged"},
    "error.payment_failed": {"zh": "支付没有成功", "en": "The payment did not go through"},
    "error.print_failed": {"zh": "打印失败", "en": "Printing failed"},
    "next.counter": {
        "zh": "请带身份证到公安服务窗口办理（工作日 9:00-17:00）",
        "en": "Bring your ID card to a police service counter (weekdays 9:00-17:00)",
    },
    "next.retry_later": {
        "zh": "请稍后再试，或到附近其他自助机办理",
        "en": "Please try again later, or use another kiosk nearby",
    },
    "next.call_staff": {"zh": "请拨打服务电话联系值班民警", "en": "Please call the duty officer on the service phone"},
    "next.retry": {"zh": "可以点“重试”再来一次", "en": "You can press “Try again”"},
    "next.wait_result": {
        "zh": "3个工作日内出结果，凭回执查询或领取",
        "en": "The result is ready within 3 working days; keep the receipt",
    },
    "next.pay_online": {"zh": "可在“交管12123”继续缴款", "en": "You can pay later in the 12123 app"},
    "next.nothing_charged": {"zh": "没有扣款，可以重新办理", "en": "Nothing was charged; you may start again"},
    "next.refund": {"zh": "已扣款项将在7个工作日内原路退回", "en": "Any payment is refunded within 7 working days"},
    # --- keys used by the integrator's flows (kiosk/flows/*.py) ---------------------------------------------
    "prompt.cancelled": {"zh": "已取消办理", "en": "Cancelled"},
    "prompt.read_card_or_plate": {
        "zh": "请刷驾驶人身份证，或输入车牌号码",
        "en": "Place the driver's ID card, or enter the plate number",
    },
    "guidance.no_match_retry": {
        "zh": "比对未通过，请正对摄像头再试一次",
        "en": "Not matched – look at the camera and try again",
    },
    "field.violations": {"zh": "违法记录", "en": "Violations"},
    "take.card": {"zh": "卡片", "en": "card"},
    "reason.not_offered": {"zh": "本机暂未开通", "en": "Not offered at this kiosk"},
    "reason.out_of_service": {"zh": "暂停服务", "en": "Out of service"},
    "reason.unavailable": {"zh": "暂时无法办理", "en": "Not available now"},
    "reason.traffic.already_paid": {"zh": "已缴款", "en": "Already paid"},
    "reason.traffic.needs_driver": {"zh": "须由驾驶人本人处理", "en": "The driver must handle this in person"},
    "error.points_limit": {"zh": "累计记分将满12分，须到窗口处理", "en": "Would reach 12 points – go to a counter"},
    "error.plate.bad_vin": {"zh": "车架号后6位与车牌不符", "en": "The VIN does not match the plate"},
    "next.enter_id_number": {"zh": "可以改为输入身份证号码", "en": "You can enter your ID number instead"},
    "next.not_charged": {"zh": "没有扣款，可以重新办理", "en": "Nothing was charged; you may start again"},
    # --- idle warning --------------------------------------------------------------------------------------
    "idle.title": {"zh": "您还在吗？", "en": "Are you still there?"},
    "idle.countdown": {
        "zh": "{s} 秒后将返回首页，并清除您的信息",
        "en": "In {s} s we return to the start and erase your data",
    },
    "flow.error": {"zh": "无法完成该操作：{text}", "en": "That did not work: {text}"},
}


def fallback_text(key: str) -> str:
    """Readable words made from an unknown key: "reason.no_card_stock" -> "No card stock"."""
    last = key.rsplit(".", 1)[-1].replace("_", " ").strip()
    return (last[:1].upper() + last[1:]) if last else key


def lookup(key: str, language: str, overrides: dict[str, str] | None = None) -> str:
    """The text for `key`; overrides from config ui.texts win ("key" for zh, "en:key" for en)."""
    if overrides:
        override = overrides.get(key if language == "zh" else f"{language}:{key}")
        if override:
            return override
    entry = CATALOG.get(key)
    if entry is None:
        log.debug("no text for key %r", key)
        return fallback_text(key)
    return entry.get(language) or entry["zh"]


def format_text(key: str, language: str, overrides: dict[str, str] | None = None, **values: object) -> str:
    text = lookup(key, language, overrides)
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        log.debug("text %r cannot take values %s", key, sorted(values))
        return text
