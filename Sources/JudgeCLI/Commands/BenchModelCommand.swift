import ArgumentParser
import Foundation
import LocalInference

/// `judge bench-model`: the engine's prompt-processing and generation speed, measured as llama-bench does.
struct BenchModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-model",
        abstract: "Measure a local GGUF model's prompt-processing and generation speed (tokens/s).",
        discussion: """
            Two tests, as llama-bench runs them: pp evaluates a prompt of -p random tokens from an empty \
            context in one call; tg generates -n tokens one at a time from an empty context, each step \
            feeding back the greedy token. With --batch N, tg runs N sequences together (one batched step \
            evaluates one token of each) and reports the aggregate tokens/s over all N sequences.

            Each test runs once to warm up, then --repetitions times; the median is printed. \
            --threads sets the engine's worker count (as JUDGE_THREADS does).

            Output: two lines "pp<p>: … tokens/s" and "tg<n>: … tokens/s"; with --json, \
            {"pp_tokens_per_s": …, "tg_tokens_per_s": …, "batch": …, "threads": …, "load_s": …, \
            "cpu": …, "kernels": …}. The CPU, the kernels chosen for it and the load time (repacking \
            included) also go to stderr, with the progress.
            """
    )

    @Option(name: .long, help: "The GGUF model file.")
    var model: String

    @Option(name: [.customShort("p"), .customLong("prompt-tokens")], help: "Prompt tokens of the pp test (0: skip it).")
    var promptTokens = 256

    @Option(name: [.customShort("n"), .customLong("gen-tokens")], help: "Generated tokens per sequence of the tg test (0: skip it).")
    var generatedTokens = 128

    @Option(name: .long, help: "Sequences generated together in the tg test.")
    var batch = 1

    @Option(name: .long, help: "Worker threads (default: JUDGE_THREADS, else every core).")
    var threads: Int?

    @Option(name: [.customShort("r"), .customLong("repetitions")], help: "Measured runs of each test; the median is reported.")
    var repetitions = 3

    @Flag(name: .long, help: "Print a JSON object instead of two lines.")
    var json = false

    func validate() throws {
        try ModelFileOption.checkReadable(model, option: "--model")
        guard promptTokens >= 0 else { throw ValidationError("-p \(promptTokens): expected an integer ≥ 0") }
        guard generatedTokens >= 0 else { throw ValidationError("-n \(generatedTokens): expected an integer ≥ 0") }
        guard promptTokens + generatedTokens > 0 else { throw ValidationError("-p 0 -n 0: nothing to measure") }
        guard (1...256).contains(batch) else { throw ValidationError("--batch \(batch): expected an integer from 1 to 256") }
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads \(threads): expected an integer from 1 to 256")
        }
        guard (1...100).contains(repetitions) else { throw ValidationError("-r \(repetitions): expected an integer from 1 to 100") }
    }

    func run() async throws {
        do {
            try measure()
        } catch {
            Diagnostics.error(error)
            throw ExitCode.failure
        }
    }

    /// The engine settings: the environment's, with `--threads` over `JUDGE_THREADS`.
    private var engine: EngineConfiguration { .fromEnvironment(threads: threads) }

    // MARK: - Measuring

    private func measure() throws {
        let engine = self.engine, loading = DispatchTime.now()
        let llama = try LlamaModel(file: try GGUFFile(url: URL(fileURLWithPath: model)), engine: engine)
        let loadSeconds = seconds(since: loading)
        Diagnostics.note(CPUFeatures.engineReport(engine) + String(format: "; load %.2f s", loadSeconds))
        let vocabulary = llama.configuration.vocabularySize
        var random = SystemRandomNumberGenerator()
        let prompt = (0..<promptTokens).map { _ in Int32.random(in: 0..<Int32(vocabulary), using: &random) }

        var pp: Double?
        if promptTokens > 0 {
            let context = try InferenceContext(model: llama, contextLength: promptTokens)
            pp = try median(label: "pp\(promptTokens)") {
                context.reset()
                let started = DispatchTime.now()
                try context.evaluate(prompt)
                return Double(promptTokens) / seconds(since: started)
            }
        }

        var tg: Double?
        if generatedTokens > 0 {
            let batch = try SequenceBatch(model: llama, sequences: batch, contextLength: generatedTokens + 1)
            let starts = (0..<self.batch).map { _ in Int32.random(in: 0..<Int32(vocabulary), using: &random) }
            tg = try median(label: "tg\(generatedTokens) × \(self.batch)") {
                batch.resetAll()
                var next = starts
                let started = DispatchTime.now()
                for _ in 0..<generatedTokens {
                    try batch.evaluate(Array(zip(0..<next.count, next)))
                    for s in next.indices { next[s] = Self.argmax(batch.logits(sequence: s)) }
                }
                return Double(generatedTokens * self.batch) / seconds(since: started)
            }
        }
        report(pp: pp, tg: tg, loadSeconds: loadSeconds)
    }

    /// One warm-up run, then the median of `repetitions` runs of `test` (each returning tokens/s).
    private func median(label: String, _ test: () throws -> Double) throws -> Double {
        _ = try test()
        var rates: [Double] = []
        for run in 1...repetitions {
            rates.append(try test())
            Diagnostics.note(String(format: "bench-model: %@ run %d/%d: %.2f tokens/s", label, run, repetitions, rates.last!))
        }
        rates.sort()
        let mid = rates.count / 2
        return rates.count % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2
    }

    private func seconds(since start: DispatchTime) -> Double {
        max(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, 1e-9)
    }

    private static func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return Int32(best)
    }

    // MARK: - Output

    private func report(pp: Double?, tg: Double?, loadSeconds: Double) {
        let threadCount = engine.threads
        if json {
            func number(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "null" }
            func string(_ s: String) -> String {
                let data = try? JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed])
                return data.flatMap { String(data: $0, encoding: .utf8) } ?? "null"
            }
            print("{\"pp_tokens_per_s\": \(number(pp)), \"tg_tokens_per_s\": \(number(tg)), \"batch\": \(batch), "
                  + "\"threads\": \(threadCount), \"load_s\": \(number(loadSeconds)), "
                  + "\"cpu\": \(string(CPUFeatures.cpuinfo?.model ?? "unknown")), \"kernels\": \(string(engine.kernels))}")
        } else {
            if let pp { print(String(format: "pp%d: %.2f tokens/s", promptTokens, pp)) }
            if let tg {
                print(String(format: "tg%d: %.2f tokens/s%@", generatedTokens, tg,
                             batch > 1 ? " (aggregate over \(batch) sequences)" : ""))
            }
        }
    }
}
