import QtQuick
import Kiosk

// Done: what to take and where it comes out (drawn on the kiosk's front), the document and its number.
KioskPage {
    id: page
    readonly property var take: viewData.take_items || []
    readonly property var slots: view && view.slots ? view.slots : []
    function takeList() {
        const names = page.take.map(key => Tr.t(key))
        return names.length < 2 ? names.join("")
            : names.slice(0, -1).join(Tr.t("take.separator")) + Tr.t("take.last") + names[names.length - 1]
    }

    Column {
        id: summary
        x: Theme.margin; y: Theme.s3
        width: (page.wide ? page.width * 0.55 : page.width) - 2 * Theme.margin
        spacing: Theme.s3
        Row {
            spacing: Theme.s3
            Rectangle {
                id: tick
                width: Theme.large ? 96 : 128; height: width; radius: width / 2
                color: Theme.success
                Icon { anchors.centerIn: parent; name: "check"; size: parent.width * 0.75; color: Theme.contrast ? "#000000" : "#ffffff" }
                scale: 1
                NumberAnimation on scale { from: 0.6; to: 1; duration: Theme.durSlow; easing.type: Easing.OutBack
                                           running: page.visible && Theme.animate }
            }
            Label {
                objectName: "take"
                width: summary.width - tick.width - Theme.s3
                anchors.verticalCenter: parent.verticalCenter
                role: Theme.large ? "lead" : "title"
                text: page.take.length ? Tr.f("done.take", {items: page.takeList()}) : Tr.t("done.nothing")
            }
        }
        Card {
            width: parent.width
            height: docColumn.implicitHeight + 2 * Theme.s3
            visible: (page.viewData.document_key || "") !== ""
            Column {
                id: docColumn
                x: Theme.s3; y: Theme.s3
                width: parent.width - 2 * Theme.s3
                spacing: Theme.s1
                Label { width: parent.width; role: "lead"; text: page.viewData.document_key ? Tr.t(page.viewData.document_key) : "" }
                Label { visible: (page.viewData.paid_cents || 0) > 0 && !(page.wide && Theme.large); width: parent.width; role: "body"; color: Theme.inkMuted
                        text: Tr.f("done.paid", {yuan: Tr.yuan(page.viewData.paid_cents)}) }
                Label { objectName: "documentNumber"; width: parent.width; role: "body"; color: Theme.inkMuted
                        visible: !!page.viewData.document_number
                        text: Tr.f("done.number", {number: page.viewData.document_number || ""}) }
                Label { width: parent.width; role: "body"; color: Theme.inkMuted
                        visible: !!page.viewData.receipt && !(page.wide && Theme.large)
                        text: Tr.t("done.receipt") }
            }
        }
    }

    KioskFront {
        id: drawing
        mode: "take"
        highlight: page.slots
        visible: page.slots.length > 0
        height: page.wide ? finish.y - 2 * Theme.s3 : Math.min(page.height - summary.height - finish.height - 5 * Theme.s3, 700)
        width: height * 0.66
        x: page.wide ? page.width * 0.55 + (page.width * 0.45 - width) / 2 - Theme.margin / 2 : (page.width - width) / 2
        y: page.wide ? Theme.s3 : summary.y + summary.height + Theme.s3
    }

    KioskButton {
        id: finish
        objectName: "finishButton"
        x: page.wide ? page.width * 0.55 : Theme.margin
        width: (page.wide ? page.width * 0.45 : page.width) - 2 * Theme.margin
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        kind: "primary"
        navRole: "forward out"
        iconName: "check"
        text: Tr.t("done.finish")
        enabled: page.offers("finish")
        onClicked: kiosk.intent("finish", {})
    }
}
