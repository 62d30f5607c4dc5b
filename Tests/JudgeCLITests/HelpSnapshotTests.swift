import ArgumentParser
import Foundation
@testable import JudgeCLI
import XCTest

/// `judge --help` and every subcommand's `--help`, exactly as committed in Snapshots/help/NAME.txt, so a change
/// to an option, its help or its default shows up in review.
///
/// After a deliberate change: `JUDGE_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` rewrites the
/// files (and fails, so the run that rewrote them is never mistaken for a pass).
final class HelpSnapshotTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/help")

    /// The root command and every subcommand, by the name the snapshot file takes.
    static var commands: [(name: String, type: ParsableCommand.Type)] {
        [("judge", JudgeCommand.self)]
            + JudgeCommand.configuration.subcommands.map { ($0.configuration.commandName ?? "\($0)", $0) }
    }

    func testEverySubcommandHasASnapshot() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".txt") }
        XCTAssertEqual(Set(files), Set(Self.commands.map { "\($0.name).txt" }), "a snapshot per command, none left over")
    }

    func testHelpMatchesTheSnapshots() throws {
        let update = ProcessInfo.processInfo.environment["JUDGE_UPDATE_SNAPSHOTS"] == "1"
        for (name, type) in Self.commands {
            // 100 columns, whatever the terminal: the text must not depend on where the tests run.
            let help = JudgeCommand.helpMessage(for: type, columns: 100) + "\n"
            let file = Self.directory.appendingPathComponent("\(name).txt")
            if update {
                try help.write(to: file, atomically: true, encoding: .utf8)
                XCTFail("rewrote \(file.lastPathComponent); run again without JUDGE_UPDATE_SNAPSHOTS")
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(help, expected, "judge \(name) --help differs from \(file.lastPathComponent) "
                           + "(after a deliberate change: JUDGE_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests)")
        }
    }
}
