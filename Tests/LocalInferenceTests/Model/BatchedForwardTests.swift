import XCTest
@testable import LocalInference

/// The batched forward pass: prompt chunks through sgemm and through the quantized kernels, chunking,
/// and `SequenceBatch` steps against sequences evaluated one at a time.
final class BatchedForwardTests: XCTestCase {
    /// Same named tolerance as `SyntheticModelTests`: summation order differs, nothing else.
    static let logitTolerance: Float = 1e-3

    /// 40 tokens, sent through sgemm (threshold 32) or kept on the integer kernels as each test says.
    private let longPrompt: [Int32] = (0..<40).map { (i: Int) -> Int32 in Int32((i * 7 + 3) % 48) }

    private func assertClose(_ got: [Float], _ want: [Float], _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let scale = want.map(abs).max()!
        XCTAssertGreaterThan(scale, 0.1, "degenerate logits", file: file, line: line)
        let worst = zip(got, want).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, Self.logitTolerance * scale, message, file: file, line: line)
    }

    func testLongPromptThroughSGEMMMatchesTheReference() throws {

        var spec = SyntheticLlama()
        spec.slidingWindow = 24
        let gguf = try spec.file()
        var reference = try ReferenceLlama(file: gguf)
        reference.quantizesActivations = false   // sgemm multiplies fp32 activations
        let expected = reference.logits(longPrompt)
        // Interleaved weights never go through sgemm: keep every matrix in the file's layout.
        let model = try LlamaModel(file: gguf, engine: EngineConfiguration(repack: false))
        let pass = ForwardPass(model: model, capacity: longPrompt.count)
        pass.gemmThreshold = 32   // ≤ 40 rows: the whole prompt is one sgemm chunk
        let context = try InferenceContext(model: model, contextLength: 64, pass: pass)
        try context.evaluate(longPrompt, allLogits: true)
        for i in [0, 1, 23, 24, 39] { assertClose(Array(context.logits(at: i)), expected[i], "position \(i)") }
    }

    /// A pass of 7 rows cuts the prompt into chunks of 7; each chunk sees the keys of the earlier ones.
    func testChunkedPromptMatchesOnePass() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        // One pass of 40 rows, kept off sgemm so that both sides use the same (integer) kernels.
        let onePass = ForwardPass(model: model, capacity: longPrompt.count)
        onePass.gemmThreshold = .max
        let whole = try InferenceContext(model: model, contextLength: 64, pass: onePass)
        try whole.evaluate(longPrompt, allLogits: true)
        let chunked = try InferenceContext(model: model, contextLength: 64, pass: ForwardPass(model: model, capacity: 7))
        try chunked.evaluate(longPrompt, allLogits: true)
        XCTAssertEqual(chunked.position, longPrompt.count)
        for i in [0, 6, 7, 20, 39] { assertClose(Array(chunked.logits(at: i)), Array(whole.logits(at: i)), "position \(i)") }
        let lastOnly = try InferenceContext(model: model, contextLength: 64, pass: ForwardPass(model: model, capacity: 7))
        try lastOnly.evaluate(longPrompt)
        assertClose(Array(lastOnly.logits()), Array(whole.logits(at: -1)), "last logits without allLogits")
    }

    // MARK: - SequenceBatch

    /// Greedy decoding of `prompts` one sequence at a time, each with its own context.
    private func greedyAlone(_ model: LlamaModel, _ prompts: [[Int32]], steps: Int,
                             gemmThreshold: Int = EngineConfiguration.defaultGEMMMinimumBatch) throws -> [[Int32]] {
        try prompts.map { prompt in
            let pass = ForwardPass(model: model, capacity: 16)
            pass.gemmThreshold = gemmThreshold
            let context = try InferenceContext(model: model, contextLength: 64, pass: pass)
            try context.evaluate(prompt)
            var out: [Int32] = []
            for _ in 0..<steps {
                let next = argmax(context.logits())
                out.append(next)
                try context.evaluate([next])
            }
            return out
        }
    }

    private func greedyBatched(_ model: LlamaModel, _ prompts: [[Int32]], steps: Int,
                               gemmThreshold: Int = EngineConfiguration.defaultGEMMMinimumBatch) throws -> [[Int32]] {
        let batch = try SequenceBatch(model: model, sequences: prompts.count)
        batch.pass.gemmThreshold = gemmThreshold
        for (i, prompt) in prompts.enumerated() { try batch.context(i).evaluate(prompt) }
        var out = Array(repeating: [Int32](), count: prompts.count)
        for _ in 0..<steps {
            var entries: [(sequence: Int, token: Int32)] = []
            for i in prompts.indices {
                let next = argmax(batch.logits(sequence: i))
                out[i].append(next)
                entries.append((i, next))
            }
            try batch.evaluate(entries)
        }
        for i in prompts.indices { XCTAssertEqual(batch.context(i).position, prompts[i].count + steps) }
        return out
    }

    private func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return Int32(best)
    }

    private func prompts(_ count: Int) -> [[Int32]] {
        (0..<count).map { (i: Int) -> [Int32] in
            let length = 3 + i % 5
            return (0..<length).map { (j: Int) -> Int32 in Int32((i * 13 + j * 5 + 1) % 48) }
        }
    }

    /// Below and above `gemmMinimumBatch`: the quantized batch kernels and sgemm each equal single rows.
    func testBatchedGreedyEqualsOneAtATimeOnEitherPath() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        let p = prompts(4)
        let alone = try greedyAlone(model, p, steps: 12, gemmThreshold: .max)
        XCTAssertEqual(try greedyBatched(model, p, steps: 12, gemmThreshold: .max), alone, "quantized batch kernels")
        let aloneSGEMM = try greedyAlone(model, p, steps: 12, gemmThreshold: 1)
        XCTAssertEqual(try greedyBatched(model, p, steps: 12, gemmThreshold: 1), aloneSGEMM, "sgemm")
        XCTAssertGreaterThan(Set(alone.flatMap { $0 }).count, 3, "degenerate outputs prove nothing")
    }

    /// More sequences than `gemmMinimumBatch`: each step goes through the sgemm path. sgemm's sums are not
    /// bit-identical between one row and 66 (34 of these 66 sequences differ, by up to 2.6e-4 for all-Q4_1
    /// weights), so the logits are compared within the named tolerance, step by step on the same tokens:
    /// greedy tokens would flip wherever two logits nearly tie.
    func testLargeBatchThroughSGEMMMatchesOneAtATime() throws {
        var spec = SyntheticLlama()
        spec.layerTypes = [[.q4_0, .q4_1, .q8_0, .q4_K, .q6_K, .q5_K, .f16]]
        spec.layers = 1
        // Interleaved weights never go through sgemm (Q4_0, Q8_0, Q4_K and Q6_K here): keep the file's layout.
        let model = try LlamaModel(file: spec.file(), engine: EngineConfiguration(repack: false))
        let p = prompts(EngineConfiguration.defaultGEMMMinimumBatch + 2)
        // Steps of every sequence take sgemm at threshold 1; prompts (3–7 rows) and lone rows are sent there
        // too, since the integer kernels quantize activations and sgemm does not.
        XCTAssertGreaterThanOrEqual(p.count, EngineConfiguration.defaultGEMMMinimumBatch)
        let steps: [Int32] = [5, 17, 41]
        let batch = try SequenceBatch(model: model, sequences: p.count)
        batch.pass.gemmThreshold = 1
        for (i, prompt) in p.enumerated() { try batch.context(i).evaluate(prompt) }
        var batched = Array(repeating: [[Float]](), count: p.count)   // (sequence, step) logits
        for token in steps {
            try batch.evaluate(p.indices.map { ($0, token) })
            for i in p.indices { batched[i].append(Array(batch.logits(sequence: i))) }
        }
        for (i, prompt) in p.enumerated() {
            let pass = ForwardPass(model: model, capacity: 16)
            pass.gemmThreshold = 1
            let context = try InferenceContext(model: model, contextLength: 64, pass: pass)
            try context.evaluate(prompt)
            for (k, token) in steps.enumerated() {
                try context.evaluate([token])
                assertClose(batched[i][k], Array(context.logits()), "sequence \(i), step \(k)")
            }
        }
    }

    func testBatchStepErrorsChangeNothing() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        let batch = try SequenceBatch(model: model, sequences: 2, contextLength: 4)
        try batch.context(0).evaluate([1, 2, 3, 4])
        try batch.context(1).evaluate([1])
        XCTAssertThrowsError(try batch.evaluate([(1, 5), (0, 6)])) { error in
            guard case ModelError.contextFull = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try batch.evaluate([(1, 5), (1, 6)])) { error in
            XCTAssertEqual(error as? SequenceBatchError, .repeatedSequence(1))
        }
        XCTAssertThrowsError(try batch.evaluate([(2, 5)])) { error in
            XCTAssertEqual(error as? SequenceBatchError, .noSuchSequence(2, count: 2))
        }
        XCTAssertThrowsError(try batch.evaluate([(1, 48)]))
        XCTAssertEqual(batch.context(0).position, 4)
        XCTAssertEqual(batch.context(1).position, 1)
    }
}
