import QtQuick
import Kiosk
import Kiosk.Native

// Pay by phone: the amount, the QR code (always dark on white for scanners), the time left, the order
// reference. The flow decides when the payment has arrived; the shell asks it every 2 s.
KioskPage {
    id: page
    readonly property int cents: viewData.amount_cents || 0
    property int secondsLeft: 0
    onViewChanged: secondsLeft = view && view.data ? view.data.expires_in_s || 0 : 0
    Timer { interval: 1000; repeat: true; running: page.visible && page.secondsLeft > 0 && Theme.animate; onTriggered: page.secondsLeft -= 1 }

    Card {
        id: qrCard
        x: page.wide ? Theme.margin + Theme.s4 : (page.width - width) / 2
        y: page.wide ? (page.height - height) / 2 : Theme.s3
        width: page.wide ? Math.min(page.height - 2 * Theme.s3, 720) : Math.min(page.width - 2 * Theme.margin, page.height * (Theme.large || Theme.lowReach ? 0.34 : 0.42))
        height: width
        elevation: Theme.elevation2
        color: "#ffffff"
        QrCode {
            objectName: "qr"
            anchors { fill: parent; margins: Theme.s3 }
            text: page.viewData.qr_text || ""
        }
    }

    Column {
        id: info
        x: page.wide ? qrCard.x + qrCard.width + Theme.s8 : Theme.margin
        y: page.wide ? Theme.s4 : qrCard.y + qrCard.height + Theme.s4
        width: page.width - x - Theme.margin
        spacing: Theme.s2
        Row {
            spacing: Theme.s4
            anchors.horizontalCenter: page.wide ? undefined : parent.horizontalCenter
            Image {
                source: Qt.resolvedUrl("../art/phone.svg")
                width: 80; height: 146
                sourceSize.width: width; sourceSize.height: height
                visible: !Theme.contrast && !(page.wide && Theme.large)
                anchors.verticalCenter: parent.verticalCenter
            }
            Column {
                anchors.verticalCenter: parent.verticalCenter
                spacing: Theme.s1
                Label { role: "body"; color: Theme.inkMuted; text: Tr.t("confirm.amount") }
                Label { objectName: "amount"; role: Theme.large || page.wide ? "display" : "hero"; color: Theme.primary
                        text: Tr.f("money.yuan", {yuan: Tr.yuan(page.cents)}) }
            }
        }
        Label { visible: !(page.wide && Theme.large); width: parent.width; role: "body"; color: Theme.inkMuted
                horizontalAlignment: page.wide ? Text.AlignLeft : Text.AlignHCenter; text: Tr.t("pay.methods") }
        Row {
            spacing: Theme.s3
            anchors.horizontalCenter: page.wide ? undefined : parent.horizontalCenter
            CountdownRing {
                width: 104
                fraction: page.secondsLeft / Math.max(1, page.viewData.expires_in_s || 1)
                label: page.secondsLeft
                fontSize: 36
                color: page.secondsLeft > 30 ? Theme.primary : Theme.danger
            }
            Label {
                objectName: "payCountdown"
                anchors.verticalCenter: parent.verticalCenter
                role: "body"
                text: page.secondsLeft > 0 ? Tr.f("pay.countdown", {s: page.secondsLeft}) : Tr.t("pay.expired")
            }
        }
        Pill { tone: "warning"; iconName: "info"; maxWidth: info.width; anchors.horizontalCenter: page.wide ? undefined : parent.horizontalCenter
               text: Tr.t("pay.stay") }
        Label { visible: !(page.wide && Theme.large); role: "caption"; color: Theme.inkMuted
                anchors.horizontalCenter: page.wide ? undefined : parent.horizontalCenter
                text: Tr.f("pay.order_ref", {ref: page.viewData.order_ref || ""}) }
    }
}
