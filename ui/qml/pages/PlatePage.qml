import QtQuick
import Kiosk

// The plate number (styled like the plate of the chosen type), its type, and the last 6 of the VIN, on a plate
// keyboard: provinces first, then letters and digits; keys that cannot come next are off (plateEntry).
KioskPage {
    id: page
    readonly property int sideWidth: page.wide ? Math.round(page.width * 0.44) : page.width
    readonly property var plateColours: ({
        "02": ["#1d4fb8", "#1d4fb8", "#ffffff"], "01": ["#f4c20d", "#f4c20d", "#111111"],
        "52": ["#f1faf1", "#57c46e", "#111111"], "51": ["#f4c20d", "#57c46e", "#111111"]
    })
    readonly property var colours: plateColours[plateEntry.plateType] || plateColours["02"]

    Column {
        id: fields
        x: Theme.margin; y: Theme.s2
        width: page.sideWidth - 2 * Theme.margin
        spacing: Theme.s2
        Label { visible: !page.wide; role: "caption"; color: Theme.inkMuted; text: Tr.t("plate.type") }
        Grid {
            id: types
            width: parent.width
            columns: 2
            spacing: Theme.s1
            Repeater {
                model: plateEntry.types
                KioskButton {
                    objectName: "type_" + modelData[0]
                    width: (types.width - (types.columns - 1) * types.spacing) / types.columns
                    height: Theme.minTarget
                    fontSize: 32
                    text: Tr.t(modelData[1])
                    selected: plateEntry.plateType === modelData[0]
                    onClicked: plateEntry.chooseType(modelData[0])
                }
            }
        }
        Row {
            width: parent.width
            spacing: Theme.s2
            Column {
                width: (parent.width - Theme.s2) * 0.6
                spacing: Theme.s1
                Label { visible: !page.wide; role: "caption"; color: Theme.inkMuted; text: Tr.t("plate.label") }
                Rectangle {
                    objectName: "plateField"
                    width: parent.width; height: 112; radius: Theme.radiusControl
                    gradient: Gradient {
                        orientation: Gradient.Horizontal
                        GradientStop { position: 0; color: Theme.contrast ? "#000000" : page.colours[0] }
                        GradientStop { position: 1; color: Theme.contrast ? "#000000" : page.colours[1] }
                    }
                    border.width: plateEntry.target === "plate" ? 6 : 2
                    border.color: plateEntry.target === "plate" ? Theme.accent : Theme.line
                    Text {
                        anchors.centerIn: parent
                        width: parent.width - Theme.s3
                        horizontalAlignment: Text.AlignHCenter
                        text: plateEntry.shownPlate || (page.wide ? Tr.t("plate.label") : "")
                        opacity: plateEntry.shownPlate ? 1 : 0.6
                        color: Theme.contrast ? Theme.ink : page.colours[2]
                        font.family: Theme.fontFamily; font.pixelSize: 60; font.weight: Font.Bold
                        fontSizeMode: Text.HorizontalFit; minimumPixelSize: 36
                    }
                    MouseArea { anchors.fill: parent; onClicked: plateEntry.setTarget("plate") }
                }
            }
            Column {
                width: (parent.width - Theme.s2) * 0.4
                spacing: Theme.s1
                Label { visible: !page.wide; role: "caption"; color: Theme.inkMuted; text: Tr.t("plate.vin6") }
                Rectangle {
                    objectName: "vinField"
                    width: parent.width; height: 112; radius: Theme.radiusControl
                    color: Theme.surface
                    border.width: plateEntry.target === "vin" ? 6 : 2
                    border.color: plateEntry.target === "vin" ? Theme.accent : Theme.line
                    Text {
                        anchors.centerIn: parent
                        width: parent.width - Theme.s3
                        horizontalAlignment: Text.AlignHCenter
                        text: plateEntry.vin || (page.wide ? Tr.t("plate.vin6_short") : "")
                        color: plateEntry.vin ? Theme.ink : Theme.inkMuted
                        font.family: Theme.fontFamily; font.pixelSize: 56; font.weight: Font.Bold; font.letterSpacing: 4
                        fontSizeMode: Text.HorizontalFit; minimumPixelSize: 36
                    }
                    MouseArea { anchors.fill: parent; onClicked: plateEntry.setTarget("vin") }
                }
            }
        }
        Pill {
            objectName: "plateStatus"
            maxWidth: fields.width
            tone: plateEntry.tone === "error" ? "danger" : plateEntry.tone === "ok" ? "ok" : "info"
            text: Tr.f(plateEntry.statusKey, plateEntry.statusValues)
        }
    }

    Item {
        id: board
        x: page.wide ? page.sideWidth : Theme.margin
        y: page.wide ? Theme.s2 : fields.y + fields.height + Theme.s3
        width: page.width - x - Theme.margin
        height: actions.y - Theme.s3 - y
        readonly property int columns: plateEntry.keys.length > 31 ? 9 : 8
        readonly property int rows: Math.ceil((plateEntry.keys.length + 2) / columns)
        readonly property real keyWidth: (width - (columns - 1) * Theme.s1) / columns
        readonly property real keyHeight: Math.min(Theme.keyHeight, (height - (rows - 1) * Theme.s1) / rows)
        Flow {
            width: board.columns * board.keyWidth + (board.columns - 1) * Theme.s1 + 1
            spacing: Theme.s1
            Repeater {
                model: plateEntry.keys
                KioskButton {
                    objectName: "key_" + modelData
                    kind: "key"
                    width: board.keyWidth; height: board.keyHeight
                    padding: 0; horizontalPadding: 0
                    fontSize: 44
                    text: modelData
                    enabled: plateEntry.allowed.indexOf(modelData) >= 0
                    onClicked: plateEntry.press(modelData)
                }
            }
            KioskButton {
                objectName: "key_backspace"
                kind: "key"
                width: board.keyWidth * 2 + Theme.s1; height: board.keyHeight
                iconName: "backspace"
                fontSize: 32
                text: Tr.t("key.backspace")
                enabled: plateEntry.plate.length > 0 || plateEntry.vin.length > 0
                onClicked: plateEntry.press("⌫")
            }
        }
    }

    Row {  // under the fields (portrait), under the keyboard (landscape: the fields need the height)
        id: actions
        x: page.wide ? board.x : Theme.margin
        width: page.wide ? board.width : page.sideWidth - 2 * Theme.margin
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        spacing: Theme.s3
        KioskButton {
            objectName: "readCardButton"
            visible: page.offers("read_card")
            width: (parent.width - Theme.s3) * 0.42
            height: Theme.primaryHeight
            navRole: "forward"
            iconName: "contactless"
            text: Tr.t("id.read_card")
            onClicked: kiosk.intent("read_card", {})
        }
        KioskButton {
            objectName: "submitButton"
            width: page.offers("read_card") ? (parent.width - Theme.s3) * 0.58 : parent.width
            kind: "primary"
            navRole: "forward"
            iconName: "arrow_forward"
            text: Tr.t("btn.next")
            enabled: plateEntry.complete && page.offers("submit_plate")
            onClicked: plateEntry.submit()
        }
    }
}
