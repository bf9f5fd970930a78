import QtQuick
import Kiosk

// The screen between visits: a gentle loop through the services, notices pushed by the fleet, and the
// invitation to touch (in both languages: the visitor has not chosen one yet). Any touch starts a visit.
// Between visits 大字 is never on, so the sizes here are fixed. Landscape: the loop left, the words right.
KioskPage {
    id: page
    readonly property var services: ["temp_id", "certificate", "traffic", "endorsement"]
    property int shown: 0
    readonly property real half: page.wide ? page.width / 2 : page.width

    Rectangle {
        anchors.fill: parent
        gradient: Gradient {
            GradientStop { position: 0; color: Theme.contrast ? "#000000" : "#0a2a66" }
            GradientStop { position: 1; color: Theme.contrast ? "#000000" : "#1a4fa8" }
        }
    }
    Repeater {  // soft rings behind the loop
        model: 3
        Rectangle {
            visible: !Theme.contrast
            width: page.half * (0.72 + index * 0.32); height: width; radius: width / 2
            x: carousel.x + carousel.width / 2 - width / 2
            y: carousel.y + carousel.width / 2 - height / 2
            color: "transparent"
            border.width: 2
            border.color: Qt.rgba(1, 1, 1, 0.10 - index * 0.025)
        }
    }

    Column {
        id: intro
        x: page.wide ? page.half : Theme.margin
        y: page.wide ? Theme.s8 : Theme.s12
        width: (page.wide ? page.half : page.width) - 2 * Theme.margin
        spacing: Theme.s2
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: Tr.t("attract.title")
            color: Theme.inkOnBrand; font.family: Theme.fontFamily; font.pixelSize: 76; font.weight: Font.Bold
        }
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: Tr.t("attract.services")
            color: Theme.inkOnBrandMuted; font.family: Theme.fontFamily; font.pixelSize: 44
        }
    }

    Item {
        id: carousel
        width: page.wide ? Math.min(page.half * 0.7, page.height * 0.62) : 560
        height: width + name.height + Theme.s4
        x: (page.half - width) / 2
        y: page.wide ? (page.height - height) / 2 - Theme.s3 : intro.y + intro.height + Theme.s8
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
        Text {
            id: name
            y: carousel.width + Theme.s4
            width: carousel.width
            horizontalAlignment: Text.AlignHCenter
            text: Tr.t("service." + page.services[page.shown])
            color: Theme.inkOnBrand; font.family: Theme.fontFamily; font.pixelSize: 56; font.weight: Font.Bold
            fontSizeMode: Text.HorizontalFit; minimumPixelSize: 36
        }
    }
    Row {
        anchors { horizontalCenter: carousel.horizontalCenter; top: carousel.bottom; topMargin: Theme.s3 }
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
        x: intro.x
        width: intro.width
        anchors { bottom: touch.top; bottomMargin: Theme.s5 }
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
                Icon { id: noticeIcon; x: Theme.s3; y: Theme.s3; name: "info"; size: 48
                       color: Theme.contrast ? Theme.accent : Theme.warning }
                Text {
                    id: noticeText
                    x: noticeIcon.x + noticeIcon.width + Theme.s2; y: Theme.s3
                    width: parent.width - x - Theme.s3
                    text: modelData; wrapMode: Text.WordWrap
                    color: Theme.contrast ? Theme.ink : "#4a3000"; font.family: Theme.fontFamily; font.pixelSize: 36
                }
            }
        }
    }

    Column {
        id: touch
        x: intro.x
        width: intro.width
        anchors { bottom: parent.bottom; bottomMargin: page.wide ? Theme.s6 : Theme.s12 }
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
        Text {
            objectName: "touchPrompt"
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: Tr.t("attract.touch")
            color: Theme.inkOnBrand; font.family: Theme.fontFamily; font.pixelSize: 72; font.weight: Font.Bold
        }
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: Tr.t("attract.touch_other")
            color: Theme.inkOnBrandMuted; font.family: Theme.fontFamily; font.pixelSize: 44
        }
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter
            visible: kiosk.helpPhone !== ""
            text: Tr.f("attract.help", {phone: kiosk.helpPhone})
            color: Theme.inkOnBrandMuted; font.family: Theme.fontFamily; font.pixelSize: 36
        }
    }

    MouseArea {
        objectName: "attractTouch"
        property string navRole: "forward"
        anchors.fill: parent
        onPressed: kiosk.start()
    }
}
