import QtQuick
import Kiosk

// A raised white surface (elevation by a soft offset shade: the software scene graph has no blur).
Item {
    id: card
    property color color: Theme.surface
    property color borderColor: Theme.contrast ? Theme.line : "transparent"
    property int radius: Theme.radiusCard
    property int elevation: Theme.elevation1
    default property alias content: surface.data

    Rectangle {
        visible: !Theme.contrast && card.elevation > 0
        anchors.fill: parent
        anchors.topMargin: card.elevation
        anchors.bottomMargin: -card.elevation
        radius: card.radius
        color: Theme.shadow
    }
    Rectangle {
        id: surface
        anchors.fill: parent
        radius: card.radius
        color: card.color
        border.width: Theme.contrast ? Theme.borderWidth : 0
        border.color: card.borderColor
    }
}
