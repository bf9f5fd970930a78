import QtQuick
import Kiosk
import Kiosk.Native

// The live face check: the mirrored picture with the oval to fit the face into, what to do (the flow's
// guidance, live), the liveness action to perform (blink, turn left or right) drawn as it should be done, the
// attempt and the time left. The preview streams to the flow by itself: there is nothing to press.
KioskPage {
    id: page
    readonly property string challenge: viewData.challenge || ""
    readonly property string challengeKey: viewData.challenge_key || ""
    readonly property string guidance: viewData.guidance_key || ""
    readonly property int timeLeft: viewData.time_left_s !== undefined ? viewData.time_left_s : -1

    Row {
        id: lookHere
        visible: !page.wide
        anchors.horizontalCenter: parent.horizontalCenter
        y: Theme.s1
        spacing: Theme.s2
        Icon { name: "arrow_forward"; rotation: -90; size: 56; color: Theme.primary; anchors.verticalCenter: parent.verticalCenter }
        Label { role: "body"; color: Theme.primary; font.weight: Font.Bold; text: Tr.t("face.look_here") }
    }

    Rectangle {
        id: frame
        x: page.wide ? Theme.margin : Theme.margin
        y: page.wide ? Theme.s3 : lookHere.y + lookHere.height + Theme.s2
        width: page.wide ? Math.min(page.height - 2 * Theme.s3, page.width * 0.46) : page.width - 2 * Theme.margin
        height: page.wide ? width : Math.min(page.height * (Theme.large || Theme.lowReach ? 0.42 : 0.54), width * 1.05)
        radius: Theme.radiusCard
        color: "#0d1830"
        clip: true
        CameraView {
            objectName: "cameraView"
            anchors.fill: parent
            feed: camera
            ringColor: camera.faceSeen ? Theme.success : "#ffffff"
        }
        Column {
            anchors.centerIn: parent
            visible: !camera.hasFrame
            spacing: Theme.s2
            Spinner { anchors.horizontalCenter: parent.horizontalCenter; color: "#ffffff"; running: parent.visible }
            Label { role: "lead"; color: "#ffffff"; text: Tr.t("face.no_camera") }
        }
        Rectangle {  // the liveness action, drawn
            id: action
            visible: page.challenge !== ""
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: Theme.s3 }
            width: actionRow.implicitWidth + 2 * Theme.s3
            height: 120
            radius: 60
            color: Theme.accent
            Row {
                id: actionRow
                anchors.centerIn: parent
                spacing: Theme.s2
                Item {
                    width: 80; height: 80
                    anchors.verticalCenter: parent.verticalCenter
                    Icon {
                        id: actionIcon
                        anchors.centerIn: parent
                        name: page.challenge === "blink" ? "visibility" : page.challenge === "turn_left" ? "arrow_back" : "arrow_forward"
                        size: 72
                        color: Theme.inkOnAccent
                    }
                    SequentialAnimation {  // an eye closing and opening
                        running: action.visible && page.challenge === "blink" && Theme.animate; loops: Animation.Infinite
                        NumberAnimation { target: actionIcon; property: "scale"; from: 1; to: 0.15; duration: 260 }
                        NumberAnimation { target: actionIcon; property: "scale"; to: 1; duration: 260 }
                        PauseAnimation { duration: 900 }
                    }
                    SequentialAnimation {  // an arrow nudging the way to turn
                        running: action.visible && page.challenge !== "blink" && Theme.animate; loops: Animation.Infinite
                        NumberAnimation { target: actionIcon; property: "anchors.horizontalCenterOffset"; from: 0
                                          to: page.challenge === "turn_left" ? -18 : 18; duration: 500; easing.type: Easing.OutCubic }
                        NumberAnimation { target: actionIcon; property: "anchors.horizontalCenterOffset"; to: 0; duration: 400 }
                        PauseAnimation { duration: 300 }
                    }
                }
                Label { anchors.verticalCenter: parent.verticalCenter; role: "lead"; color: Theme.inkOnAccent
                        text: page.challengeKey ? Tr.t(page.challengeKey) : "" }
            }
        }
    }

    Column {
        id: info
        x: page.wide ? frame.x + frame.width + Theme.s6 : Theme.margin
        y: page.wide ? Theme.s4 : frame.y + frame.height + Theme.s3
        width: page.width - x - Theme.margin
        spacing: Theme.s2
        Label {
            objectName: "guidance"
            width: parent.width
            role: Theme.large || page.wide ? "lead" : "title"
            horizontalAlignment: page.wide ? Text.AlignLeft : Text.AlignHCenter
            color: page.guidance === "guidance.ready" ? Theme.success : Theme.ink
            text: page.guidance ? Tr.t(page.guidance) : Tr.t(camera.faceSeen ? "guidance.hold_still" : "guidance.face_camera")
        }
        Row {
            anchors.horizontalCenter: page.wide ? undefined : parent.horizontalCenter
            spacing: Theme.s3
            Pill {
                objectName: "attempt"
                tone: "info"
                iconName: "photo_camera"
                visible: page.viewData.max_attempts !== undefined
                text: Tr.f("face.attempt", {n: page.viewData.attempt || 1, of: page.viewData.max_attempts || 1})
            }
            Pill {
                visible: page.viewData.challenge_total !== undefined && page.challenge !== ""
                tone: "info"
                iconName: "task_alt"
                text: Tr.f("face.challenge_of", {n: (page.viewData.challenge_index || 0) + 1, of: page.viewData.challenge_total || 1})
            }
            CountdownRing {
                visible: page.timeLeft >= 0
                width: 80
                fraction: Math.min(1, page.timeLeft / 30)
                label: page.timeLeft
                fontSize: 32
            }
        }
    }

}
