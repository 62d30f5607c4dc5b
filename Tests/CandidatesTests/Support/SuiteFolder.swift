import Foundation
import Suite

/// A suite written to a fresh temporary folder: one task of items, and the `models:` section given as YAML.
struct SuiteFolder {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("candidates-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `items.jsonl` and `suite.yaml` and loads the suite.
    func suite(items: [(id: String, prompt: String)], models: String) throws -> Suite {
        let lines = try items.map { item -> String in
            let data = try JSONSerialization.data(withJSONObject: ["id": item.id, "prompt": item.prompt], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
        let yaml = """
            name: tiny
            tasks:
              - name: qa
                items: items.jsonl
            models:
            \(models)
            """
        let file = directory.appendingPathComponent("suite.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try Suite.load(from: file)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
