import QtQuick
import QtQuick.Layouts
import Kiosk

// 办事指南: what to bring, the fee, the time, what to know, before the service starts. Portrait: the facts
// under the heading; landscape: the heading and the start button on the left, the facts on the right.
KioskPage {
    id: page
    readonly property string name: kiosk.guideService
    readonly property var tile: {
        const found = kiosk.services.filter(item => item.name === page.name)
        return found.length ? found[0] : {"available": false, "reason": "tile.unavailable"}
    }
    readonly property var facts: [["bring", "badge"], ["fee", "payments"], ["time", "schedule"], ["notes", "info"]]
    readonly property int paneWidth: page.wide ? Math.round(page.width * 0.38) : page.width

    Item {
        id: lead
        x: 0; y: 0
        width: page.paneWidth
        height: page.wide ? page.height : heading.height + Theme.s4

        Grid {
            id: heading
            x: Theme.margin; y: Theme.s4
            width: parent.width - 2 * Theme.margin
            columns: page.wide ? 1 : 2
            spacing: Theme.s3
            ServiceArt {
                id: art
                service: page.name
                width: Theme.large || Theme.lowReach || (page.wide && !page.tile.available) ? 140 : page.wide ? 240 : 180
                height: width
                dim: !page.tile.available
            }
            Column {
                width: page.wide ? heading.width : heading.width - art.width - Theme.s3
                spacing: Theme.s1
                Label { role: "caption"; color: Theme.primary; font.weight: Font.Bold; text: Tr.t("tile.guide") }
                Label { width: parent.width; role: Theme.large ? "lead" : "title"
                        text: page.name ? Tr.t("service." + page.name) : "" }
                Label { width: parent.width; role: "body"; color: Theme.inkMuted
                        text: page.name ? Tr.t("service." + page.name + ".desc") : "" }
            }
        }
    }

    Flickable {  // scrolls only when 大字 or the low-reach layout make the facts taller than the room left
        id: facts
        visible: page.tile.available  // what to bring matters only when it can be done here
        x: page.wide ? page.paneWidth : Theme.margin
        y: page.wide ? Theme.s4 : lead.height
        width: page.width - x - Theme.margin
        height: (page.wide ? page.height - Theme.s4 : startRow.y - Theme.s3) - y
        contentHeight: factsColumn.height
        clip: true
        boundsBehavior: Flickable.StopAtBounds
    Grid {
        id: factsColumn
        width: facts.width
        columns: page.wide ? 2 : 1
        spacing: Theme.s3
        readonly property real cellWidth: (width - (columns - 1) * spacing) / columns
        Repeater {
            model: page.facts
            Card {
                width: factsColumn.cellWidth
                height: page.wide ? Math.max(factRow.height + 2 * Theme.s3, (facts.height - Theme.s3) / 2)
                                  : factRow.height + 2 * Theme.s3
                Row {
                    id: factRow
                    x: Theme.s3
                    anchors.verticalCenter: parent.verticalCenter
                    width: parent.width - 2 * Theme.s3
                    spacing: Theme.s3
                    Rectangle {
                        id: badge
                        width: 88; height: 88; radius: 44; color: Theme.tint
                        anchors.verticalCenter: parent.verticalCenter
                        Icon { anchors.centerIn: parent; name: modelData[1]; size: 52; color: Theme.primary }
                    }
                    Column {
                        width: parent.width - badge.width - Theme.s3
                        anchors.verticalCenter: parent.verticalCenter
                        Label { role: "caption"; color: Theme.inkMuted; text: Tr.t("guide." + modelData[0]) }
                        Label { width: parent.width; role: Theme.large || Theme.lowReach ? "body" : "lead"; font.weight: Font.Medium
                                text: page.name ? Tr.t("guide." + page.name + "." + modelData[0]) : "" }
                    }
                }
            }
        }
    }
    }

    Column {  // what to do instead, where the facts would be
        visible: !page.tile.available
        x: page.wide ? page.paneWidth : Theme.margin
        y: page.wide ? Theme.s6 : lead.height + Theme.s3
        width: page.width - x - Theme.margin
        spacing: Theme.s3
        Pill {
            tone: "danger"
            maxWidth: parent.width
            fontSize: Theme.fontBody
            text: Tr.f("guide.unavailable", {reason: Tr.t(page.tile.reason)})
        }
        Label {
            width: parent.width; role: "lead"; font.weight: Font.Medium
            text: Tr.t(page.tile.reason === "reason.starting" ? "tile.instead.starting" : "tile.instead")
        }
    }

    Item {
        id: startRow
        x: Theme.margin
        width: page.paneWidth - 2 * Theme.margin
        height: start.height
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        KioskButton {
            id: start
            objectName: "startButton"
            width: parent.width
            y: 0
            kind: "primary"
            navRole: "forward"
            iconName: "arrow_forward"
            enabled: page.tile.available
            text: Tr.t("guide.start")
            onClicked: kiosk.startGuided()
        }
    }
}
