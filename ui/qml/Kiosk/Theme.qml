pragma Singleton
import QtQuick

// Every design token of the citizen screens (docs/design-system.md explains them). Sizes are pixels of the
// reference panel: 21.5-inch 1080x1920, 102 px per inch, so 60 px is 15 mm. Main.qml binds the modes.
QtObject {
    // --- modes (bound from the shell) ---------------------------------------------------------------
    property bool large: false        // 大字 / 适老: bigger type, one column
    property bool contrast: false     // high contrast: black, white and signal yellow
    property bool lowReach: false     // every citizen control in the lower 2/3 (wheelchair users)
    property bool landscape: false
    property bool animate: true       // false for golden screenshots: every animation at its rest frame

    readonly property real typeScale: large ? 1.5 : 1.0

    // --- palette ---------------------------------------------------------------------------------------
    readonly property color brand: contrast ? "#000000" : "#0a2a66"        // deep police blue: header, ink of marks
    readonly property color brandRaised: contrast ? "#000000" : "#123a84"  // the header's second band
    readonly property color primary: contrast ? "#ffe500" : "#1453b8"      // actions
    readonly property color primaryPressed: contrast ? "#ffffff" : "#0d3f8f"
    readonly property color inkOnPrimary: contrast ? "#000000" : "#ffffff"
    readonly property color tint: contrast ? "#000000" : "#e7eefb"         // selected, keys, illustrations' ground
    readonly property color accent: contrast ? "#ffe500" : "#f2b01e"       // gold: current step, attention
    readonly property color inkOnAccent: "#1b1400"
    readonly property color page: contrast ? "#000000" : "#f3f6fb"
    readonly property color surface: contrast ? "#000000" : "#ffffff"
    readonly property color ink: contrast ? "#ffffff" : "#13203b"
    readonly property color inkMuted: contrast ? "#ffffff" : "#46546f"     // 7.3:1 on white
    readonly property color inkFaint: contrast ? "#d8d8d8" : "#6b7891"     // 4.6:1, never for body text
    readonly property color inkOnBrand: contrast ? "#ffe500" : "#ffffff"
    readonly property color inkOnBrandMuted: contrast ? "#ffffff" : "#c4d3f0"
    readonly property color line: contrast ? "#ffffff" : "#d3dbe8"
    readonly property color disabled: contrast ? "#000000" : "#e4e8ef"
    readonly property color inkDisabled: contrast ? "#b0b0b0" : "#5d6982"
    readonly property color success: contrast ? "#7dff9e" : "#1b7a47"
    readonly property color successTint: contrast ? "#000000" : "#e2f3e9"
    readonly property color warning: contrast ? "#ffe500" : "#9a5200"
    readonly property color warningTint: contrast ? "#000000" : "#fff2d6"
    readonly property color danger: contrast ? "#ff8a80" : "#b3261e"
    readonly property color dangerTint: contrast ? "#000000" : "#fbe7e6"
    readonly property color scrim: contrast ? "#e6000000" : "#b30a1a3a"
    readonly property color shadow: contrast ? "transparent" : "#1f0a2a66"
    readonly property int borderWidth: contrast ? 3 : 2

    // --- type (Noto Sans CJK SC; nothing a citizen reads is under 32 px) ------------------------------------
    readonly property string fontFamily: "Noto Sans CJK SC"
    readonly property string iconFamily: "Material Icons"
    readonly property int fontCaption: Math.round(32 * typeScale)
    readonly property int fontBody: Math.round(36 * typeScale)
    readonly property int fontLead: Math.round(44 * typeScale)
    readonly property int fontTitle: Math.round(56 * typeScale)
    readonly property int fontDisplay: Math.round(76 * typeScale)
    readonly property int fontHero: Math.round(104 * typeScale)

    // --- space, shape, size (8-px grid) -------------------------------------------------------------------
    readonly property int s1: 8
    readonly property int s2: 16
    readonly property int s3: 24
    readonly property int s4: 32
    readonly property int s5: 40
    readonly property int s6: 48
    readonly property int s8: 64
    readonly property int s12: 96
    readonly property int margin: landscape ? s6 : s5              // page edge
    readonly property int radiusControl: 16
    readonly property int radiusCard: 24
    readonly property int minTarget: 88                           // secondary controls (the floor is 60)
    readonly property int primaryHeight: large ? 144 : 120        // primary buttons
    readonly property int keyHeight: large ? 136 : 112
    readonly property int headerHeight: landscape ? 112 : 128
    readonly property int toolbarHeight: 88
    readonly property int footerHeight: landscape ? 128 : large ? 168 : 152
    readonly property int stepperHeight: large ? 120 : 112
    readonly property int elevation1: 3
    readonly property int elevation2: 8

    // --- motion -----------------------------------------------------------------------------------------
    readonly property int durFast: animate ? 120 : 0
    readonly property int durNormal: animate ? 240 : 0
    readonly property int durSlow: animate ? 480 : 0
    readonly property int durLoop: 2400                           // illustrations' cycle
}
