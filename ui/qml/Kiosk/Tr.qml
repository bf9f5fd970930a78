pragma Singleton
import QtQuick

// Texts by key for the current language. Main.qml binds `strings` (the shell's table for the language on
// screen); a binding that calls t() or f() depends on `strings`, so a language switch or a text pushed by the
// fleet re-renders every text at once. A key with no text shows nothing and is reported (tests fail on it).
QtObject {
    property var strings: ({})
    signal missing(string key)

    function t(key) {
        const text = strings[key]
        if (text === undefined) {
            missing(key ? key : "(empty key)")
            return ""
        }
        return text
    }

    // "{name}" placeholders filled from values: f("pay.countdown", {s: 12})
    function f(key, values) {
        return t(key).replace(/\{(\w+)\}/g, (whole, name) => values[name] !== undefined ? String(values[name]) : whole)
    }

    function has(key) {
        return strings[key] !== undefined
    }

    function yuan(cents) {
        return (Number(cents || 0) / 100).toFixed(2)
    }
}
