import Foundation
import Judge  // Suite.storeDefinition (Suite+Store), to save the suite the generator reads
import Store
import Suite
import XCTest
@testable import Candidates

/// Keyed regeneration with the real model on a tiny suite: 2 local variants × 3 items, 6 tokens each.
final class LocalCandidatesTests: XCTestCase {
    private let items = [
        (id: "1", prompt: "What is the capital of France?"),
        (id: "2", prompt: "Name a colour of the sky."),
        (id: "3", prompt: "Say hello."),
    ]

    private func models(_ path: URL, sampledTemperature: Double) -> String {
        """
          - name: greedy
            path: \(path.path)
            max_tokens: 6
            sampling: { temperature: 0 }
          - name: sampled
            path: \(path.path)
            system_prompt: You are terse.
            max_tokens: 6
            sampling: { temperature: \(sampledTemperature), seed: 3 }
          - name: imported
        """
    }

    private func generate(_ suite: Suite, in store: JudgeStore) async throws -> (GenerationSummary, [String: CurrentCandidate]) {
        let ids = try store.saveSuite(suite.storeDefinition)
        let summary = try await CandidateGenerator(store: store, suite: suite, ids: ids).run()
        let current = try store.currentCandidates(suite: suite.name, models: suite.models.map(\.name))
        return (summary, Dictionary(uniqueKeysWithValues: current.map { ("\($0.model)/\($0.itemID)", $0) }))
    }

    func testRerunGeneratesNothingAndOneChangedSettingRegeneratesOnlyItsModel() async throws {
        let model = try TestModel.smolLM2()
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let store = try JudgeStore.inMemory()

        // First run: every output of both local models; the imported model is left alone.
        let suite = try folder.suite(items: items, models: models(model, sampledTemperature: 0.8))
        let (first, firstOutputs) = try await generate(suite, in: store)
        XCTAssertEqual(first.generated, 6)
        XCTAssertEqual(first.reused, 0)
        XCTAssertEqual(first.failures, [])
        XCTAssertEqual(firstOutputs.count, 6)
        XCTAssertFalse(firstOutputs.keys.contains { $0.hasPrefix("imported/") })
        XCTAssertTrue(firstOutputs.values.contains { !$0.output.isEmpty }, "the model wrote nothing at all")

        // Rerun: nothing generated, the same rows current.
        let (second, secondOutputs) = try await generate(suite, in: store)
        XCTAssertEqual(second.generated, 0)
        XCTAssertEqual(second.reused, 6)
        XCTAssertEqual(secondOutputs, firstOutputs)

        // One model's temperature changed: only its three outputs are generated again.
        let changed = try folder.suite(items: items, models: models(model, sampledTemperature: 0.5))
        let (third, thirdOutputs) = try await generate(changed, in: store)
        XCTAssertEqual(third.generated, 3)
        XCTAssertEqual(third.reused, 3)
        for (key, candidate) in thirdOutputs {
            if key.hasPrefix("greedy/") {
                XCTAssertEqual(candidate, firstOutputs[key], "greedy was regenerated")
            } else {
                XCTAssertNotEqual(candidate.candidateID, firstOutputs[key]?.candidateID, "\(key) was not regenerated")
            }
        }

        // Back to the first temperature: the stored outputs become current again, nothing is generated.
        let (fourth, fourthOutputs) = try await generate(suite, in: store)
        XCTAssertEqual(fourth.generated, 0)
        XCTAssertEqual(fourth.reused, 6)
        XCTAssertEqual(fourthOutputs.mapValues(\.candidateID), firstOutputs.mapValues(\.candidateID))
    }

    func testSeededSamplingReproducesTheSameOutputsInAnotherStore() async throws {
        let model = try TestModel.smolLM2()
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let suite = try folder.suite(items: Array(items.prefix(2)), models: models(model, sampledTemperature: 0.8))
        let (_, first) = try await generate(suite, in: try JudgeStore.inMemory())
        let (_, second) = try await generate(suite, in: try JudgeStore.inMemory())
        XCTAssertEqual(first.mapValues(\.output), second.mapValues(\.output))
        XCTAssertEqual(first.count, 4)
    }

    func testPlanCountsMissingOutputsWithoutGenerating() async throws {
        let model = try TestModel.smolLM2()
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let store = try JudgeStore.inMemory()
        let suite = try folder.suite(items: items, models: models(model, sampledTemperature: 0.8))
        let ids = try store.saveSuite(suite.storeDefinition)
        let plan = try CandidateGenerator(store: store, suite: suite, ids: ids).plan()
        XCTAssertEqual(plan.models.map(\.name), ["greedy", "sampled"])
        XCTAssertEqual(plan.missing, 6)
        XCTAssertEqual(try store.currentCandidates(suite: "tiny", models: ["greedy", "sampled"]).count, 0)
    }

    func testAMissingModelFileNamesThePath() async throws {
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let missing = folder.directory.appendingPathComponent("nowhere.gguf")
        let suite = try folder.suite(items: items, models: "  - name: ghost\n    path: \(missing.path)\n  - name: other")
        let store = try JudgeStore.inMemory()
        let ids = try store.saveSuite(suite.storeDefinition)
        do {
            _ = try await CandidateGenerator(store: store, suite: suite, ids: ids).run()
            XCTFail("expected an error")
        } catch let error as CandidateGenerationError {
            XCTAssertTrue(error.description.contains(missing.path), error.description)
        }
    }
}
