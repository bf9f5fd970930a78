"""The texts of the keys every flow shares and of service availability, in Chinese and English (each service's
own keys are in its package: kiosk/services/NAME/texts.py).

Plain words for a citizen alone at the kiosk: what happened, and (in next.*) what to do now. Face guidance
comes from kiosk.face (its instructions carry their own texts). Checked for completeness against the keys the
flows declare (kiosk.texts.check, `kiosk ui text`).
"""

from __future__ import annotations

T = dict[str, dict[str, str]]

_PRINTER_TROUBLE = {"zh": "打印机出现故障", "en": "The printer has a problem"}
_READER_TROUBLE = {"zh": "读卡器读卡出错", "en": "The card reader had a problem"}
_DEVICE_TROUBLE = {"zh": "设备出现故障", "en": "A device has a problem"}

PROMPTS: T = {
    "prompt.read_card": {"zh": "请将身份证放在读卡区", "en": "Place your ID card on the reader"},
    "prompt.enter_id_number": {"zh": "请输入18位公民身份号码", "en": "Enter your 18-character ID number"},
    "prompt.capture_face": {"zh": "请正对摄像头，按提示完成核验", "en": "Look at the camera and follow the prompts"},
    "prompt.confirm": {"zh": "请核对以下信息", "en": "Please check the details"},
    "prompt.pay": {"zh": "请用手机扫码支付", "en": "Scan the code with your phone to pay"},
    "prompt.working": {"zh": "正在办理，请稍候", "en": "Working on it, please wait"},
    "prompt.paid": {"zh": "支付成功，正在制证", "en": "Paid – your document is being made"},
    "prompt.done": {"zh": "办理完成", "en": "All done"},
    "prompt.accepted": {"zh": "已受理，请保管好受理回执", "en": "Accepted – please keep the acceptance receipt"},
    "prompt.nothing_found": {"zh": "没有查到需要处理的违法记录", "en": "No violations were found to handle"},
    "prompt.failed": {"zh": "本次未能办理成功", "en": "This could not be completed"},
    "prompt.cancelled": {"zh": "已取消办理", "en": "Cancelled"},
    "prompt.refunded": {"zh": "已为您退款", "en": "Your money has been refunded"},
}  # fmt: skip

NEXT: T = {
    "next.counter": {"zh": "请到公安服务窗口由工作人员为您办理", "en": "Please go to a police service counter for help"},
    "next.bring_documents": {"zh": "请携带户口簿等证明材料到户籍窗口办理",
                             "en": "Bring your household register and papers to the registration counter"},
    "next.retry_later": {"zh": "请稍后再试，或到附近其他自助机办理", "en": "Please try again later, or use another kiosk nearby"},
    "next.call_staff": {"zh": "请按“求助”联系值班民警", "en": "Press “Help” to reach the duty officer"},
    "next.enter_id_number": {"zh": "可以改为输入身份证号码", "en": "You can enter your ID number instead"},
    "next.not_charged": {"zh": "没有扣款，可以重新办理", "en": "Nothing was charged; you may start again"},
    "next.try_again": {"zh": "可以点“重试”再来一次", "en": "You can press “Try again”"},
    "next.refunded": {"zh": "已为您原路退款，1–3个工作日到账，请保管好退款凭证",
                      "en": "Your payment is refunded to the same account in 1–3 working days; keep the refund slip"},
    "next.refund_pending": {"zh": "退款已申请，1–3个工作日原路到账，请保管好退款凭证",
                            "en": "A refund has been requested and arrives in 1–3 working days; keep the slip"},
    "next.refund_if_not_issued": {
        "zh": "已支付，证件暂时无法确认。系统会自动核实：未能制证将原路退款。请记下订单号或按“求助”",
        "en": "You paid but the document could not be confirmed. We check it automatically and refund you if "
              "it was not made. Note the order number, or press “Help”"},
    "next.wait_result": {"zh": "3个工作日内出结果，可扫回执二维码或凭编号查询",
                         "en": "The result is ready within 3 working days: scan the receipt's QR code or use its number"},
}  # fmt: skip

