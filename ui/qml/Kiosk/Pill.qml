import QtQuick
import Kiosk

// A status label: tone ok | warning | danger | info, an icon and a short text (wraps within maxWidth).
Rectangle {
    id: pill
    property string tone: "ok"
    property string iconName: tone === "ok" ? "check_circle" : tone === "danger" ? "error" : "info"
    property alias text: label.text
    property int fontSize: Theme.fontCaption
    property int maxWidth: 1000
    readonly property color ink: tone === "ok" ? Theme.success : tone === "danger" ? Theme.danger
        : tone === "warning" ? Theme.warning : Theme.primary
    readonly property int chrome: fontSize + Theme.s1 + 2 * Theme.s3
    width: Math.min(label.implicitWidth, maxWidth - chrome) + chrome
    height: Math.max(60, label.height + Theme.s2)
    radius: Math.min(height / 2, Theme.radiusCard)
    color: tone === "ok" ? Theme.successTint : tone === "danger" ? Theme.dangerTint
        : tone === "warning" ? Theme.warningTint : Theme.tint
    border.width: Theme.contrast ? Theme.borderWidth : 0
    border.color: ink
    Icon {
        id: icon
        anchors { left: parent.left; leftMargin: Theme.s3; verticalCenter: parent.verticalCenter }
        name: pill.iconName; size: pill.fontSize; color: pill.ink
    }
    Text {
        id: label
        anchors { left: icon.right; leftMargin: Theme.s1; verticalCenter: parent.verticalCenter }
        width: Math.min(implicitWidth, pill.maxWidth - pill.chrome)
        color: pill.ink
        font.family: Theme.fontFamily
        font.pixelSize: pill.fontSize
        font.weight: Font.Bold
        wrapMode: Text.WordWrap
    }
}
