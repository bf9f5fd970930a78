import QtQuick
import Kiosk

// Type the 18-character ID number on a big keypad: grouped 6-8-4 as on the card, checked as typed (idEntry).
KioskPage {
    id: page
    readonly property var keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "⌫"]
    readonly property int sideWidth: page.wide ? Math.round(page.width * 0.46) : page.width

    Column {
        id: entry
        x: Theme.margin
        y: Theme.s3
        width: page.sideWidth - 2 * Theme.margin
        spacing: Theme.s2
        Label { role: "caption"; color: Theme.inkMuted; text: Tr.t("id.label") }
        Rectangle {
            objectName: "idField"
            width: parent.width
            height: Theme.large ? 136 : 112
            radius: Theme.radiusControl
            color: Theme.surface
            border.width: 4
            border.color: idEntry.tone === "error" ? Theme.danger : Theme.primary
            Text {
                id: shown
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.s3
                horizontalAlignment: Text.AlignHCenter
                text: idEntry.shown
                color: Theme.ink
                font.family: Theme.fontFamily
                font.pixelSize: Theme.large ? 72 : 60
                font.weight: Font.Bold
                font.letterSpacing: 2
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: 40
            }
        }
        Pill {
            objectName: "idStatus"
            maxWidth: entry.width
            tone: idEntry.tone === "error" ? "danger" : idEntry.tone === "ok" ? "ok" : "info"
            iconName: idEntry.tone === "hint" ? "info" : iconName
            text: Tr.f(idEntry.statusKey, {n: idEntry.count})
        }
    }

    Grid {
        id: pad
        x: page.wide ? page.sideWidth : Theme.margin
        y: page.wide ? Theme.s3 : entry.y + entry.height + Theme.s3
        width: page.width - x - Theme.margin
        columns: 3
        spacing: Theme.s2
        readonly property real keyWidth: (width - 2 * spacing) / 3
        readonly property real keyHeight: Math.min(Theme.keyHeight * 1.45,
            ((page.wide ? page.height - 2 * Theme.s3 : actions.y - y - Theme.s3) - 3 * spacing) / 4)
        Repeater {
            model: page.keys
            KioskButton {
                objectName: "key_" + (modelData === "⌫" ? "backspace" : modelData)
                kind: "key"
                width: pad.keyWidth
                height: pad.keyHeight
                fontSize: modelData === "⌫" ? Math.min(Theme.fontBody, pad.keyHeight * 0.4)
                                            : Math.min(Theme.fontDisplay, pad.keyHeight * 0.62)
                iconName: modelData === "⌫" ? "backspace" : ""
                text: modelData === "⌫" ? Tr.t("key.backspace") : modelData
                enabled: modelData === "⌫" ? idEntry.count > 0 : modelData === "X" ? idEntry.xAllowed : !idEntry.full
                onClicked: idEntry.press(modelData)
            }
        }
    }

    Column {
        id: actions
        x: Theme.margin
        width: page.sideWidth - 2 * Theme.margin
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        spacing: Theme.s3
        Row {
            spacing: Theme.s3
            width: parent.width
            KioskButton {
                objectName: "clearButton"
                width: (parent.width - Theme.s3) * 0.4
                height: Theme.primaryHeight
                iconName: "close"
                text: Tr.t("key.clear")
                enabled: idEntry.count > 0
                onClicked: idEntry.clear()
            }
            KioskButton {
                objectName: "submitButton"
                width: (parent.width - Theme.s3) * 0.6
                kind: "primary"
                navRole: "forward"
                iconName: "arrow_forward"
                text: Tr.t("btn.next")
                enabled: idEntry.complete && page.offers("submit_id_number")
                onClicked: idEntry.submit()
            }
        }
        KioskButton {
            objectName: "readCardButton"
            visible: page.offers("read_card")
            width: parent.width
            navRole: "forward"
            iconName: "contactless"
            text: Tr.t("id.read_card")
            onClicked: kiosk.intent("read_card", {})
        }
    }
}