STEPS: T = {
    "steps.identify": {"zh": "读卡", "en": "ID card"},
    "steps.id_number": {"zh": "输入号码", "en": "ID number"},
    "steps.face": {"zh": "人脸核验", "en": "Face check"},
    "steps.purpose": {"zh": "选择用途", "en": "Purpose"},
    "steps.select": {"zh": "选择记录", "en": "Choose"},
    "steps.confirm": {"zh": "确认", "en": "Confirm"},
    "steps.pay": {"zh": "缴费", "en": "Pay"},
    "steps.print": {"zh": "打印", "en": "Print"},
}

STAGES_DOCS_ITEMS: T = {
    "stage.issuing": {"zh": "正在制证…", "en": "Issuing your document…"},
    "stage.printing": {"zh": "正在打印，请勿离开…", "en": "Printing – please do not leave…"},
    "stage.refunding": {"zh": "正在为您办理退款…", "en": "Refunding your payment…"},
    "stage.checking": {"zh": "正在查询…", "en": "Checking the records…"},
    "take.receipt": {"zh": "缴费凭证", "en": "payment receipt"},
    "take.refund_receipt": {"zh": "退款凭证", "en": "refund slip"},
    "field.name": {"zh": "姓名", "en": "Name"},
    "field.id_number": {"zh": "公民身份号码", "en": "ID number"},
    "field.amount": {"zh": "金额", "en": "Amount"},
    "field.validity": {"zh": "有效期", "en": "Valid for"},
    "unit.months": {"zh": "个月", "en": "months"},
    "unit.days": {"zh": "天", "en": "days"},
    "unit.items": {"zh": "条", "en": "items"},
    "unit.points": {"zh": "分", "en": "points"},
}

INPUT_ERRORS: T = {
    "error.card_read_failed": {"zh": "没有读到身份证，请拿起后重新放好", "en": "The card could not be read – lift it and place it again"},
    "error.reader_unavailable": {"zh": "读卡器暂时不能用，请输入身份证号码", "en": "The card reader is not working – please type your ID number"},
    "error.id_number.bad_length": {"zh": "身份证号码是18位，请补全", "en": "An ID number has 18 characters"},
    "error.id_number.bad_format": {"zh": "只能输入数字，X 只能在最后一位", "en": "Digits only; X only as the last character"},
    "error.id_number.bad_birth_date": {"zh": "第7–14位的出生日期不正确，请核对", "en": "Characters 7–14 are not a real date of birth"},
    "error.id_number.bad_check_digit": {"zh": "最后一位（校验码）不对，请核对号码", "en": "The last character does not match – please check"},
}  # fmt: skip

