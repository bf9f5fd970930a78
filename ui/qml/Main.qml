import QtQuick
import QtQuick.Controls.Basic
import Kiosk

// The one window of the citizen screens: header, step indicator and prompt, a stack of pages, footer, and
// the overlays. Pages are made on first use and kept; `kiosk.screen(page, view)` says what to show.
Window {
    id: root
    width: 1080
    height: 1920
    color: Theme.page
    title: kiosk.siteName

    readonly property string page: kiosk.page
    property var view: ({})
    readonly property bool inFlow: view.step !== undefined && page === view.step
    readonly property var intents: inFlow ? view.intents : []
    readonly property int reachTop: Theme.lowReach && page !== "attract" ? Math.round(root.height / 3) : 0

    Binding { target: Theme; property: "large"; value: kiosk.largeText }
    Binding { target: Theme; property: "contrast"; value: kiosk.highContrast }
    Binding { target: Theme; property: "landscape"; value: root.width > root.height }
    Binding { target: Theme; property: "lowReach"; value: kiosk.lowReach && root.height > root.width }
    Binding { target: Theme; property: "animate"; value: kiosk.animate }
    Binding { target: Tr; property: "strings"; value: kiosk.strings }
    Connections { target: Tr; function onMissing(key) { kiosk.missingText(key) } }

    // --- pages -----------------------------------------------------------------------------------------------
    readonly property var files: ({
        "attract": "AttractPage", "home": "HomePage", "guide": "GuidePage", "read_card": "ReadCardPage",
        "enter_id_number": "IdNumberPage", "enter_plate": "PlatePage", "capture_face": "FacePage",
        "choose_purpose": "PurposePage", "select_items": "ItemsPage", "confirm": "ConfirmPage", "pay": "PayPage",
        "working": "WorkingPage", "done": "DonePage", "failed": "FailedPage",
        "enter_permit_number": "PermitNumberPage", "read_permit": "ReadPermitPage",
        "choose_endorsement": "EndorsementPage"
    })
    property var pages: ({})

    function pageItem(name) {
        if (pages[name] === undefined) {
            const component = Qt.createComponent("pages/" + files[name] + ".qml")
            if (component.status !== Component.Ready) {
                console.error("page " + name + ": " + component.errorString())
                return null
            }
            pages[name] = component.createObject(stack, {"objectName": name + "Page", "visible": false})
        }
        return pages[name]
    }

    function show(name, view) {
        if (name === "") {  // the visit ended: every page forgets what it showed
            root.view = ({})
            for (const key in pages)
                pages[key].view = ({})
            return
        }
        const item = pageItem(name)
        if (item === null)
            return
        root.view = view
        item.view = view
        if (stack.currentItem === null)
            stack.push(item, {}, StackView.Immediate)  // the first page paints at once
        else if (stack.currentItem !== item)
            stack.replace(null, item)
    }

    function release() {  // before the scene is deleted: pages go first, while their context still exists
        stack.clear(StackView.Immediate)
        for (const key in pages)
            pages[key].destroy()
        pages = ({})
    }

    Connections {
        target: kiosk
        function onScreen(name, view) { root.show(name, view) }
    }
    Component.onCompleted: show(kiosk.page, kiosk.currentView())

    // --- frame -----------------------------------------------------------------------------------------------
    Header {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top }
        showModes: root.page !== "attract" && !Theme.lowReach
    }

    Grid {  // the step indicator over the prompt (portrait), or beside it (landscape: height is precious)
        id: chrome
        visible: root.inFlow
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        height: visible ? implicitHeight : 0
        topPadding: Theme.s2
        columns: Theme.landscape ? 2 : 1
        layoutDirection: Theme.landscape ? Qt.RightToLeft : Qt.LeftToRight
        verticalItemAlignment: Grid.AlignVCenter
        Stepper {
            id: stepper
            width: !Theme.landscape ? parent.width : Theme.large ? 800  // 大字: the current step only
                 : Math.min(parent.width * 0.62, Math.max(parent.width * 0.42, steps.length * 196))
            steps: root.inFlow ? root.view.steps : []
            index: root.inFlow ? root.view.stepIndex : -1
        }
        Item {
            width: Theme.landscape ? parent.width - stepper.width : parent.width
            height: prompt.implicitHeight
            PromptBar {
                id: prompt
                objectName: "prompt"
                x: Theme.margin
                width: parent.width - (Theme.landscape ? 1 : 2) * Theme.margin
                text: root.inFlow ? Tr.t(root.view.prompt) : ""
                replayVisible: !Theme.lowReach
            }
        }
    }

    Column {  // the low-reach layout: what the empty top third is for
        visible: Theme.lowReach && root.page !== "attract"
        anchors.horizontalCenter: parent.horizontalCenter
        y: chrome.y + chrome.height + (root.reachTop - chrome.y - chrome.height - height) / 2
        spacing: Theme.s1
        Icon { anchors.horizontalCenter: parent.horizontalCenter; name: "accessible"; size: 96; color: Theme.primary }
        Label { anchors.horizontalCenter: parent.horizontalCenter; role: "body"; color: Theme.inkMuted; text: Tr.t("reach.note") }
    }

    StackView {
        id: stack
        objectName: "pages"
        anchors {
            left: parent.left; right: parent.right
            top: parent.top
            topMargin: Math.max(chrome.y + chrome.height, root.reachTop)
            bottom: footer.visible ? (reachBar.visible ? reachBar.top : footer.top) : parent.bottom
        }
        replaceEnter: Transition {
            ParallelAnimation {
                NumberAnimation { property: "opacity"; from: 0; to: 1; duration: Theme.durNormal }
                NumberAnimation { property: "x"; from: 72; to: 0; duration: Theme.durNormal; easing.type: Easing.OutCubic }
            }
        }
        replaceExit: Transition {
            ParallelAnimation {
                NumberAnimation { property: "opacity"; from: 1; to: 0; duration: Theme.durFast }
                NumberAnimation { property: "x"; from: 0; to: -72; duration: Theme.durFast }
            }
        }
    }

    Rectangle {
        id: reachBar
        visible: Theme.lowReach && root.page !== "attract"
        anchors { left: parent.left; right: parent.right; bottom: footer.top }
        height: visible ? Theme.minTarget + 2 * Theme.s2 : 0
        color: Theme.page
        ModeBar { anchors.centerIn: parent; lightGround: true; maxWidth: parent.width - 2 * Theme.margin }
    }

    Footer {
        id: footer
        visible: root.page !== "attract"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        canBack: root.page === "guide" || root.page === "home" || root.intents.indexOf("back") >= 0
        canHome: root.intents.indexOf("cancel") >= 0
    }

    Banner {
        anchors { left: parent.left; right: parent.right; top: stack.top; margins: Theme.margin }
    }

    Loader {  // the keyboard for free text: made in the background after the first frame (see ui/app.py)
        id: keyboard
        objectName: "keyboardLoader"
        active: false
        asynchronous: true  // the GUI thread never waits on the QML loader thread (which may log, and so on Python)
        anchors { left: parent.left; right: parent.right; bottom: footer.visible ? footer.top : parent.bottom }
        z: 5
        source: "Kiosk/KeyboardPanel.qml"
        visible: Qt.inputMethod.visible
        onLoaded: {  // the field that asked got focus before the panel existed: hand it to the panel
            const field = root.activeFocusItem
            if (field) {
                root.contentItem.forceActiveFocus()
                field.forceActiveFocus()
            }
            Qt.inputMethod.show()
        }
    }
    onActiveFocusItemChanged: {
        const focused = root.activeFocusItem
        if (focused && focused.cursorPosition !== undefined && !keyboard.active)
            keyboard.active = true
    }

    HelpSheet { anchors.fill: parent }
    IdleOverlay { anchors.fill: parent }
    BusyOverlay { anchors.fill: parent }
}
