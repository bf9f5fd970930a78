import QtQuick
import QtQuick.Layouts
import Kiosk

// Every service as a big illustrated tile that fills the screen, each with its state.
KioskPage {
    id: page
    readonly property int columns: page.wide ? 4 : Theme.large || Theme.lowReach ? 1 : 2

    Column {
        id: titles
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin; topMargin: Theme.s5 }
        spacing: Theme.s1
        Label { width: parent.width; role: Theme.large ? "lead" : "title"; text: Tr.t("home.title") }
        Label { visible: !Theme.large; width: parent.width; role: "body"; color: Theme.inkMuted
                text: Tr.t("home.subtitle") }
    }

    GridLayout {
        id: grid
        anchors { left: parent.left; right: parent.right; top: titles.bottom; bottom: parent.bottom
                  margins: Theme.margin; topMargin: Theme.s4 }
        columns: page.columns
        rowSpacing: Theme.s4
        columnSpacing: Theme.s4
        Repeater {
            model: kiosk.services
            ServiceTile {
                objectName: "tile_" + modelData.name
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: 1
                service: modelData.name
                available: modelData.available
                reason: modelData.reason
                row: !page.wide && (Theme.large || Theme.lowReach)
                onClicked: kiosk.openGuide(modelData.name)
            }
        }
    }
}
