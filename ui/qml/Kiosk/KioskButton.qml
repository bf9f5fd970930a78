import QtQuick
import QtQuick.Templates as T
import Kiosk

// Every touch button of the citizen screens. kind: primary (one per screen, the way forward), secondary,
// quiet (text-like), danger, toolbar (header toggles), key (keypads). navRole tells the layout lint what a
// button does: "forward" or "out" (every screen needs both, except while money or a printer is busy).
T.AbstractButton {
    id: control
    property string kind: "secondary"
    property string iconName: ""
    property string navRole: ""
    property int fontSize: kind === "primary" ? Theme.fontLead : kind === "toolbar" ? 34 : Theme.fontBody
    property int iconSize: Math.round(fontSize * 1.25)
    property bool vertical: false        // icon above the label (footer, toolbar)
    property color tone: Theme.primary   // secondary/quiet/key text, primary fill
    property bool selected: false        // a toggle's state, bound to the model (not toggled by the button)

    readonly property bool filled: kind === "primary" || kind === "danger" || kind === "accent" || selected
    readonly property color fill: !enabled ? Theme.disabled
        : kind === "danger" ? Theme.danger
        : kind === "accent" ? (down ? Qt.darker(Theme.accent, 1.15) : Theme.accent)
        : filled ? (down ? Theme.primaryPressed : tone)
        : kind === "toolbar" ? (down ? "#33ffffff" : "transparent")
        : kind === "quiet" ? (down ? Theme.tint : "transparent")
        : (down ? Theme.tint : Theme.surface)
    readonly property color ink: !enabled ? Theme.inkDisabled
        : kind === "accent" ? Theme.inkOnAccent
        : filled ? (kind === "toolbar" && !Theme.contrast ? Theme.brand : Theme.inkOnPrimary)
        : kind === "toolbar" ? Theme.inkOnBrand
        : kind === "key" ? Theme.ink : tone

    focusPolicy: Qt.NoFocus
    implicitHeight: kind === "primary" ? Theme.primaryHeight : kind === "key" ? Theme.keyHeight : Theme.minTarget
    implicitWidth: Math.max(implicitHeight, content.implicitWidth + 2 * Theme.s4)
    padding: Theme.s2
    horizontalPadding: Theme.s3
    Accessible.name: text

    background: Rectangle {
        radius: control.kind === "toolbar" ? height / 2 : Theme.radiusControl
        color: control.kind === "toolbar" && control.selected && !Theme.contrast ? "#ffffff" : control.fill
        border.width: control.filled || control.kind === "quiet" ? 0 : Theme.borderWidth
        border.color: !control.enabled ? Theme.line
            : control.kind === "toolbar" ? Theme.inkOnBrandMuted
            : control.kind === "key" ? Theme.line : control.tone
        Rectangle {  // a soft drop under raised buttons
            visible: control.kind === "primary" && control.enabled && !Theme.contrast
            z: -1
            anchors.fill: parent
            anchors.topMargin: Theme.elevation1
            anchors.bottomMargin: -Theme.elevation1
            radius: parent.radius
            color: Theme.shadow
        }
    }

    contentItem: Item {
        implicitWidth: content.implicitWidth
        implicitHeight: content.implicitHeight
        Grid {
            id: content
            anchors.centerIn: parent
            columns: control.vertical ? 1 : 2
            spacing: control.vertical ? 2 : Theme.s2
            horizontalItemAlignment: Grid.AlignHCenter
            verticalItemAlignment: Grid.AlignVCenter
            Icon {
                name: control.iconName
                visible: control.iconName !== ""
                size: control.iconSize
                color: control.ink
            }
            Text {
                id: label
                text: control.text
                visible: text !== ""
                color: control.ink
                font.family: Theme.fontFamily
                font.pixelSize: control.fontSize
                font.weight: control.kind === "key" ? Font.Medium : Font.Bold
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                width: Math.min(implicitWidth, control.availableWidth - (control.vertical || !control.iconName ? 0
                       : control.iconSize + Theme.s2))
            }
        }
    }
}
