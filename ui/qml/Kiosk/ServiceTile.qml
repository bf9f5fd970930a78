import QtQuick
import QtQuick.Templates as T
import Kiosk

// A service on the home screen: its picture, name, what it is for, and whether it can be used now (and if
// not, why and what to do instead). Touch opens its guide.
T.AbstractButton {
    id: tile
    property string service: ""
    property bool available: false
    property string reason: ""
    property bool row: false          // picture beside the text (大字 / one column)
    property string navRole: "forward"
    focusPolicy: Qt.NoFocus
    Accessible.name: Tr.t("service." + service)

    background: Card {
        elevation: tile.down ? 0 : Theme.elevation2
        color: tile.down ? Theme.tint : Theme.surface
        borderColor: Theme.contrast ? (tile.available ? Theme.accent : Theme.line) : "transparent"
    }

    contentItem: Item {
        id: box
        ServiceArt {
            id: art
            service: tile.service
            dim: !tile.available
            // the picture takes what the words leave (English names run to two lines)
            width: tile.row ? Math.min(box.height - 2 * Theme.s3, 200)
                : Math.max(0, Math.min(box.width * 0.6, box.height * 0.42,
                                       box.height - texts.height - bottomStatus.height - 4 * Theme.s3 - Theme.s4))
            visible: width >= 72
            height: width
            x: tile.row ? Theme.s4 : (box.width - width) / 2
            y: tile.row ? (box.height - height) / 2 : Theme.s4
        }
        Column {
            id: texts
            x: tile.row ? art.x + art.width + Theme.s4 : Theme.s3
            width: box.width - x - Theme.s3
            y: tile.row ? (box.height - height) / 2 : (art.visible ? art.y + art.height : 0) + Theme.s3
            spacing: Theme.s1
            Label {
                width: parent.width
                role: "lead"
                font.pixelSize: Math.round(Theme.fontLead * 1.1)
                horizontalAlignment: tile.row ? Text.AlignLeft : Text.AlignHCenter
                text: Tr.t("service." + tile.service)
                color: tile.available ? Theme.ink : Theme.inkMuted
                fontSizeMode: tile.row ? Text.FixedSize : Text.HorizontalFit  // a long word shrinks (>= 32 px)
                minimumPixelSize: 32
            }
            Label {
                width: parent.width
                visible: !tile.row && !Theme.large  // 大字: the name and the state only
                role: "body"
                horizontalAlignment: tile.row ? Text.AlignLeft : Text.AlignHCenter
                color: Theme.inkMuted
                text: Tr.t("service." + tile.service + ".desc")
            }
            Item { width: 1; height: Theme.s1; visible: tile.row }
            Loader { active: tile.row; sourceComponent: status; width: parent.width }
        }
        Loader {
            id: bottomStatus
            active: !tile.row
            sourceComponent: status
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: Theme.s3 }
        }
    }

    Component {
        id: status
        Column {
            spacing: Theme.s1
            Pill {
                objectName: "status"
                x: tile.row ? 0 : (parent.width - width) / 2
                maxWidth: parent.width
                tone: tile.available ? "ok" : "danger"
                text: tile.available ? Tr.t("tile.available") : Tr.t(tile.reason)
            }
            Label {
                width: parent.width
                visible: !tile.available && !Theme.large  // 大字: the guide says what to do instead
                role: "caption"
                horizontalAlignment: tile.row ? Text.AlignLeft : Text.AlignHCenter
                color: Theme.inkMuted
                text: Tr.t(tile.reason === "reason.starting" ? "tile.instead.starting" : "tile.instead")
            }
        }
    }
}
