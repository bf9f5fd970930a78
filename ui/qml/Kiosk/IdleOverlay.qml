import QtQuick
import Kiosk

// "Are you still there?": any touch continues; at zero the visit is wiped.
Rectangle {
    id: overlay
    objectName: "idleOverlay"
    visible: kiosk.warningLeft > 0
    color: Theme.scrim
    MouseArea { anchors.fill: parent; onPressed: kiosk.keepSession() }
    Card {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 860)
        height: column.implicitHeight + 2 * Theme.s6
        elevation: Theme.elevation2
        Column {
            id: column
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.s6 }
            spacing: Theme.s4
            CountdownRing {
                anchors.horizontalCenter: parent.horizontalCenter
                width: 240
                fraction: kiosk.warningLeft / Math.max(1, kiosk.warningTotal)
                label: kiosk.warningLeft
                fontSize: 88
                color: Theme.danger
            }
            Label { width: parent.width; role: "title"; horizontalAlignment: Text.AlignHCenter; text: Tr.t("idle.title") }
            Label {
                objectName: "idleCountdown"
                width: parent.width
                role: "lead"
                font.weight: Font.Normal
                horizontalAlignment: Text.AlignHCenter
                color: Theme.inkMuted
                text: Tr.f("idle.countdown", {s: kiosk.warningLeft})
            }
            KioskButton {
                objectName: "continueButton"
                kind: "primary"
                navRole: "forward"
                iconName: "touch_app"
                width: parent.width
                text: Tr.t("idle.continue")
                onClicked: kiosk.keepSession()
            }
        }
    }
}
