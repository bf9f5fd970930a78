import QtQuick
import Kiosk

// The named steps of the service ("读卡 · 人脸核验 · 确认 · 缴费 · 打印"): done ones ticked, the current
// one in gold. In 大字 mode only the current step's name shows, with "step n of m".
Item {
    id: stepper
    property var steps: []
    property int index: -1
    readonly property bool compact: Theme.large
    height: Theme.stepperHeight
    visible: steps.length > 0

    Row {
        id: row
        visible: !stepper.compact
        anchors { fill: parent; leftMargin: Theme.margin; rightMargin: Theme.margin; topMargin: Theme.s1 }
        readonly property real column: width / Math.max(1, stepper.steps.length)
        Repeater {
            model: stepper.steps
            Item {
                width: row.column
                height: row.height
                Rectangle {  // the line from the previous step's dot to this one
                    visible: index > 0
                    x: -row.column / 2 + 30
                    width: row.column - 60
                    y: 24
                    height: 4
                    color: index <= stepper.index ? Theme.primary : Theme.line
                }
                Rectangle {
                    id: dot
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: 52; height: 52; radius: 26
                    color: index < stepper.index ? Theme.primary : index === stepper.index ? Theme.accent : Theme.surface
                    border.width: index > stepper.index ? Theme.borderWidth : 0
                    border.color: Theme.line
                    Icon {
                        anchors.centerIn: parent
                        visible: index < stepper.index
                        name: "check"; size: 36; color: Theme.inkOnPrimary
                    }
                    Text {
                        anchors.centerIn: parent
                        visible: index >= stepper.index
                        text: index + 1
                        color: index === stepper.index ? Theme.inkOnAccent : Theme.inkMuted
                        font.family: Theme.fontFamily; font.pixelSize: 32; font.weight: Font.Bold
                    }
                }
                Text {
                    anchors { top: dot.bottom; topMargin: 2; left: parent.left; right: parent.right }
                    horizontalAlignment: Text.AlignHCenter
                    text: Tr.t(modelData)
                    color: index === stepper.index ? Theme.ink : Theme.inkMuted
                    font.family: Theme.fontFamily; font.pixelSize: 32
                    font.weight: index === stepper.index ? Font.Bold : Font.Normal
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 32
                    wrapMode: Text.WordWrap
                    maximumLineCount: 1
                }
            }
        }
    }

    Row {
        visible: stepper.compact
        anchors.centerIn: parent
        spacing: Theme.s3
        Rectangle {
            width: 72; height: 72; radius: 36; color: Theme.accent
            anchors.verticalCenter: parent.verticalCenter
            Text { anchors.centerIn: parent; text: stepper.index + 1; color: Theme.inkOnAccent
                   font.family: Theme.fontFamily; font.pixelSize: 44; font.weight: Font.Bold }
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            text: stepper.index >= 0 && stepper.index < stepper.steps.length ? Tr.t(stepper.steps[stepper.index]) : ""
            color: Theme.ink; font.family: Theme.fontFamily; font.pixelSize: Theme.fontLead; font.weight: Font.Bold
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            text: Tr.f("stepper.of", {n: stepper.index + 1, of: stepper.steps.length})
            color: Theme.inkMuted; font.family: Theme.fontFamily; font.pixelSize: Theme.fontCaption
        }
    }
}
