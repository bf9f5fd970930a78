import QtQuick

// A Material Icons glyph (Apache-2.0, Debian fonts-material-design-icons-iconfont) by name.
Text {
    id: icon
    property string name: ""
    property int size: 48
    readonly property var glyphs: ({
        "arrow_back": "\ue5c4", "arrow_forward": "\ue5c8", "home": "\ue88a", "support_agent": "\uf0e2",
        "call": "\ue0b0", "translate": "\ue8e2", "text_increase": "\ueae2", "contrast": "\ueb37",
        "accessible": "\ue914", "local_police": "\uef56", "badge": "\uea67", "description": "\ue873",
        "directions_car": "\ue531", "flight_takeoff": "\ue905", "check_circle": "\ue86c", "error": "\ue000",
        "warning": "\ue002", "info": "\ue88e", "schedule": "\ue8b5", "payments": "\uef63", "qr_code_2": "\ue00a",
        "print": "\ue8ad", "receipt_long": "\uef6e", "credit_card": "\ue870", "face": "\ue87c",
        "visibility": "\ue8f4", "touch_app": "\ue913", "volume_up": "\ue050", "backspace": "\ue14a",
        "close": "\ue5cd", "chevron_right": "\ue5cc", "work": "\ue8f9", "school": "\ue80c",
        "family_restroom": "\uf1a2", "more_horiz": "\ue5d3", "timer": "\ue425", "hourglass_top": "\uea5b",
        "replay": "\ue042", "photo_camera": "\ue412", "task_alt": "\ue2e6", "cancel": "\ue5c9",
        "receipt": "\ue8b0", "contactless": "\uea71", "check": "\ue5ca", "check_box": "\ue834",
        "check_box_outline_blank": "\ue835", "wifi_off": "\ue648", "build": "\ue869",
        "verified_user": "\ue8e8", "phone_iphone": "\ue325", "rotate_left": "\ue419", "rotate_right": "\ue41a",
        "error_outline": "\ue001", "luggage": "\uf235", "travel_explore": "\ue2db", "menu_book": "\uea19",
        "keyboard_arrow_left": "\ue314", "keyboard_arrow_right": "\ue315", "event_note": "\ue616"
    })
    text: glyphs[name] || ""
    font.family: "Material Icons"
    font.pixelSize: size
    width: size
    height: size
    horizontalAlignment: Text.AlignHCenter
    verticalAlignment: Text.AlignVCenter
    Accessible.ignored: true
}
