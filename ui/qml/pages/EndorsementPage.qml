import QtQuick
import Kiosk

// The endorsements this permit can have here (from the backend): one big card each - where to, which kind,
// how many entries, how long, the fee. Touching one chooses it; the confirmation follows.
KioskPage {
    id: page
    readonly property var options: viewData.options || []
    readonly property int columns: page.wide && !Theme.large ? 2 : 1

    Grid {
        id: grid
        x: Theme.margin; y: Theme.s3
        width: page.width - 2 * Theme.margin
        columns: page.columns
        spacing: Theme.s3
        readonly property real cellWidth: (width - (columns - 1) * spacing) / columns
        readonly property int rows: Math.ceil(page.options.length / columns)
        readonly property real cellHeight: Math.min(Theme.large ? 360 : 280,
            (page.height - 2 * Theme.s3 - (rows - 1) * spacing) / Math.max(1, rows))
        Repeater {
            model: page.options
            KioskButton {
                id: option
                objectName: "option_" + modelData.id
                width: grid.cellWidth
                height: grid.cellHeight
                navRole: "forward"
                Accessible.name: Tr.t("place." + modelData.destination)
                onClicked: kiosk.intent("choose_endorsement", {"option_id": modelData.id})
                contentItem: Item {
                    Rectangle {
                        id: badge
                        x: Theme.s2; anchors.verticalCenter: parent.verticalCenter
                        width: Math.min(parent.height - Theme.s2, Theme.large ? 96 : 120); height: width; radius: width / 2
                        color: Theme.tint
                        Icon { anchors.centerIn: parent; name: "flight_takeoff"; size: parent.width * 0.55; color: Theme.primary }
                    }
                    Column {
                        x: badge.x + badge.width + Theme.s3
                        width: money.x - x - Theme.s3
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 4
                        Label { width: parent.width; role: Theme.large ? "lead" : "title"; color: Theme.ink
                                text: Tr.t("place." + modelData.destination) }
                        Label { width: parent.width; role: "body"; color: Theme.ink
                                text: Tr.f("endorsement.kind", {type: Tr.t("endorsement_type." + modelData.type),
                                                                entries: Tr.t("entries." + modelData.entries)}) }
                    }
                    Column {
                        id: money
                        anchors { right: parent.right; rightMargin: Theme.s3; verticalCenter: parent.verticalCenter }
                        spacing: 4
                        Label { anchors.right: parent.right; role: Theme.large ? "lead" : "display"; color: Theme.primary
                                text: Tr.f("money.yuan", {yuan: Tr.yuan(modelData.fee_cents)}) }
                        Label { anchors.right: parent.right; role: "caption"; color: Theme.inkMuted
                                text: Tr.f("endorsement.validity", {n: modelData.validity_months}) }
                    }
                }
            }
        }
    }
}
