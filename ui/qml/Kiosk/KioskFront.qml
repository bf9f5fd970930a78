import QtQuick
import Kiosk

// The front of this kiosk, drawn: the screen, the camera above it, and the card reader and the exits where
// the configured positions put them (kiosk.devicePositions: slot -> [x, y], fractions of the front).
// mode "insert": a card goes onto the reader; "take": what the visit made comes out of its exits;
// "look": the camera is pointed out. Highlighted parts glow and are named.
Item {
    id: front
    property var highlight: []
    property string mode: ""
    property string insertArt: "idcard"
    property string insertSlot: "reader"  // where the card or permit goes
    property bool showNames: true
    readonly property var positions: kiosk.devicePositions
    readonly property var sizes: ({"reader": [0.36, 0.10], "card": [0.3, 0.026], "receipt": [0.24, 0.026],
                                    "a4": [0.46, 0.026], "permit": [0.36, 0.10], "camera": [0.07, 0.04]})
    readonly property var pads: ["reader", "permit"]  // things are laid on these; the rest are exits
    readonly property var arts: ({"card": "idcard", "receipt": "receipt", "a4": "a4", "permit": "permit",
                                  "reader": "idcard"})
    readonly property bool running: Theme.animate && visible
    implicitWidth: 420
    implicitHeight: 640

    function px(slot) { return (positions[slot] || [0.5, 0.5])[0] * width }
    function py(slot) { return (positions[slot] || [0.5, 0.5])[1] * height }
    function lit(slot) { return highlight.indexOf(slot) >= 0 }

    Rectangle {  // the cabinet
        anchors.fill: parent
        radius: width * 0.07
        gradient: Gradient {
            GradientStop { position: 0; color: Theme.contrast ? "#000000" : "#eef2f8" }
            GradientStop { position: 1; color: Theme.contrast ? "#000000" : "#d2dcea" }
        }
        border.width: 4
        border.color: Theme.contrast ? Theme.ink : Theme.brand
    }
    Rectangle {  // its screen
        x: front.width * 0.1; y: front.height * 0.09
        width: front.width * 0.8; height: front.height * 0.36
        radius: front.width * 0.03
        color: Theme.contrast ? "#000000" : Theme.brand
        border.width: Theme.contrast ? 2 : 0
        border.color: Theme.ink
        Column {
            anchors.centerIn: parent
            spacing: parent.height * 0.08
            Repeater {
                model: [0.6, 0.45, 0.52]
                Rectangle { width: front.width * 0.8 * modelData; height: front.height * 0.02; radius: height / 2
                            color: Theme.contrast ? Theme.ink : "#5d86cf" }
            }
        }
    }

    Repeater {  // reader and exits
        model: Object.keys(front.positions)
        Item {
            id: part
            readonly property string slot: modelData
            readonly property var size: front.sizes[slot] || [0.3, 0.026]
            x: front.px(slot) - width / 2
            y: front.py(slot) - height / 2
            width: front.width * size[0]
            height: front.height * size[1]
            Rectangle {
                anchors.fill: parent
                radius: front.pads.indexOf(part.slot) >= 0 ? width * 0.1 : height / 2
                color: front.pads.indexOf(part.slot) >= 0 ? (Theme.contrast ? "#000000" : "#ffffff")
                     : part.slot === "camera" ? "#13203b"
                     : front.lit(part.slot) ? (Theme.contrast ? Theme.ink : "#13203b") : (Theme.contrast ? "#777777" : "#9aa8c0")
                border.width: front.pads.indexOf(part.slot) >= 0 || part.slot === "camera" ? 4 : 0
                border.color: front.lit(part.slot) ? Theme.accent : (Theme.contrast ? Theme.ink : "#8a9bb8")
                Icon {
                    visible: front.pads.indexOf(part.slot) >= 0
                    anchors.centerIn: parent
                    name: "contactless"; size: Math.min(parent.height * 0.7, 72)
                    color: front.lit(part.slot) ? Theme.accent : "#8a9bb8"
                }
            }
            Rectangle {  // the glow around a highlighted part
                visible: front.lit(part.slot)
                anchors.centerIn: parent
                width: parent.width + 28; height: parent.height + 28
                radius: Math.min(width, height) / 2
                color: "transparent"
                border.width: 6
                border.color: Theme.accent
                SequentialAnimation on opacity {
                    running: front.running; loops: Animation.Infinite
                    NumberAnimation { from: 1; to: 0.25; duration: 800 }
                    NumberAnimation { from: 0.25; to: 1; duration: 800 }
                }
            }
            Rectangle {  // its name, outside the cabinet on its nearer side
                visible: front.lit(part.slot) && front.showNames
                readonly property bool leftSide: front.px(part.slot) < front.width / 2
                x: leftSide ? -part.x - width - Theme.s2 : front.width - part.x + Theme.s2
                anchors.verticalCenter: parent.verticalCenter
                width: name.implicitWidth + 2 * Theme.s2
                height: name.implicitHeight + Theme.s1
                radius: height / 2
                color: Theme.accent
                Text { id: name; anchors.centerIn: parent; text: Tr.t("slot." + part.slot); color: Theme.inkOnAccent
                       font.family: Theme.fontFamily; font.pixelSize: 32; font.weight: Font.Bold }
                Rectangle {  // the pointer from the name to the part
                    width: Theme.s2 + (parent.leftSide ? part.x : front.width - part.x - part.width); height: 4
                    color: Theme.accent
                    anchors.verticalCenter: parent.verticalCenter
                    x: parent.leftSide ? parent.width : -width
                }
            }
            Image {  // what waits on a pad to be taken (the permit, written)
                visible: front.mode === "take" && front.lit(part.slot) && front.pads.indexOf(part.slot) >= 0
                anchors.centerIn: parent
                width: parent.width * 0.9; height: width * 0.63
                source: Qt.resolvedUrl("../art/" + (front.arts[part.slot] || "idcard") + ".svg")
                sourceSize.width: width; sourceSize.height: height
            }
            Item {  // what comes out of an exit, sliding down out of the machine
                visible: front.mode === "take" && front.lit(part.slot) && front.pads.indexOf(part.slot) < 0 && part.slot !== "camera"
                clip: true
                x: (part.width - width) / 2
                y: part.height / 2
                width: part.width * 0.8
                height: front.height * 0.2
                Image {
                    id: out
                    width: parent.width
                    height: width * (part.slot === "a4" ? 1.33 : part.slot === "receipt" ? 1.6 : 0.63)
                    source: Qt.resolvedUrl("../art/" + (front.arts[part.slot] || "a4") + ".svg")
                    sourceSize.width: width
                    sourceSize.height: height
                    y: front.running ? -height : parent.height * 0.55 - height
                    SequentialAnimation on y {
                        running: front.running; loops: Animation.Infinite
                        NumberAnimation { from: -out.height; to: out.parent.height * 0.55 - out.height + out.height * 0.6
                                          duration: 1400; easing.type: Easing.OutCubic }
                        PauseAnimation { duration: 1400 }
                    }
                }
            }
        }
    }

    Image {  // the card going onto the reader
        id: card
        visible: front.mode === "insert"
        width: front.width * 0.34
        height: width * 0.63
        source: Qt.resolvedUrl("../art/" + front.insertArt + ".svg")
        sourceSize.width: width
        sourceSize.height: height
        x: front.px(front.insertSlot) - width / 2
        readonly property real landed: front.py(front.insertSlot) - height / 2
        y: landed
        SequentialAnimation on y {
            running: front.running && front.mode === "insert"; loops: Animation.Infinite
            NumberAnimation { from: card.landed - front.height * 0.28; to: card.landed; duration: 1300; easing.type: Easing.InOutCubic }
            PauseAnimation { duration: 1100 }
        }
        SequentialAnimation on opacity {
            running: front.running && front.mode === "insert"; loops: Animation.Infinite
            NumberAnimation { from: 0; to: 1; duration: 400 }
            PauseAnimation { duration: 1700 }
            NumberAnimation { from: 1; to: 0; duration: 300 }
        }
    }
}
