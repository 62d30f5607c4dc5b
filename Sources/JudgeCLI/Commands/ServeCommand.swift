import ArgumentParser
import Dispatch
import Foundation
import LocalInference
import Server
import Suite

/// `judge serve`: a local GGUF model behind the OpenAI chat-completions API, for any OpenAI client — and for
/// `judge compare`'s embedded local judge.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a GGUF model over an OpenAI-compatible chat-completions API.",
        discussion: """
            Endpoints: POST /v1/chat/completions (plain or streamed with "stream": true; usage, logprobs and \
            top_logprobs, seed, stop, max_tokens, temperature, top_p, and llama.cpp's top_k, min_p, \
            repeat_penalty) and GET /v1/models. Bad requests get a 400 with OpenAI's error JSON.

            Up to --parallel requests generate together, one token each per step; more wait in line. \
            Once listening, one line goes to stderr: "listening on http://HOST:PORT" (with --port 0, the \
            port the system picked). SIGINT or SIGTERM stops accepting, lets running generations finish \
            for --grace seconds, cancels the rest and exits 0; a second signal cancels at once.

            Shared use: --api-key KEY (or JUDGE_SERVE_API_KEY) requires "Authorization: Bearer KEY" on every \
            request but GET /health (a 401 with OpenAI's error JSON otherwise). Listening on an address other \
            than loopback without a key is refused unless --no-auth is given.
            """
    )

    @Option(name: .long, help: "The GGUF model file.")
    var model: String

    @Option(name: .long, help: "The address to listen on (loopback by default; 0.0.0.0 exposes the server).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port (0 picks a free one).")
    var port = 8080

    @Option(name: .long, parsing: .unconditional, help: "How many requests generate together.")
    var parallel = 4

    @Option(name: .customLong("max-connections"), parsing: .unconditional,
            help: "The most open connections; more are refused with 503 (also kept under the file-descriptor limit).")
    var maxConnections = ConnectionLimits().maxConnections

    @Option(name: .long, parsing: .unconditional, help: "Tokens per sequence, prompt and completion together (each running request holds a KV cache this long).")
    var context = 2048

    @Option(name: .long, help: "The chat template (\(ChatTemplate.Kind.allCases.map(\.rawValue).joined(separator: ", "))); default: recognized from the model.")
    var chatTemplate: String?

    @Option(name: .long, help: "The model name listed by /v1/models (default: the file name without .gguf).")
    var modelID: String?

    @Option(name: .long, help: "Seconds running generations may take to finish after SIGINT/SIGTERM.")
    var grace = 10.0

    @Option(name: .long, help: "Require 'Authorization: Bearer KEY' (default: $\(Self.apiKeyVariable) when set).")
    var apiKey: String?

    @Flag(name: .long, help: "Serve a non-loopback --host without an API key (anyone who can reach it may use it).")
    var noAuth = false

    /// The environment variable that supplies the key when --api-key is not given.
    static let apiKeyVariable = "JUDGE_SERVE_API_KEY"

    /// The key in force: --api-key, else the environment's.
    var effectiveAPIKey: String? {
        apiKey ?? ProcessInfo.processInfo.environment[Self.apiKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether `host` only accepts connections from this machine.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    func validate() throws {
        guard FileManager.default.fileExists(atPath: model) else {
            throw ValidationError("--model \(model): no such file; give the path of a GGUF model (scripts/bootstrap.sh fetches SmolLM2 into models/)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): expected 0…65535 (0 picks a free port)") }
        try SettingCheck.check(parallel, SettingLimits.concurrency, option: "--parallel")
        try SettingCheck.check(maxConnections, SettingLimits.connections, option: "--max-connections")
        guard context >= 16 else { throw ValidationError("--context \(context): expected at least 16 tokens") }
        try SettingCheck.check(context, SettingLimits.contextLength, option: "--context")
        try SettingCheck.check(grace, in: SettingLimits.seconds, meaning: "seconds", option: "--grace")
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key: expected a non-empty key") }
        if !Self.isLoopback(host), effectiveAPIKey == nil, !noAuth {
            throw ValidationError("--host \(host) is not loopback and no API key is set: give --api-key KEY (or $\(Self.apiKeyVariable)), or --no-auth to serve anyone who can reach it")
        }
        if let chatTemplate, ChatTemplate(name: chatTemplate) == nil {
            throw ValidationError("--chat-template \(chatTemplate): expected one of \(ChatTemplate.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let engine: LocalEngine
        do {
            engine = try LocalEngine(modelURL: URL(fileURLWithPath: model), contextLength: context,
                                     chatTemplate: chatTemplate, modelID: modelID, engine: .fromEnvironment())
        } catch {
            FileHandle.standardError.write(Data("error: cannot load \(model): \(error)\n".utf8))
            throw ExitCode.failure
        }
        if let guessed = engine.template.guessed { Diagnostics.note("warning: \(model): \(guessed)") }
        let limits = ConnectionLimits(maxConnections: maxConnections)
        let server = ChatServer(engine: engine, configuration: .init(host: host, port: port, parallel: parallel, limits: limits,
                                                                          apiKey: effectiveAPIKey))
        let bound: Int
        do {
            bound = try await server.start()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        FileHandle.standardError.write(Data("listening on http://\(shownHost):\(bound)\n".utf8))

        let signals = TerminationSignals()
        let signal = await signals.first()
        FileHandle.standardError.write(Data("\(signal): shutting down (a second signal cancels running generations)\n".utf8))
        signals.onEveryLater { server.cancelInFlight() }
        await server.shutdown(gracePeriod: .milliseconds(Int(grace * 1000)))
        FileHandle.standardError.write(Data("stopped\n".utf8))
    }
}

// MARK: - TerminationSignals

/// SIGINT and SIGTERM as events instead of the default exit, so the server can shut down cleanly.
private final class TerminationSignals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "judge.serve.signals")
    private var sources: [DispatchSourceSignal] = []
    private var waiter: CheckedContinuation<String, Never>?
    private var received: String?
    private var later: (() -> Void)?

    init() {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in handle(name) }
            source.resume()
            sources.append(source)
        }
    }

    /// The name of the first signal, once it arrives.
    func first() async -> String {
        await withCheckedContinuation { continuation in
            queue.async {
                if let received = self.received { continuation.resume(returning: received) } else { self.waiter = continuation }
            }
        }
    }

    /// Runs `action` on every signal after the first.
    func onEveryLater(_ action: @escaping () -> Void) {
        queue.async { self.later = action }
    }

    private func handle(_ name: String) {
        guard received == nil else {
            later?()
            return
        }
        received = name
        waiter?.resume(returning: name)
        waiter = nil
    }
}