FAILURES: T = {
    "error.internal": {"zh": "系统出现问题", "en": "Something went wrong in the system"},
    "error.cancelled": {"zh": "您已取消办理", "en": "You cancelled"},
    "error.backend_unavailable": {"zh": "公安网络暂时连不上", "en": "The police network cannot be reached"},
    "error.issue_unconfirmed": {"zh": "公安网络没有及时确认制证结果", "en": "The police network did not confirm the document in time"},
    "error.face_no_match": {"zh": "人脸核验没有通过", "en": "The face check did not pass"},
    "error.card_expired": {"zh": "身份证已过有效期", "en": "The ID card has expired"},
    "error.payment_failed": {"zh": "支付没有成功，未扣款", "en": "The payment did not go through; nothing was charged"},
    "error.payment_cancelled": {"zh": "支付已取消，未扣款", "en": "The payment was cancelled; nothing was charged"},
    "error.payment_timeout": {"zh": "支付时间已到，未扣款", "en": "The payment time ran out; nothing was charged"},
    "error.out_of_service": {"zh": "本业务暂停服务", "en": "This service is paused"},
    "error.not_offered": {"zh": "本机暂未开通该业务", "en": "This kiosk does not offer this service"},
    "error.backend.rejected": {"zh": "公安网络拒绝了本次申请", "en": "The police network refused this request"},
    "error.backend.unauthorized": {"zh": "本机未获授权，请联系工作人员", "en": "This kiosk is not authorised"},
    "error.backend.forbidden": {"zh": "本机无权办理该业务", "en": "This kiosk may not do this"},
    "error.backend.invalid_request": {"zh": "申请信息不完整", "en": "The request was incomplete"},
    "error.backend.invalid_id_number": {"zh": "身份证号码不正确", "en": "The ID number is not right"},
    "error.backend.idempotency_key_missing": {"zh": "系统出现问题", "en": "Something went wrong in the system"},
    "error.backend.idempotency_key_reused": {"zh": "系统出现问题", "en": "Something went wrong in the system"},
    "error.backend.not_found": {"zh": "没有查到相关记录", "en": "No matching record was found"},
    "error.backend.person_not_found": {"zh": "没有查到您的户籍信息", "en": "Your registration record was not found"},
    "error.backend.no_face": {"zh": "照片中没有清楚的人脸", "en": "No clear face in the picture"},
    "error.backend.invalid_image": {"zh": "照片无法识别", "en": "The picture could not be used"},
    "error.backend.no_registry_photo": {"zh": "没有查到您的留存照片", "en": "No registry photo of you was found"},
    "error.backend.verification_required": {"zh": "需要先完成人脸核验", "en": "The face check must be done first"},
    "error.backend.verification_limit_reached": {"zh": "人脸核验次数过多", "en": "Too many face check attempts"},
    "error.backend.face_attempts_exceeded": {"zh": "人脸核验未通过次数过多，请到窗口办理", "en": "Too many failed face checks – please go to the counter"},
    "error.backend.rate_limited": {"zh": "请求过于频繁，请稍后再试", "en": "Too many requests – please try again later"},
    "error.backend.payload_too_large": {"zh": "系统出现问题", "en": "Something went wrong in the system"},
    "error.backend.not_own_record": {"zh": "只能查询本人的记录", "en": "Only your own record can be requested"},
    "error.backend.not_eligible": {"zh": "暂不符合自助办理条件", "en": "Not eligible for self-service now"},
    "error.backend.yearly_cap_reached": {"zh": "本年度申请次数已达上限", "en": "This year's request limit is reached"},
    "error.backend.payment_not_paid": {"zh": "没有查到支付成功", "en": "No successful payment was found"},
    "error.backend.payment_mismatch": {"zh": "支付金额不符", "en": "The payment amount does not match"},
    "error.backend.payment_already_used": {"zh": "该笔支付已使用", "en": "That payment was already used"},
    "error.backend.order_not_pending": {"zh": "订单已结束", "en": "The order is already closed"},
    "error.backend.vehicle_not_found": {"zh": "没有查到该车辆，请核对车牌和车架号", "en": "The vehicle was not found – check the plate and VIN"},
    "error.backend.violation_not_found": {"zh": "没有查到该违法记录", "en": "The violation was not found"},
    "error.backend.sandbox_fault": {"zh": "公安网络暂时出错", "en": "The police network had an error"},
    "error.backend.internal_error": {"zh": "公安网络暂时出错", "en": "The police network had an error"},
}  # fmt: skip

