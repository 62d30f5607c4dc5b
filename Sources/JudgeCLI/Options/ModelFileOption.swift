import ArgumentParser
import Foundation

/// Checks shared by the commands that read a model or a text file.
enum ModelFileOption {
    /// A `ValidationError` naming the option unless `path` is a readable regular file.
    static func checkReadable(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(option) \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw ValidationError("\(option) \(path): is a directory, not a file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ValidationError("\(option) \(path): not readable (check its permissions)")
        }
    }
}
