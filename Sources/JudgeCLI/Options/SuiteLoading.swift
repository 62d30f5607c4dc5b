import Foundation
import Suite

/// Loads a suite file for a command, printing its warnings to stderr.
enum SuiteLoading {
    static func load(_ path: String) throws -> Suite {
        let suite = try Suite.load(from: URL(fileURLWithPath: path))
        for warning in suite.warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
        return suite
    }
}
