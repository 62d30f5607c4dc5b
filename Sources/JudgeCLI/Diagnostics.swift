import Foundation

/// One-line messages on stderr: stdout carries only results.
enum Diagnostics {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func error(_ error: Error) {
        note("error: \(error)")
    }
}
