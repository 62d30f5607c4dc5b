import Foundation
import XCTest
@testable import Report

final class AtomicFileSetTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func read(_ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    private func writeSet(_ files: [(String, String)], failAt: Int? = nil) throws {
        var set = AtomicFileSet(directory: dir)
        for (name, text) in files { set.add(name, contents: text) }
        set.simulatedRenameFailure = failAt
        try set.commit()
    }

    private func listing() throws -> [String] {
        let sub = dir.appendingPathComponent("sub")
        let inSub = (try? FileManager.default.contentsOfDirectory(atPath: sub.path))?.map { "sub/" + $0 } ?? []
        return (try FileManager.default.contentsOfDirectory(atPath: dir.path) + inSub).sorted()
    }

    func testWritesEveryFileIncludingASubdirectory() throws {
        try writeSet([("a.txt", "A1"), ("sub/b.txt", "B1")])
        XCTAssertEqual(try read("a.txt"), "A1")
        XCTAssertEqual(try read("sub/b.txt"), "B1")
        XCTAssertEqual(try listing(), ["a.txt", "sub", "sub/b.txt"])
    }

    func testFailureWhileWritingLeavesThePreviousFilesAndNoTemporaries() throws {
        try writeSet([("a.txt", "A1"), ("b.txt", "B1")])
        // A directory where the second file must go: the set fails before replacing anything.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("b.txt"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b.txt"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try writeSet([("a.txt", "A2"), ("b.txt", "B2")])) { error in
            XCTAssertTrue("\(error)".contains("b.txt"), "\(error)")
        }
        XCTAssertEqual(try read("a.txt"), "A1")
        XCTAssertEqual(try listing(), ["a.txt", "b.txt"])
    }

    func testFailureWhileRenamingRestoresTheFilesAlreadyReplaced() throws {
        try writeSet([("a.txt", "A1"), ("b.txt", "B1"), ("c.txt", "C1")])
        XCTAssertThrowsError(try writeSet([("a.txt", "A2"), ("b.txt", "B2"), ("new.txt", "N"), ("c.txt", "C2")], failAt: 3))
        XCTAssertEqual(try read("a.txt"), "A1")
        XCTAssertEqual(try read("b.txt"), "B1")
        XCTAssertEqual(try read("c.txt"), "C1")
        XCTAssertEqual(try listing(), ["a.txt", "b.txt", "c.txt"], "new files removed, no temporaries or links left")
    }
}
