import QtQuick
import Kiosk

// The brand band (site name, time) and, in portrait, a toolbar band with the modes. Five taps on the clock
// open the technician screen.
Rectangle {
    id: header
    property bool showModes: true          // hidden on the attract screen and in the low-reach layout
    readonly property bool modesInBand: Theme.landscape
    height: Theme.headerHeight + (showModes && !modesInBand ? Theme.toolbarHeight + Theme.s2 : 0)
    color: Theme.brand

    Rectangle {  // the toolbar band, a shade lighter
        visible: header.showModes && !header.modesInBand
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.toolbarHeight + Theme.s2
        color: Theme.brandRaised
        border.width: Theme.contrast ? 1 : 0
        border.color: Theme.line
        ModeBar {
            anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
            maxWidth: header.width - 2 * Theme.margin
        }
    }

    Item {
        id: band
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Theme.headerHeight
        Rectangle {
            id: mark
            anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
            width: 80; height: 80; radius: 20
            color: Theme.contrast ? "transparent" : "#ffffff"
            border.width: Theme.contrast ? Theme.borderWidth : 0
            border.color: Theme.inkOnBrand
            Icon { anchors.centerIn: parent; name: "local_police"; size: 56; color: Theme.contrast ? Theme.inkOnBrand : Theme.brand }
        }
        Column {
            anchors { left: mark.right; leftMargin: Theme.s3; right: modes.left; rightMargin: Theme.s3
                      verticalCenter: parent.verticalCenter }
            Text {
                width: parent.width
                text: kiosk.siteName
                color: Theme.inkOnBrand
                font.family: Theme.fontFamily
                font.pixelSize: 44
                font.weight: Font.Bold
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: 32
            }
            Text {
                text: Tr.t("brand.tagline")
                color: Theme.inkOnBrandMuted
                font.family: Theme.fontFamily
                font.pixelSize: 32
            }
        }
        ModeBar {
            id: modes
            visible: header.showModes && header.modesInBand
            maxWidth: 1040
            width: visible ? implicitWidth : 0
            anchors { right: clock.left; rightMargin: Theme.s3; verticalCenter: parent.verticalCenter }
        }
        MouseArea {
            id: clock
            objectName: "clock"
            anchors { right: parent.right; top: parent.top; bottom: parent.bottom }
            width: clockText.implicitWidth + 2 * Theme.margin
            onPressed: kiosk.clockTapped()
            Text {
                id: clockText
                anchors.centerIn: parent
                text: kiosk.clock
                color: Theme.inkOnBrand
                font.family: Theme.fontFamily
                font.pixelSize: 56
                font.weight: Font.Bold
            }
        }
    }
}
