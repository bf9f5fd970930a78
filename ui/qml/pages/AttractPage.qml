import QtQuick
import Kiosk

// The screen between visits: a gentle loop through the services, notices pushed by the fleet, and the
// invitation to touch (in both languages: the visitor has not chosen one yet). Any touch starts a visit.
KioskPage {
    id: page
    readonly property var services: ["temp_id", "certificate", "traffic", "endorsement"]
    property int shown: 0

    Rectangle {
        anchors.fill: parent
        gradient: Gradient {
            GradientStop { position: 0; color: Theme.contrast ? "#000000" : "#0a2a66" }
            GradientStop { position: 1; color: Theme.contrast ? "#000000" : "#1a4fa8" }
        }
    }
    Repeater {  // soft rings behind the carousel
        model: 3
        Rectangle {
            visible: !Theme.contrast
            width: page.width * (0.7 + index * 0.32); height: width; radius: width / 2
            x: (page.width - width) / 2
            y: carousel.y + carousel.height / 2 - height / 2
            color: "transparent"
            border.width: 2
            border.color: Qt.rgba(1, 1, 1, 0.10 - index * 0.025)
        }
    }

    Column {
        id: intro
        anchors { top: parent.top; topMargin: page.wide ? Theme.s6 : Theme.s12; left: parent.left; right: parent.right
                  leftMargin: Theme.margin; rightMargin: Theme.margin }
        spacing: Theme.s2
        Label {
            width: parent.width; role: "display"; color: Theme.inkOnBrand
            horizontalAlignment: Text.AlignHCenter
            text: Tr.t("attract.title")
        }
        Label {
            width: parent.width; role: "lead"; color: Theme.inkOnBrandMuted; font.weight: Font.Normal
            horizontalAlignment: Text.AlignHCenter
            text: Tr.t("attract.services")
        }
    }

    Item {
        id: carousel
        anchors { horizontalCenter: parent.horizontalCenter; top: intro.bottom; topMargin: page.wide ? Theme.s4 : Theme.s8 }
        width: page.wide ? 380 : 560
        height: width + name.height + Theme.s4
        Repeater {
            model: page.services
            Item {
                width: carousel.width; height: carousel.width
                opacity: index === page.shown ? 1 : 0
                scale: index === page.shown ? 1 : 0.92
                Behavior on opacity { NumberAnimation { duration: Theme.durSlow * 2 } }
                Behavior on scale { NumberAnimation { duration: Theme.durSlow * 2; easing.type: Easing.OutCubic } }
                Rectangle {
                    anchors.fill: parent; radius: width / 2
                    color: Theme.contrast ? "#000000" : "#ffffff"
                    border.width: Theme.contrast ? Theme.borderWidth : 0
                    border.color: Theme.accent
                }
                ServiceArt { anchors.centerIn: parent; width: parent.width * 0.8; height: width; service: modelData }
            }
        }
        Label {
            id: name
            anchors { top: parent.top; topMargin: carousel.width + Theme.s4; horizontalCenter: parent.horizontalCenter }
            role: "title"; color: Theme.inkOnBrand
            text: Tr.t("service." + page.services[page.shown])
        }
    }
    Row {
        anchors { horizontalCenter: parent.horizontalCenter; top: carousel.bottom; topMargin: Theme.s3 }
        spacing: Theme.s2
        Repeater {
            model: page.services.length
            Rectangle { width: index === page.shown ? 48 : 16; height: 16; radius: 8
                        color: index === page.shown ? Theme.accent : Qt.rgba(1, 1, 1, 0.4)
                        Behavior on width { NumberAnimation { duration: Theme.durNormal } } }
        }
    }
    Timer {
        interval: 3200; repeat: true
        running: page.visible && Theme.animate
        onTriggered: page.shown = (page.shown + 1) % page.services.length
    }

    Column {
        id: notices
        anchors { left: parent.left; right: parent.right; bottom: touch.top; margins: Theme.margin; bottomMargin: Theme.s5 }
        spacing: Theme.s2
        Repeater {
            model: kiosk.notices
            Rectangle {
                width: notices.width
                height: noticeText.implicitHeight + 2 * Theme.s3
                radius: Theme.radiusControl
                color: Theme.contrast ? "#000000" : "#fff6dd"
                border.width: Theme.contrast ? Theme.borderWidth : 0
                border.color: Theme.accent
                Row {
                    anchors { fill: parent; margins: Theme.s3 }
                    spacing: Theme.s2
                    Icon { name: "info"; size: 48; color: Theme.contrast ? Theme.accent : Theme.warning }
                    Label { id: noticeText; width: parent.width - 64; role: "body"; text: modelData
                            color: Theme.contrast ? Theme.ink : "#4a3000" }
                }
            }
        }
    }

    Column {
        id: touch
        anchors { bottom: parent.bottom; bottomMargin: page.wide ? Theme.s5 : Theme.s12; horizontalCenter: parent.horizontalCenter }
        spacing: Theme.s2
        Item {
            anchors.horizontalCenter: parent.horizontalCenter
            width: 200; height: 200
            Rectangle {
                id: ripple
                anchors.centerIn: parent
                width: 120; height: 120; radius: width / 2
                color: "transparent"; border.width: 6; border.color: Theme.accent
                SequentialAnimation on width {
                    running: page.visible && Theme.animate; loops: Animation.Infinite
                    NumberAnimation { from: 110; to: 200; duration: 1600; easing.type: Easing.OutCubic }
                    PauseAnimation { duration: 400 }
                }
                opacity: Theme.animate ? 1.0 - (width - 110) / 100 : 0.6
            }
            Rectangle {
                anchors.centerIn: parent
                width: 120; height: 120; radius: 60
                color: Theme.accent
                Icon { anchors.centerIn: parent; name: "touch_app"; size: 80; color: Theme.inkOnAccent }
            }
        }
        Label {
            objectName: "touchPrompt"
            anchors.horizontalCenter: parent.horizontalCenter
            role: "display"; color: Theme.inkOnBrand
            text: Tr.t("attract.touch")
        }
        Label {
            anchors.horizontalCenter: parent.horizontalCenter
            role: "lead"; font.weight: Font.Normal; color: Theme.inkOnBrandMuted
            text: Tr.t("attract.touch_other")
        }
        Label {
            anchors.horizontalCenter: parent.horizontalCenter
            visible: kiosk.helpPhone !== ""
            role: "body"; color: Theme.inkOnBrandMuted
            text: Tr.f("attract.help", {phone: kiosk.helpPhone})
        }
    }

    MouseArea {
        objectName: "attractTouch"
        anchors.fill: parent
        onPressed: kiosk.start()
    }
}
