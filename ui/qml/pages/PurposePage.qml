import QtQuick
import Kiosk

// What the certificate is for: one big card per purpose the flow offers.
KioskPage {
    id: page
    readonly property var purposes: viewData.purposes || []
    readonly property var purposeKeys: viewData.purpose_keys || []
    function label(index, purpose) {  // the flow's key for it, else the catalogue's, else the site's word
        if (index < purposeKeys.length && purposeKeys[index])
            return Tr.t(purposeKeys[index])
        return Tr.has("purpose." + purpose) ? Tr.t("purpose." + purpose) : purpose
    }
    readonly property var icons: ({"就业": "work", "出国（境）": "flight_takeoff", "入学": "school", "收养": "family_restroom"})
    readonly property int columns: Theme.large ? 1 : page.wide ? 3 : 2

    Grid {
        id: grid
        x: Theme.margin; y: Theme.s3
        width: page.width - 2 * Theme.margin
        columns: page.columns
        spacing: Theme.s3
        readonly property real cellWidth: (width - (columns - 1) * spacing) / columns
        readonly property int rows: Math.ceil(page.purposes.length / columns)
        readonly property real cellHeight: Math.min(Theme.large ? 168 : 280, (page.height - 2 * Theme.s3 - (rows - 1) * spacing) / Math.max(1, rows))
        Repeater {
            model: page.purposes
            KioskButton {
                objectName: "purpose_" + modelData
                width: grid.cellWidth
                height: grid.cellHeight
                navRole: "forward"
                vertical: !Theme.large
                iconName: page.icons[modelData] || "more_horiz"
                iconSize: Theme.large ? 72 : 96
                fontSize: Theme.fontLead
                text: page.label(index, modelData)
                onClicked: kiosk.intent("submit_purpose", {"purpose": modelData})
            }
        }
    }
}
