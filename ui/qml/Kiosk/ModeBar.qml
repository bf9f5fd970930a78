import QtQuick
import Kiosk

// Language, 大字, high contrast, low reach: in the header, or above the footer in the low-reach layout.
Row {
    id: bar
    property bool lightGround: false   // above the footer (light ground) instead of in the header
    spacing: Theme.s2
    // every button as wide as the widest, all within maxWidth (English labels are longer)
    property real maxWidth: 1000
    readonly property real buttonWidth: Math.min((maxWidth - 3 * spacing) / 4, 260)
    KioskButton {
        objectName: "languageButton"
        kind: bar.lightGround ? "secondary" : "toolbar"
        width: bar.buttonWidth
        horizontalPadding: Theme.s2
        fontSize: 32
        iconName: "translate"
        text: Tr.t("chrome.language")
        onClicked: kiosk.toggleLanguage()
    }
    KioskButton {
        objectName: "largeButton"
        kind: bar.lightGround ? "secondary" : "toolbar"
        width: bar.buttonWidth
        horizontalPadding: Theme.s2
        fontSize: 32
        iconName: "text_increase"
        text: Tr.t("chrome.large")
        selected: kiosk.largeText
        onClicked: kiosk.setLargeText(!kiosk.largeText)
    }
    KioskButton {
        objectName: "contrastButton"
        kind: bar.lightGround ? "secondary" : "toolbar"
        width: bar.buttonWidth
        horizontalPadding: Theme.s2
        fontSize: 32
        iconName: "contrast"
        text: Tr.t("chrome.contrast")
        selected: kiosk.highContrast
        onClicked: kiosk.setHighContrast(!kiosk.highContrast)
    }
    KioskButton {
        objectName: "lowReachButton"
        kind: bar.lightGround ? "secondary" : "toolbar"
        width: bar.buttonWidth
        horizontalPadding: Theme.s2
        fontSize: 32
        iconName: "accessible"
        text: Tr.t("chrome.low_reach")
        selected: kiosk.lowReach
        onClicked: kiosk.setLowReach(!kiosk.lowReach)
    }
}
