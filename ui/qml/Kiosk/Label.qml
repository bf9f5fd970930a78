import QtQuick
import Kiosk

// Text in the kiosk's type scale: role caption | body | lead | title | display | hero. Wraps, never elides.
Text {
    property string role: "body"
    color: Theme.ink
    font.family: Theme.fontFamily
    font.pixelSize: role === "caption" ? Theme.fontCaption : role === "lead" ? Theme.fontLead
        : role === "title" ? Theme.fontTitle : role === "display" ? Theme.fontDisplay
        : role === "hero" ? Theme.fontHero : Theme.fontBody
    font.weight: role === "title" || role === "display" || role === "hero" || role === "lead" ? Font.Bold : Font.Normal
    wrapMode: Text.WordWrap
    lineHeight: role === "body" || role === "caption" ? 1.15 : 1.0
}
