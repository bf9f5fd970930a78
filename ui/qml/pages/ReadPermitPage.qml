import QtQuick
import Kiosk

// The travel permit on the reader: the drawing shows where, and the permit going onto it; the read (its chip
// opened with the number just typed) runs by itself, the shell asking the flow again after each wait.
KioskPage {
    id: page
    readonly property string errorKey: viewData.error_key || ""

    KioskFront {
        id: drawing
        mode: "insert"
        insertArt: "permit"
        insertSlot: "permit"
        highlight: ["permit"]
        height: page.wide ? page.height - 2 * Theme.s4
            : Math.max(320, Math.min(760, page.height - info.height - 5 * Theme.s3))
        width: height * 0.66
        x: page.wide ? 240 : (page.width - width) / 2
        y: Theme.s3
    }

    Column {
        id: info
        x: page.wide ? drawing.x + drawing.width + 280 : Theme.margin  // room for the reader's name
        y: page.wide ? Theme.s6 : drawing.y + drawing.height + Theme.s4
        width: page.width - x - Theme.margin
        spacing: Theme.s3
        Row {
            spacing: Theme.s2
            Rectangle { width: 64; height: 64; radius: 32; color: Theme.accent
                        Icon { anchors.centerIn: parent; name: "contactless"; size: 44; color: Theme.inkOnAccent } }
            Label { width: info.width - 80; anchors.verticalCenter: parent.verticalCenter; role: "lead"
                    text: Tr.t("permit.where") }
        }
        Row {
            visible: page.errorKey === ""
            spacing: Theme.s2
            Spinner { width: 48; height: 48; anchors.verticalCenter: parent.verticalCenter; running: page.visible }
            Label { anchors.verticalCenter: parent.verticalCenter; role: "body"; color: Theme.inkMuted
                    text: Tr.t("card.waiting") }
        }
        Pill {
            objectName: "permitError"
            visible: page.errorKey !== ""
            tone: "danger"
            maxWidth: info.width
            fontSize: Theme.fontBody
            text: page.errorKey ? Tr.t(page.errorKey) : ""
        }
        Label { visible: !(page.wide && Theme.large); width: info.width; role: "body"; color: Theme.inkMuted
                text: Tr.t("permit.hold") }
    }
}
