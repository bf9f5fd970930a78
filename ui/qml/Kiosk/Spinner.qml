import QtQuick
import QtQuick.Shapes
import Kiosk

// A turning arc: the kiosk is alive and working.
Item {
    id: spinner
    property color color: Theme.primary
    property bool running: visible
    implicitWidth: 160
    implicitHeight: 160
    Shape {
        id: arc
        anchors.fill: parent
        ShapePath {
            strokeColor: Theme.contrast ? "#555555" : Theme.tint
            strokeWidth: spinner.width / 12
            fillColor: "transparent"
            PathAngleArc {
                centerX: spinner.width / 2; centerY: spinner.height / 2
                radiusX: spinner.width / 2 - spinner.width / 12; radiusY: radiusX
                startAngle: 0; sweepAngle: 360
            }
        }
        ShapePath {
            strokeColor: spinner.color
            strokeWidth: spinner.width / 12
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            PathAngleArc {
                centerX: spinner.width / 2; centerY: spinner.height / 2
                radiusX: spinner.width / 2 - spinner.width / 12; radiusY: radiusX
                startAngle: -90; sweepAngle: 100
            }
        }
        RotationAnimator on rotation {
            from: 0; to: 360; duration: 1100; loops: Animation.Infinite
            running: spinner.running && Theme.animate
        }
    }
}
