import QtQuick
import Kiosk

// The violations found: every one that can be handled here is chosen at first; each row is one big target.
// Ones that cannot be handled here say why. The total of the chosen ones sits above the way forward.
KioskPage {
    id: page

    Item {
        id: points
        x: Theme.margin; y: Theme.s2
        width: page.width - 2 * Theme.margin
        height: pointsText.visible ? pointsText.implicitHeight : 0
        Label {
            id: pointsText
            width: parent.width
            visible: page.viewData.driver_points !== undefined && page.viewData.driver_points !== null
            role: "body"; color: Theme.inkMuted
            text: Tr.f("items.points_total", {n: page.viewData.driver_points || 0})
        }
    }

    ListView {
        id: list
        objectName: "itemsList"
        x: Theme.margin
        y: points.y + points.height + Theme.s2
        width: page.width - 2 * Theme.margin
        height: summary.y - y - Theme.s3
        clip: true
        spacing: Theme.s2
        boundsBehavior: Flickable.StopAtBounds
        model: selection.items
        delegate: Card {
            id: row
            objectName: "item_" + modelData.id
            width: list.width
            height: texts.implicitHeight + 2 * Theme.s3
            color: modelData.chosen ? Theme.tint : Theme.surface
            borderColor: modelData.chosen ? Theme.primary : Theme.line
            opacity: modelData.eligible ? 1 : 0.8
            Icon {
                id: box
                x: Theme.s3
                anchors.verticalCenter: parent.verticalCenter
                size: 80
                name: !modelData.eligible ? "cancel" : modelData.chosen ? "check_box" : "check_box_outline_blank"
                color: !modelData.eligible ? Theme.inkDisabled : Theme.primary
            }
            Column {
                id: texts
                x: box.x + box.width + Theme.s3
                y: Theme.s3
                width: parent.width - x - Theme.s3
                spacing: 4
                Label { width: parent.width; role: "lead"; text: modelData.title || "" }
                Label { width: parent.width; role: "body"; color: Theme.inkMuted; text: modelData.detail || "" }
                Flow {
                    width: parent.width
                    spacing: Theme.s2
                    Label { role: "body"; font.weight: Font.Bold
                            text: Tr.f("items.fine", {yuan: Tr.yuan(modelData.fine_cents)}) }
                    Label { visible: (modelData.late_fee_cents || 0) > 0; role: "body"; color: Theme.warning
                            text: Tr.f("items.late_fee", {yuan: Tr.yuan(modelData.late_fee_cents)}) }
                    Label { role: "body"; color: Theme.inkMuted; text: Tr.f("items.points", {n: modelData.points || 0}) }
                }
                Pill {
                    visible: !modelData.eligible
                    tone: "danger"
                    maxWidth: texts.width
                    text: modelData.reason_key ? Tr.t(modelData.reason_key) : Tr.t("items.not_here")
                }
            }
            MouseArea {  // the model refuses rows that cannot be handled here
                anchors.fill: parent
                onClicked: selection.toggle(modelData.id)
            }
        }
    }

    Rectangle {
        id: summary
        x: 0
        width: page.width
        anchors { bottom: parent.bottom }
        height: summaryRow.height + 2 * Theme.s3
        color: Theme.surface
        Rectangle { width: parent.width; height: Theme.borderWidth; color: Theme.line }
        Item {
            id: summaryRow
            x: Theme.margin; y: Theme.s3
            width: parent.width - 2 * Theme.margin
            height: page.wide ? Theme.primaryHeight : total.height + Theme.s2 + Theme.primaryHeight
            Label {
                id: total
                objectName: "itemsTotal"
                width: page.wide ? parent.width * 0.55 : parent.width
                anchors.verticalCenter: page.wide ? parent.verticalCenter : undefined
                role: "lead"
                color: selection.count > 0 ? Theme.ink : Theme.danger
                text: selection.count > 0
                    ? Tr.f("items.total", {count: selection.count, yuan: Tr.yuan(selection.totalCents), points: selection.points})
                    : Tr.t("items.none_selected")
            }
            KioskButton {
                objectName: "submitButton"
                anchors { right: parent.right; bottom: parent.bottom }
                width: page.wide ? parent.width * 0.42 : parent.width
                kind: "primary"
                navRole: "forward"
                iconName: "arrow_forward"
                text: Tr.t("btn.next")
                enabled: selection.canSubmit
                onClicked: selection.submit()
            }
        }
    }
}
