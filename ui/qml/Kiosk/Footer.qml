import QtQuick
import Kiosk

// The persistent ways out and help: 返回 (when a way back exists), 首页 (leave the visit, only before any
// payment), the idle countdown ring, and 求助 (calls the duty officer).
Rectangle {
    id: footer
    property bool canBack: false
    property bool canHome: false
    height: Theme.footerHeight
    color: Theme.surface
    Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.line }

    Row {
        anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        spacing: Theme.s3
        KioskButton {
            objectName: "backButton"
            visible: footer.canBack
            navRole: "out"
            vertical: !Theme.landscape
            iconName: "arrow_back"
            text: Tr.t("footer.back")
            width: Math.max(Theme.large ? 220 : 184, implicitWidth)
            height: Theme.footerHeight - 2 * Theme.s2
            onClicked: kiosk.back()
        }
        KioskButton {
            objectName: "homeButton"
            visible: footer.canHome
            navRole: "out"
            vertical: !Theme.landscape
            iconName: "home"
            text: Tr.t("footer.home")
            width: Math.max(Theme.large ? 220 : 184, implicitWidth)
            height: Theme.footerHeight - 2 * Theme.s2
            onClicked: kiosk.home()
        }
    }

    Row {
        anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        spacing: Theme.s4
        Label {
            visible: kiosk.idleOn
            anchors.verticalCenter: parent.verticalCenter
            font.pixelSize: 32
            color: Theme.inkMuted
            horizontalAlignment: Text.AlignRight
            text: Tr.t("footer.idle_caption")
        }
        Item {
            visible: kiosk.idleOn
            width: 88; height: 88
            anchors.verticalCenter: parent.verticalCenter
            CountdownRing {
                objectName: "idleRing"
                width: 88
                fraction: kiosk.idleTotal > 0 ? kiosk.idleLeft / kiosk.idleTotal : 0
                label: kiosk.idleLeft
                fontSize: 32
                color: kiosk.warningLeft > 0 ? Theme.danger : Theme.accent
            }
        }
        KioskButton {
            objectName: "helpButton"
            kind: "accent"
            vertical: !Theme.landscape
            iconName: "support_agent"
            text: Tr.t("footer.help")
            width: Math.max(Theme.large ? 220 : 184, implicitWidth)
            height: Theme.footerHeight - 2 * Theme.s2
            onClicked: kiosk.help()
        }
    }
}
