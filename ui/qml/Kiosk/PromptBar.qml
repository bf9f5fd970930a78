import QtQuick
import Kiosk

// The step's instruction, as spoken, with a button to hear it again.
Item {
    id: bar
    property string text: ""
    property bool replayVisible: true
    implicitHeight: Math.max(label.implicitHeight, replay.height) + 2 * Theme.s2
    Text {
        id: label
        anchors { left: parent.left; right: replay.visible ? replay.left : parent.right; rightMargin: Theme.s3
                  verticalCenter: parent.verticalCenter }
        text: bar.text
        color: Theme.ink
        font.family: Theme.fontFamily
        font.pixelSize: Theme.landscape || Theme.large ? Theme.fontLead : Theme.fontTitle
        font.weight: Font.Bold
        wrapMode: Text.WordWrap
    }
    KioskButton {
        id: replay
        objectName: "replayButton"
        visible: bar.replayVisible
        anchors { right: parent.right; verticalCenter: parent.verticalCenter }
        kind: "quiet"
        iconName: "volume_up"
        iconSize: 56
        width: 96; height: 96
        Accessible.name: Tr.t("speech.replay")
        onClicked: kiosk.replay()
    }
}