DEVICE_FAILURES: T = {
    "error.device.device_error": _DEVICE_TROUBLE, "error.device.timeout": {"zh": "设备没有及时响应", "en": "A device did not answer in time"},
    "error.device.cancelled": {"zh": "操作已中止", "en": "The operation was stopped"},
    "error.device.unavailable": {"zh": "设备暂时无法连接", "en": "A device cannot be reached"},
    "error.device.busy": {"zh": "设备正忙", "en": "A device is busy"},
    "error.device.protocol_error": _DEVICE_TROUBLE, "error.device.frame_too_long": _DEVICE_TROUBLE,
    "error.device.checksum_error": _DEVICE_TROUBLE, "error.device.idcard_error": _READER_TROUBLE,
    "error.device.no_card": {"zh": "没有检测到身份证", "en": "No ID card was detected"},
    "error.device.card_removed": {"zh": "读卡时身份证被拿开了", "en": "The card was lifted while being read"},
    "error.device.sam_fault": _READER_TROUBLE, "error.device.card_data_invalid": _READER_TROUBLE,
    "error.device.photo_unavailable": _READER_TROUBLE,
    "error.device.bad_status_reply": _PRINTER_TROUBLE, "error.device.print_interrupted": {"zh": "打印中断", "en": "Printing was interrupted"},
    "error.device.printer_not_ready": {"zh": "打印机没有准备好", "en": "The printer is not ready"},
    "error.device.card_jam": {"zh": "制证卡片卡住了", "en": "A card is stuck in the card printer"},
    "error.device.cover_open": {"zh": "打印机盖板没有关好", "en": "The printer cover is open"},
    "error.device.job_failed": {"zh": "打印失败", "en": "Printing failed"},
    "error.device.job_timeout": {"zh": "打印超时", "en": "Printing took too long"},
    "error.device.media_empty": {"zh": "打印纸或卡片用完了", "en": "The printer ran out of paper or cards"},
    "error.device.media_jam": {"zh": "打印机卡纸", "en": "Paper is stuck in the printer"},
    "error.device.printer_error": _PRINTER_TROUBLE, "error.device.printer_fault": _PRINTER_TROUBLE,
    "error.device.printer_offline": {"zh": "打印机没有连接", "en": "The printer is not connected"},
    "error.device.ribbon_out": {"zh": "制证色带用完了", "en": "The card printer ribbon ran out"},
    "error.device.toner_empty": {"zh": "打印机墨粉用完了", "en": "The printer is out of toner"},
    "error.device.print_failed": {"zh": "打印失败", "en": "Printing failed"},
    "error.device.discarded": {"zh": "打印已取消", "en": "Printing was cancelled"},
    "error.device.idcard_missing": {"zh": "本机没有读卡器", "en": "This kiosk has no card reader"},
    "error.device.receipt_printer_missing": {"zh": "凭条打印机不可用", "en": "The receipt printer is not available"},
    "error.device.document_printer_missing": {"zh": "A4打印机不可用", "en": "The A4 printer is not available"},
    "error.device.card_printer_missing": {"zh": "制证打印机不可用", "en": "The card printer is not available"},
    "error.device.camera_missing": {"zh": "摄像头不可用", "en": "The camera is not available"},
    "error.device.idcard_unavailable": {"zh": "读卡器暂时故障", "en": "The card reader is out of order"},
    "error.device.receipt_printer_unavailable": {"zh": "凭条打印机暂时不能用（可能缺纸）", "en": "The receipt printer is not available (it may be out of paper)"},
    "error.device.document_printer_unavailable": {"zh": "A4打印机暂时不能用", "en": "The A4 printer is not available"},
    "error.device.card_printer_unavailable": {"zh": "制证打印机暂时不能用（可能缺卡）", "en": "The card printer is not available (it may be out of cards)"},
    "error.device.camera_unavailable": {"zh": "摄像头暂时故障", "en": "The camera is out of order"},
    "error.device.permit_error": {"zh": "通行证读写出错", "en": "The permit could not be read or written"},
    "error.device.access_denied": {"zh": "通行证信息与输入不符，无法读取芯片", "en": "The permit details do not match – the chip cannot be opened"},
    "error.device.damaged_data": {"zh": "通行证芯片数据受损，请到窗口办理", "en": "The permit chip data is damaged – please go to a counter"},
    "error.device.untrusted_document": {"zh": "无法确认通行证真伪，请到窗口办理", "en": "The permit could not be verified – please go to a counter"},
    "error.device.write_failed": {"zh": "签注写入芯片失败", "en": "The endorsement could not be written to the chip"},
    "error.device.verify_mismatch": {"zh": "签注写入后核对不一致", "en": "The written endorsement did not check out"},
    "error.device.reader_unavailable": {"zh": "通行证读写器暂时不能用", "en": "The permit reader is not available"},
    "error.device.chip_error": {"zh": "通行证芯片没有响应", "en": "The permit chip did not answer"},
    "error.device.file_not_found": {"zh": "通行证芯片中缺少数据", "en": "Data is missing on the permit chip"},
    "error.device.mrz_invalid": {"zh": "通行证号码或日期不正确", "en": "The permit number or dates are not right"},
    "error.device.erase_incomplete": {"zh": "通行证背面擦除不完整", "en": "The back of the permit was not fully erased"},
    "error.device.head_too_hot": {"zh": "打印头温度过高，请稍候", "en": "The print head is too hot – please wait"},
}  # fmt: skip

