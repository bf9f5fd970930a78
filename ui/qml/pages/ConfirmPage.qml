import QtQuick
import Kiosk

// Check the details (masked by the flow) and the amount; 免费 stands alone when nothing is due.
KioskPage {
    id: page
    readonly property var fields: viewData.fields || []
    readonly property int cents: viewData.amount_cents || 0
    // [label key, value, unit key]: a value with its unit ("3" "个月"), or a unit key alone for a translated
    // value (["field.destination", "", "place.HK"]); a purpose is the site's word, named when the catalogue can
    function valueText(field) {
        const value = String(field[1] === undefined ? "" : field[1])
        const unit = field.length > 2 && field[2] ? Tr.t(field[2]) : ""
        if (!value)
            return unit
        const shown = Tr.has("purpose." + value) ? Tr.t("purpose." + value) : value
        return unit ? Tr.f("value.with_unit", {value: shown, unit: unit}) : shown
    }

    Card {
        id: details
        x: Theme.margin; y: Theme.s3
        width: (page.wide ? page.width * 0.56 : page.width) - 2 * Theme.margin
        height: rows.implicitHeight + 2 * Theme.s4
        Column {
            id: rows
            x: Theme.s4; y: Theme.s4
            width: parent.width - 2 * Theme.s4
            spacing: 0
            Repeater {
                model: page.fields
                Item {  // label beside the value, or above it in 大字
                    readonly property bool stackedRow: false
                    width: rows.width
                    readonly property int pad: page.wide && Theme.large ? Theme.s1 : Theme.s3
                    height: (stackedRow ? name.implicitHeight + value.implicitHeight
                             : Math.max(name.implicitHeight, value.implicitHeight)) + 2 * pad
                    Rectangle { visible: index > 0; width: parent.width; height: 2; color: Theme.line }
                    Label { id: name; y: parent.pad; width: parent.stackedRow ? parent.width : parent.width * 0.36
                            role: "body"; color: Theme.inkMuted; text: Tr.t(modelData[0]) }
                    Label {
                        id: value
                        objectName: "field_" + modelData[0]
                        x: parent.stackedRow ? 0 : parent.width * 0.38
                        y: parent.stackedRow ? parent.pad + name.implicitHeight : parent.pad
                        width: parent.stackedRow ? parent.width : parent.width * 0.62
                        role: "lead"
                        fontSizeMode: Text.HorizontalFit  // an 18-character number has no place to wrap
                        minimumPixelSize: 32
                        text: page.valueText(modelData)
                    }
                }
            }
        }
    }

    Column {
        id: amount
        x: page.wide ? details.x + details.width + Theme.s6 : Theme.margin
        y: page.wide ? Theme.s3 : details.y + details.height + Theme.s5
        width: page.width - x - Theme.margin
        spacing: Theme.s1
        Label { visible: page.cents > 0; role: "body"; color: Theme.inkMuted; text: Tr.t("confirm.amount") }
        Label {
            objectName: "amount"
            role: Theme.large ? "display" : "hero"
            color: page.cents > 0 ? Theme.primary : Theme.success
            text: page.cents > 0 ? Tr.f("money.yuan", {yuan: Tr.yuan(page.cents)}) : Tr.t("confirm.free")
        }
    }

    KioskButton {
        objectName: "confirmButton"
        x: amount.x
        width: amount.width
        anchors { bottom: parent.bottom; bottomMargin: Theme.margin }
        kind: "primary"
        navRole: "forward"
        iconName: "check"
        text: Tr.t("confirm.button")
        enabled: page.offers("confirm")
        onClicked: kiosk.intent("confirm", {})
    }
}
