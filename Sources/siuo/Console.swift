import Foundation

/// Lines for the user, written at once (not held in stdio's buffer), so they
/// appear in order with the live view and child processes' output, even in logs.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
