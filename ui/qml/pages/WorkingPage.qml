import QtQuick
import Kiosk

// The kiosk is working (checking, issuing, printing): what it does now, "paid" at once when money came in,
// and for a step with a known duration a bar and the time left ("正在打印，约 20 秒").
KioskPage {
    id: page
    readonly property int eta: viewData.eta_s || 0
    readonly property int paid: viewData.paid_cents || 0
    readonly property string stage: viewData.stage_key || ""
    property int elapsed: 0
    onStageChanged: elapsed = 0
    Timer { interval: 1000; repeat: true; running: page.visible && page.eta > 0 && Theme.animate; onTriggered: page.elapsed += 1 }

    Column {
        width: page.width - 2 * Theme.margin
        x: Theme.margin
        anchors.verticalCenter: parent.verticalCenter
        spacing: page.wide ? Theme.s2 : Theme.s5
        Pill {
            objectName: "paidBanner"
            visible: page.paid > 0
            anchors.horizontalCenter: parent.horizontalCenter
            tone: "ok"
            fontSize: Theme.fontLead
            maxWidth: parent.width
            text: Tr.f("working.paid", {yuan: Tr.yuan(page.paid)})
        }
        Item {
            anchors.horizontalCenter: parent.horizontalCenter
            width: page.wide ? (Theme.large ? 120 : 200) : 280; height: width
            Spinner { anchors.fill: parent; running: page.visible }
            Icon { anchors.centerIn: parent; size: parent.width * 0.43; color: Theme.primary
                   name: page.stage === "stage.printing" ? "print" : page.stage === "stage.issuing" ? "badge" : "hourglass_top" }
        }
        Label {
            objectName: "stage"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            role: "title"
            text: page.stage ? Tr.t(page.stage) : Tr.t("busy.wait")
        }
        Column {
            visible: page.eta > 0
            width: parent.width
            spacing: Theme.s2
            Rectangle {
                width: parent.width; height: 24; radius: 12
                color: Theme.contrast ? "#333333" : Theme.tint
                Rectangle {
                    height: parent.height; radius: parent.radius
                    color: Theme.primary
                    width: parent.width * Math.min(0.97, page.elapsed / Math.max(1, page.eta))
                    Behavior on width { NumberAnimation { duration: Theme.durSlow * 2 } }
                }
            }
            Label {
                objectName: "eta"
                anchors.horizontalCenter: parent.horizontalCenter
                role: "lead"
                text: Tr.f("working.eta", {s: Math.max(1, page.eta - page.elapsed)})
            }
        }
        Label {
            visible: !(page.wide && Theme.large)  // the stage says it already; the height is short here
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            role: "body"; color: Theme.inkMuted
            text: Tr.t("working.stay")
        }
    }
}
