import QtQuick
import Kiosk

// The travel permit's number (one letter and 8 digits, as printed on the permit): a letter keyboard for the
// first character, then digits (permitEntry); the way back is the footer's 返回.
KioskPage {
    id: page
    readonly property var letters: "ABCDEFGHJKLMNPQRSTUVWXYZ".split("")
    readonly property var digits: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
    readonly property bool onLetter: permitEntry.count === 0
    readonly property int sideWidth: page.wide ? Math.round(page.width * 0.44) : page.width

    Column {
        id: entry
        x: Theme.margin; y: Theme.s3
        width: page.sideWidth - 2 * Theme.margin
        spacing: Theme.s2
        Label { visible: !(page.wide && Theme.large); role: "caption"; color: Theme.inkMuted; text: Tr.t("permit.label") }
        Rectangle {
            objectName: "permitField"
            width: parent.width; height: Theme.large ? 136 : 112
            radius: Theme.radiusControl
            color: Theme.surface
            border.width: 4
            border.color: permitEntry.tone === "error" ? Theme.danger : Theme.primary
            Text {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.s3
                horizontalAlignment: Text.AlignHCenter
                text: permitEntry.number
                color: Theme.ink
                font.family: Theme.fontFamily; font.pixelSize: Theme.large ? 72 : 60; font.weight: Font.Bold
                font.letterSpacing: 6
                fontSizeMode: Text.HorizontalFit; minimumPixelSize: 40
            }
        }
        Pill {
            objectName: "permitStatus"
            maxWidth: entry.width
            tone: permitEntry.tone === "error" ? "danger" : permitEntry.tone === "ok" ? "ok" : "info"
            text: Tr.f(permitEntry.statusKey, {n: permitEntry.count})
        }
    }

    Item {
        id: board
        x: page.wide ? page.sideWidth : Theme.margin
        y: page.wide ? Theme.s3 : entry.y + entry.height + Theme.s3
        width: page.width - x - Theme.margin
        height: (page.wide ? page.height - Theme.margin : actions.y - Theme.s3) - y
        readonly property var keys: page.onLetter ? page.letters : page.digits
        readonly property int columns: page.onLetter ? 6 : 3
        readonly property int rows: Math.ceil((keys.length + 1) / columns)
        readonly property real keyWidth: (width - (columns - 1) * Theme.s1) / columns
        readonly property real keyHeight: Math.min(Theme.keyHeight * 1.2, (height - (rows - 1) * Theme.s1) / rows)
        Flow {
            width: board.columns * board.keyWidth + (board.columns - 1) * Theme.s1 + 1
            spacing: Theme.s1
            Repeater {
                model: board.keys
                KioskButton {
                    objectName: "key_" + modelData
                    kind: "key"
                    width: board.keyWidth; height: board.keyHeight
                    padding: 0; horizontalPadding: 0
                    fontSize: Math.min(Theme.fontDisplay, board.keyHeight * 0.55)
                    text: modelData
                    enabled: permitEntry.allowed.indexOf(modelData) >= 0
                    onClicked: permitEntry.press(modelData)
                }
            }
            KioskButton {
                objectName: "key_backspace"
                kind: "key"
                width: board.keyWidth; height: board.keyHeight
                iconName: "backspace"
                fontSize: Math.max(32, Math.min(Theme.fontBody, board.keyHeight * 0.4))
                text: Tr.t("key.backspace")
                enabled: permitEntry.count > 0
                onClicked: permitEntry.press("⌫")
            }
        }
    }

    Row {
        id: actions
        x: Theme.margin
        width: page.sideWidth - 2 * Theme.margin
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        spacing: Theme.s3
        KioskButton {
            objectName: "clearButton"
            width: (parent.width - Theme.s3) * 0.4
            height: Theme.primaryHeight
            iconName: "close"
            text: Tr.t("key.clear")
            enabled: permitEntry.count > 0
            onClicked: permitEntry.clear()
        }
        KioskButton {
            objectName: "submitButton"
            width: (parent.width - Theme.s3) * 0.6
            kind: "primary"
            navRole: "forward"
            iconName: "arrow_forward"
            text: Tr.t("btn.next")
            enabled: permitEntry.complete && page.offers("submit_permit_number")
            onClicked: permitEntry.submit()
        }
    }
}
