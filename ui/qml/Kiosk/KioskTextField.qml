import QtQuick
import QtQuick.Templates as T
import Kiosk

// A free-text field for the in-window keyboard (dedicated keypads stay for ID numbers, plates and VINs).
T.TextField {
    id: field
    implicitHeight: Theme.minTarget + Theme.s2
    implicitWidth: 600
    leftPadding: Theme.s3
    rightPadding: Theme.s3
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontLead
    color: Theme.ink
    placeholderTextColor: Theme.inkFaint
    verticalAlignment: TextInput.AlignVCenter
    inputMethodHints: Qt.ImhNoPredictiveText
    background: Rectangle {
        radius: Theme.radiusControl
        color: Theme.surface
        border.width: field.activeFocus ? 4 : Theme.borderWidth
        border.color: field.activeFocus ? Theme.accent : Theme.line
    }
    Text {
        visible: !field.text && !field.preeditText
        x: field.leftPadding
        anchors.verticalCenter: parent.verticalCenter
        text: field.placeholderText
        color: Theme.inkMuted
        font: field.font
    }
}
