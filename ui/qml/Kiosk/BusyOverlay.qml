import QtQuick
import Kiosk

// "Please wait": while a call is in flight nothing can be touched (header and footer included); the dimmed
// panel appears only when the call takes longer than a moment.
MouseArea {
    id: overlay
    objectName: "busyOverlay"
    visible: kiosk.inputBlocked
    hoverEnabled: true
    preventStealing: true
    Rectangle {
        anchors.fill: parent
        visible: kiosk.busyVisible
        color: Theme.scrim
        Card {
            anchors.centerIn: parent
            width: 560; height: 440
            elevation: Theme.elevation2
            Column {
                anchors.centerIn: parent
                spacing: Theme.s4
                Spinner { anchors.horizontalCenter: parent.horizontalCenter; running: overlay.visible && kiosk.busyVisible }
                Label { anchors.horizontalCenter: parent.horizontalCenter; role: "title"; text: Tr.t("busy.wait") }
            }
        }
    }
}
