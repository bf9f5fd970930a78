import QtQuick
import Kiosk

// A refused action, said in words for a few seconds over the top of the page.
Rectangle {
    id: banner
    objectName: "banner"
    property string key: kiosk.banner
    visible: key !== ""
    height: label.implicitHeight + 2 * Theme.s3
    radius: Theme.radiusControl
    color: Theme.danger
    Row {
        anchors { fill: parent; margins: Theme.s3 }
        spacing: Theme.s2
        Icon { name: "error"; size: 56; color: "#ffffff" }
        Text {
            id: label
            width: parent.width - 72
            text: banner.key ? Tr.f("banner.refused", {text: Tr.t(banner.key)}) : ""
            color: "#ffffff"
            font.family: Theme.fontFamily; font.pixelSize: Theme.fontBody; font.weight: Font.Bold
            wrapMode: Text.WordWrap
        }
    }
}
