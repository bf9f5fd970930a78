import QtQuick
import Kiosk

// A service's illustration (art/<service>.svg, drawn for the kiosk); a bold icon in high contrast.
Item {
    id: art
    property string service: ""
    property bool dim: false
    readonly property var icons: ({"temp_id": "badge", "certificate": "verified_user", "traffic": "directions_car",
                                   "endorsement": "flight_takeoff"})
    implicitWidth: 240
    implicitHeight: 240
    Image {
        anchors.fill: parent
        visible: !Theme.contrast
        source: art.service ? Qt.resolvedUrl("../art/" + art.service + ".svg") : ""
        sourceSize.width: width
        sourceSize.height: height
        opacity: art.dim ? 0.45 : 1
        smooth: true
    }
    Rectangle {
        anchors.fill: parent
        visible: Theme.contrast
        radius: width / 2
        color: "transparent"
        border.width: Theme.borderWidth
        border.color: art.dim ? Theme.inkDisabled : Theme.accent
        Icon { anchors.centerIn: parent; name: art.icons[art.service] || "info"; size: art.width * 0.55
               color: art.dim ? Theme.inkDisabled : Theme.accent }
    }
}
