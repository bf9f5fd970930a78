import QtQuick
import Kiosk

// Not done: what happened in plain words, what the citizen can do now, the money (refund, reference) when
// any was taken, the help number; try again when a retry would work, else finish. Never a dead end.
// Landscape: what happened on the left; the money, help and buttons on the right.
KioskPage {
    id: page
    readonly property string code: viewData.error_code || "internal"
    readonly property var refund: viewData.refund || null
    readonly property bool cancelled: code === "cancelled"
    readonly property real leftWidth: (page.wide ? page.width * 0.52 : page.width) - 2 * Theme.margin

    Column {
        id: column
        x: Theme.margin; y: Theme.s3
        width: page.leftWidth
        spacing: Theme.s3
        Row {
            spacing: Theme.s3
            Rectangle {
                id: badge
                width: Theme.large ? 96 : 120; height: width; radius: width / 2
                color: page.cancelled ? Theme.tint : Theme.dangerTint
                border.width: Theme.contrast ? Theme.borderWidth : 0
                border.color: Theme.danger
                Icon { anchors.centerIn: parent; size: parent.width * 0.7; name: page.cancelled ? "info" : "error_outline"
                       color: page.cancelled ? Theme.primary : Theme.danger }
            }
            Column {
                width: column.width - badge.width - Theme.s3
                anchors.verticalCenter: parent.verticalCenter
                Label { visible: !Theme.large; role: "caption"; color: Theme.inkMuted; text: Tr.t("failed.what") }
                Label { objectName: "errorText"; width: parent.width; role: Theme.large || page.wide ? "lead" : "title"
                        text: Tr.t(page.viewData.error_key || ("error." + page.code)) }
            }
        }
        Card {
            width: parent.width
            height: nextColumn.implicitHeight + 2 * Theme.s3
            Column {
                id: nextColumn
                x: Theme.s3; y: Theme.s3
                width: parent.width - 2 * Theme.s3
                spacing: Theme.s1
                Label { visible: !Theme.large; role: "caption"; color: Theme.inkMuted; text: Tr.t("failed.next") }
                Label { objectName: "nextText"; width: parent.width; role: Theme.large ? "body" : "lead"
                        font.weight: Font.Medium; text: Tr.t(page.viewData.next_key || "next.call_staff") }
            }
        }
        Label { visible: !!page.viewData.order_ref; role: "body"; color: Theme.inkMuted
                text: Tr.f("failed.order", {ref: page.viewData.order_ref || ""}) }
        Row {
            visible: kiosk.helpPhone !== "" && !page.cancelled && !(page.wide && Theme.large)  // 求助 is in the footer
            spacing: Theme.s2
            Icon { id: phoneIcon; name: "call"; size: 48; color: Theme.primary; anchors.verticalCenter: parent.verticalCenter }
            Label { width: column.width - phoneIcon.width - Theme.s2; role: "body"
                    text: Tr.f("failed.help", {phone: kiosk.helpPhone}) }
        }
    }

    Column {
        id: money
        x: page.wide ? column.x + column.width + Theme.s6 : Theme.margin
        y: page.wide ? Theme.s3 : column.y + column.height + Theme.s3
        width: page.width - x - Theme.margin
        spacing: Theme.s2
        Label { visible: !!page.viewData.retry_on; width: money.width; role: "lead"; font.weight: Font.Medium
                text: Tr.f("failed.retry_on", {date: page.viewData.retry_on || ""}) }
        Pill {  // money was taken and no refund is under way: what next says what happens to it
            visible: page.refund === null && (page.viewData.paid_cents || 0) > 0
            tone: "warning"
            iconName: "payments"
            maxWidth: money.width
            text: Tr.f("failed.paid", {yuan: Tr.yuan(page.viewData.paid_cents)})
        }
        Card {
            objectName: "refundCard"
            visible: page.refund !== null
            width: parent.width
            height: refundColumn.implicitHeight + 2 * Theme.s3
            color: Theme.warningTint
            Column {
                id: refundColumn
                x: Theme.s3; y: Theme.s3
                width: parent.width - 2 * Theme.s3
                spacing: Theme.s1
                Label { width: parent.width; role: Theme.large ? "body" : "lead"; font.weight: Font.Bold; color: Theme.warning
                        text: page.refund ? Tr.f("failed.refund", {yuan: Tr.yuan(page.refund.amount_cents)}) : "" }
                Label { visible: !!(page.refund && page.refund.state === "failed"); width: parent.width; role: "body"
                        text: Tr.t("failed.refund.failed") }  // pending or done: the next step's text says so
                Label { width: parent.width; role: "body"; color: Theme.inkMuted; visible: !!(page.refund && page.refund.reference)
                        text: page.refund ? Tr.f("failed.refund_ref", {ref: page.refund.reference || ""}) : "" }
            }
        }
    }

    Column {
        x: money.x
        width: money.width
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        spacing: Theme.s3
        KioskButton {
            objectName: "retryButton"
            visible: page.offers("retry")
            width: parent.width
            kind: "primary"
            navRole: "forward"
            iconName: "replay"
            text: Tr.t("btn.retry")
            onClicked: kiosk.intent("retry", {})
        }
        KioskButton {
            objectName: "finishButton"
            width: parent.width
            kind: page.offers("retry") ? "secondary" : "primary"
            navRole: "forward out"
            iconName: "home"
            text: Tr.t("btn.finish")
            enabled: page.offers("finish")
            onClicked: kiosk.intent("finish", {})
        }
    }
}
