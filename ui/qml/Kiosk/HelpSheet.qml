import QtQuick
import Kiosk

// 求助: the duty officer is rung (the intercom hook) and the help number is shown.
Rectangle {
    id: sheet
    objectName: "helpSheet"
    visible: kiosk.helpState !== ""
    color: Theme.scrim
    MouseArea { anchors.fill: parent }
    Card {
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: Theme.footerHeight + Theme.s4 }
        width: Math.min(parent.width - 2 * Theme.margin, 960)
        height: column.implicitHeight + 2 * Theme.s6
        elevation: Theme.elevation2
        Column {
            id: column
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.s6 }
            spacing: Theme.s4
            Row {
                spacing: Theme.s3
                Rectangle {
                    width: 112; height: 112; radius: 56; color: Theme.tint
                    Icon { anchors.centerIn: parent; name: "support_agent"; size: 72; color: Theme.primary }
                }
                Label { anchors.verticalCenter: parent.verticalCenter; role: "title"; text: Tr.t("help.title") }
            }
            Row {
                spacing: Theme.s2
                Spinner { width: 56; height: 56; visible: kiosk.helpState === "calling"; anchors.verticalCenter: parent.verticalCenter }
                Label {
                    objectName: "helpStatus"
                    width: column.width - (kiosk.helpState === "calling" ? 72 : 0)
                    role: "lead"
                    color: kiosk.helpState === "failed" ? Theme.danger : Theme.ink
                    text: kiosk.helpState ? Tr.t("help." + kiosk.helpState) : ""
                }
            }
            Rectangle {
                width: parent.width
                height: phoneColumn.implicitHeight + 2 * Theme.s3
                radius: Theme.radiusControl
                color: Theme.tint
                visible: kiosk.helpPhone !== ""
                Column {
                    id: phoneColumn
                    anchors.centerIn: parent
                    Label { anchors.horizontalCenter: parent.horizontalCenter; role: "body"; color: Theme.inkMuted; text: Tr.t("help.phone") }
                    Row {
                        anchors.horizontalCenter: parent.horizontalCenter
                        spacing: Theme.s2
                        Icon { name: "call"; size: 64; color: Theme.primary; anchors.verticalCenter: parent.verticalCenter }
                        Label { objectName: "helpPhone"; role: "display"; text: kiosk.helpPhone; color: Theme.primary }
                    }
                }
            }
            KioskButton {
                objectName: "closeHelpButton"
                kind: "primary"
                navRole: "out"
                width: parent.width
                iconName: "close"
                text: Tr.t("help.close")
                onClicked: kiosk.closeHelp()
            }
        }
    }
}
