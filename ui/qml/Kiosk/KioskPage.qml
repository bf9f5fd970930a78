import QtQuick
import Kiosk

// The base of every page: the flow view it shows (a snapshot, kept while it slides away) and helpers.
Item {
    id: page
    property var view: ({})
    readonly property var viewData: view && view.data ? view.data : ({})
    readonly property var intents: view && view.intents ? view.intents : []
    readonly property string service: view && view.service ? view.service : ""
    readonly property bool wide: Theme.landscape
    function offers(intent) { return intents.indexOf(intent) >= 0 }
}
