import Candidates
import Foundation
@testable import ChatCompletions
@testable import Judge
@testable import LocalInference
import OpenAIWire
@testable import Server
@testable import Suite

// MARK: - FuzzTarget

/// One parser fed arbitrary bytes. Every target must return (an error is fine) for any input: no trap,
/// no crash, no hang, no leak.
enum FuzzTarget: String, CaseIterable {
    /// The GGUF reader, then the model, tokenizer and chat-template configuration read from its metadata.
    case gguf
    /// The suite YAML loader (items files resolve in a scratch folder holding one valid file).
    case suite
    /// The items JSONL reader.
    case items
    /// The `judge import` outputs JSONL reader.
    case `import`
    /// The verdict parsers: text verdicts in each format, and a chat-completion body read for logprobs.
    case verdict
    /// The server's HTTP/1 request parsing, through the connection pipeline `judge serve` uses.
    case http
    /// The server's chat-completions request body: JSON, then OpenAI's fields.
    case chat
    /// The tokenizer (SmolLM2's, from `JUDGE_FUZZ_MODEL` or models/): encoding arbitrary text, and decoding
    /// arbitrary token ids.
    case tokenizer

    nonisolated(unsafe) static var selected = FuzzTarget.gguf

    func prepare() {
        switch self {
        case .suite: SuiteFuzzing.prepare()
        case .http: HTTPFuzzing.prepare()
        case .tokenizer: TokenizerFuzzing.prepare()
        default: break
        }
    }

    func run(_ bytes: [UInt8]) {
        switch self {
        case .gguf: GGUFFuzzing.run(bytes)
        case .suite: SuiteFuzzing.run(bytes)
        case .items: _ = try? SuiteItem.parse(jsonl: Data(bytes), displayPath: "items.jsonl")
        case .import: _ = OutputsFile.parse(Data(bytes), file: "outputs.jsonl")
        case .verdict: VerdictFuzzing.run(bytes)
        case .http: HTTPFuzzing.run(bytes)
        case .chat: ChatFuzzing.run(bytes)
        case .tokenizer: TokenizerFuzzing.run(bytes)
        }
    }
}

// MARK: - GGUF

enum GGUFFuzzing {
    static func run(_ bytes: [UInt8]) {
        guard let file = try? GGUFFile(bytes: bytes) else { return }
        // Every tensor's bytes lie inside the file: read the first and last of each.
        var sum: UInt8 = 0
        for tensor in file.tensors {
            let data = file.data(for: tensor)
            if let first = data.first, let last = data.last { sum &+= first &+ last }
        }
        blackHole(sum)
        _ = try? ModelConfiguration(file: file)
        _ = ChatTemplate.detect(file: file)
        if let tokenizer = try? Tokenizer(file: file) {
            blackHole(tokenizer.encode("Hello, world! 123 ünïcödé"))
        }
    }
}

// MARK: - Suites

enum SuiteFuzzing {
    nonisolated(unsafe) static var folder = URL(fileURLWithPath: "/tmp")

    static func prepare() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("judge-fuzz-suite-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(#"{"id": "a", "prompt": "Hi"}"#.utf8 + [10]).write(to: folder.appendingPathComponent("items.jsonl"))
    }

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        // Items files may only be the one prepared: anything else could name /dev/zero or a FIFO.
        _ = try? Suite.parse(yaml: text, file: folder.appendingPathComponent("suite.yaml"), itemsLoader: { url in
            guard url.lastPathComponent == "items.jsonl" else {
                throw SuiteError(file: url.path, message: "not the fuzzing items file")
            }
            return try SuiteItem.load(from: url, displayPath: url.path)
        })
    }
}

// MARK: - Verdicts

enum VerdictFuzzing {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        switch selector % 3 {
        case 0: blackHole(VerdictParser.parse(String(decoding: rest, as: UTF8.self), format: .pairwise))
        case 1: blackHole(VerdictParser.parse(String(decoding: rest, as: UTF8.self), format: .graded))
        default:
            if let completion = try? ChatCompletionsClient.decodeCompletion(Data(rest), latency: .zero) {
                blackHole(LogprobVerdictParser.parse(completion))
            }
        }
    }
}

// MARK: - Chat requests

enum ChatFuzzing {
    static func run(_ bytes: [UInt8]) {
        guard let body = try? JSONValue.parse(Data(bytes)) else { return }
        blackHole(body.serialized())
        _ = try? ChatRequest(body: body, defaultSeed: 1)
    }
}

// MARK: - Tokenizer

@_silgen_name("__lsan_disable") private func lsanDisable()
@_silgen_name("__lsan_enable") private func lsanEnable()

enum TokenizerFuzzing {
    nonisolated(unsafe) static var tokenizer: Tokenizer!

    /// The tokenizer is built once, before any input, and lives as long as the process. LeakSanitizer still
    /// reports one array of it (2,080 bytes, `BytePairEncoder.singleByteTokens`) as a direct leak at exit although
    /// this static holds it, so the one-time setup runs with leak detection paused (LSan's own interface, linked
    /// with `-sanitize=address`); every allocation an input makes is still checked.
    static func prepare() {
        let path = ProcessInfo.processInfo.environment["JUDGE_FUZZ_MODEL"] ?? "models/SmolLM2-135M-Instruct.Q4_1.gguf"
        lsanDisable()
        defer { lsanEnable() }
        do {
            tokenizer = try Tokenizer(file: GGUFFile(url: URL(fileURLWithPath: path)))
        } catch {
            FileHandle.standardError.write(Data("the tokenizer target needs a model (JUDGE_FUZZ_MODEL): \(error)\n".utf8))
            exit(2)
        }
    }

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let rest = bytes.dropFirst()
        if selector & 1 == 0 {
            let text = String(decoding: rest, as: UTF8.self)
            let tokens = tokenizer.encode(text, parseSpecial: selector & 2 == 0)
            blackHole(tokenizer.decode(tokens))
        } else {
            // Any 32-bit values as token ids, out-of-range ones included.
            var ids: [Int32] = []
            var iterator = rest.makeIterator()
            while let a = iterator.next(), let b = iterator.next(), let c = iterator.next(), let d = iterator.next() {
                ids.append(Int32(bitPattern: UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24))
            }
            blackHole(tokenizer.decode(ids, skipSpecial: selector & 2 == 0))
            var stream = StreamingDecoder(tokenizer: tokenizer)
            for id in ids { blackHole(stream.append(id)) }
        }
    }
}

/// Keeps a value alive so the optimizer cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