TRAFFIC_REASONS: T = {
}  # fmt: skip

LIVENESS: T = {
    "liveness.look_at_camera": {"zh": "请正对摄像头，保持自然", "en": "Look straight at the camera"},
    "liveness.blink": {"zh": "请眨眨眼", "en": "Please blink"},
    "liveness.turn_left": {"zh": "请慢慢向左转头", "en": "Slowly turn your head to your left"},
    "liveness.turn_right": {"zh": "请慢慢向右转头", "en": "Slowly turn your head to your right"},
    "liveness.retry": {"zh": "没有看清，我们再来一次", "en": "Let us try that once more"},
    "liveness.done": {"zh": "很好，正在比对", "en": "Good – comparing now"},
    "liveness.refer_to_staff": {"zh": "核验未通过，请到人工窗口办理", "en": "The check did not pass – please go to the counter"},
    "guidance.no_face": {"zh": "没有看到人脸，请正对摄像头", "en": "No face seen – please look at the camera"},
    "guidance.one_person": {"zh": "请只保留一人在画面中", "en": "Only one person in view, please"},
    "guidance.face_too_far": {"zh": "请靠近一点", "en": "Please come a little closer"},
    "guidance.face_too_close": {"zh": "请稍微后退", "en": "Please step back a little"},
    "guidance.too_dark": {"zh": "光线太暗，请到亮处或靠近屏幕", "en": "Too dark – step into the light or closer to the screen"},
    "error.liveness.planar": {"zh": "活体检测没有通过（需本人当场核验）", "en": "The live check did not pass (you must be here in person)"},
    "error.liveness.screen": {"zh": "活体检测没有通过（请勿使用照片或屏幕）", "en": "The live check did not pass (no photos or screens)"},
    "error.liveness.timeout": {"zh": "没有在规定时间内完成动作", "en": "The movements were not done in time"},
    "error.liveness.no_face": {"zh": "没有看到您的脸", "en": "Your face was not seen"},
}  # fmt: skip

PERMIT_DEVICES: T = {
    "error.device.permit_reader_unavailable": {"zh": "通行证读写器暂时不能用", "en": "The permit reader is not available"},
    "error.device.rewritable_printer_unavailable": {"zh": "通行证打印机暂时不能用", "en": "The permit printer is not available"},
    "error.device.permit_reader_missing": {"zh": "通行证读写器不可用", "en": "The permit reader is not available"},
    "error.device.rewritable_printer_missing": {"zh": "通行证打印机不可用", "en": "The permit printer is not available"},
    "reason.device.permit_reader": {"zh": "通行证读写器暂时故障", "en": "The permit reader is out of order"},
    "reason.device.rewritable_printer": {"zh": "通行证打印机暂时不能用", "en": "The permit printer is not available"},
}  # fmt: skip

AVAILABILITY: T = {
    "reason.starting": {"zh": "系统启动中，请稍候", "en": "Starting up, please wait"},
    "reason.out_of_service": {"zh": "暂停服务", "en": "Paused"},
    "reason.not_offered": {"zh": "本机暂未开通", "en": "Not offered at this kiosk"},
    "reason.backend_down": {"zh": "公安网络暂时连不上", "en": "The police network cannot be reached"},
    "reason.device.idcard": {"zh": "读卡器暂时故障", "en": "The card reader is out of order"},
    "reason.device.receipt_printer": {"zh": "凭条打印机暂时不能用", "en": "The receipt printer is not available"},
    "reason.device.document_printer": {"zh": "A4打印机暂时不能用", "en": "The A4 printer is not available"},
    "reason.device.card_printer": {"zh": "制证打印机暂时不能用", "en": "The card printer is not available"},
    "reason.device.camera": {"zh": "摄像头暂时故障", "en": "The camera is out of order"},
}

FLOW_TEXTS: T = {**PROMPTS, **NEXT, **STEPS, **STAGES_DOCS_ITEMS, **INPUT_ERRORS, **FAILURES, **DEVICE_FAILURES,
                 **TRAFFIC_REASONS, **LIVENESS, **PERMIT_DEVICES, **AVAILABILITY}  # fmt: skip
