import QtQuick
import QtQuick.Shapes
import Kiosk

// A ring that empties as time runs out, the seconds in the middle.
Item {
    id: ring
    property real fraction: 1.0   // what is left, 0..1
    property string label: ""
    property color color: Theme.accent
    property color track: Theme.contrast ? "#555555" : Theme.line
    property int thickness: Math.max(6, Math.round(width / 12))
    property int fontSize: Math.round(width * 0.3)
    implicitWidth: 96
    implicitHeight: width  // always round

    Shape {
        anchors.fill: parent
        preferredRendererType: Shape.CurveRenderer
        ShapePath {
            strokeColor: ring.track
            strokeWidth: ring.thickness
            fillColor: "transparent"
            PathAngleArc {
                centerX: ring.width / 2; centerY: ring.height / 2
                radiusX: ring.width / 2 - ring.thickness; radiusY: radiusX
                startAngle: 0; sweepAngle: 360
            }
        }
        ShapePath {
            strokeColor: ring.color
            strokeWidth: ring.thickness
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            PathAngleArc {
                centerX: ring.width / 2; centerY: ring.height / 2
                radiusX: ring.width / 2 - ring.thickness; radiusY: radiusX
                startAngle: -90; sweepAngle: 360 * Math.max(0, Math.min(1, ring.fraction))
            }
        }
    }
    Text {
        anchors.centerIn: parent
        text: ring.label
        color: Theme.ink
        font.family: Theme.fontFamily
        font.pixelSize: ring.fontSize
        font.weight: Font.Bold
    }
}
