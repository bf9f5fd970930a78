import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import Kiosk

// The in-window keyboard for free text (Qt Virtual Keyboard, Pinyin for Chinese). Main.qml loads it only
// while a text field wants input, so the first paint does not pay for it.
InputPanel {
    id: panel
    objectName: "keyboard"
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = kiosk.language === "en" ? "en_US" : "zh_CN"
    }
    Connections {
        target: kiosk
        function onLanguageChanged() { VirtualKeyboardSettings.locale = kiosk.language === "en" ? "en_US" : "zh_CN" }
    }
}
