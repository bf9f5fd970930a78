import QtQuick
import Kiosk

// Read the ID card: the drawing shows where the reader is and a card going onto it; the read runs by itself
// (the shell keeps asking the flow). The other ways in: type the number, or (traffic) the plate.
KioskPage {
    id: page
    readonly property string errorKey: viewData.error_key || ""

    KioskFront {
        id: drawing
        mode: "insert"
        highlight: ["reader"]
        height: page.wide ? page.height - 2 * Theme.s4
            : Math.max(320, Math.min(760, page.height - info.height - actions.height - 6 * Theme.s3))
        width: height * 0.66
        x: page.wide ? 240 : (page.width - width) / 2
        y: Theme.s3
    }

    Column {
        id: info
        x: page.wide ? drawing.x + drawing.width + Theme.s8 : Theme.margin
        y: page.wide ? Theme.s6 : drawing.y + drawing.height + Theme.s4
        width: page.width - x - Theme.margin
        spacing: Theme.s3
        Row {
            spacing: Theme.s2
            Rectangle { width: 64; height: 64; radius: 32; color: Theme.accent
                        Icon { anchors.centerIn: parent; name: "contactless"; size: 44; color: Theme.inkOnAccent } }
            Label { width: info.width - 80; anchors.verticalCenter: parent.verticalCenter; role: "lead"
                    text: Tr.t("card.where") }
        }
        Row {
            visible: page.errorKey === "" && !(page.wide && Theme.large)  // the drawing shows the waiting too
            spacing: Theme.s2
            Spinner { width: 48; height: 48; anchors.verticalCenter: parent.verticalCenter; running: page.visible }
            Label { objectName: "cardStatus"; anchors.verticalCenter: parent.verticalCenter; role: "body"
                    color: Theme.inkMuted; text: Tr.t("card.waiting") }
        }
        Pill {
            objectName: "cardError"
            visible: page.errorKey !== ""
            tone: "danger"
            maxWidth: info.width
            fontSize: Theme.fontBody
            text: page.errorKey ? Tr.t(page.errorKey) : ""
        }
        Label { visible: !(page.wide && Theme.large); width: info.width; role: "body"; color: Theme.inkMuted
                text: Tr.t("card.hold") }
    }

    Column {
        id: actions
        x: info.x
        width: info.width
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        spacing: Theme.s3
        KioskButton {
            objectName: "enterNumberButton"
            visible: page.offers("enter_id_number")
            width: parent.width
            navRole: "forward"
            iconName: "keyboard_arrow_right"
            text: Tr.t("card.enter_number")
            onClicked: kiosk.intent("enter_id_number", {})
        }
        KioskButton {
            objectName: "byPlateButton"
            visible: page.offers("lookup_by_plate")
            width: parent.width
            navRole: "forward"
            iconName: "directions_car"
            text: Tr.t("card.by_plate")
            onClicked: kiosk.intent("lookup_by_plate", {})
        }
    }
}
