import ChatCompletions
import Foundation
import LocalInference
import HTTP
import Judge
import Server
import Suite

// MARK: - JudgeEndpoint: where judge calls go

/// The judge the compare pipeline talks to: the suite's OpenAI-compatible endpoint (`judge.url` or `--judge-url`),
/// or — with no URL — the embedded local judge: our own `ChatServer` over the GGUF engine, started in this
/// process on a free loopback port and shut down when judging ends (also after Ctrl-C).
///
/// Either way the calls go through the same `ChatCompletionsClient` over libcurl, so the embedded judge is
/// judged by exactly the code that talks to GPT-4.
struct JudgeEndpoint: Sendable {
    enum Kind: Sendable {
        /// One endpoint, or several serving the same judge (an ``EndpointPool``).
        case remote([URL], apiKeyEnv: String)
        /// A GGUF file served under `modelID`, each running request holding a KV cache of `context` positions.
        case embedded(model: URL, modelID: String, context: Int)
    }

    var kind: Kind
    /// Calls in flight (and, embedded, generations stepped together by the server).
    var concurrency: Int
    /// The CA file trusted for a remote judge over HTTPS (`judge.ca_file`); nil: `SSL_CERT_FILE` or the system's.
    var caFile: String? = nil
    /// How the embedded judge's model computes (threads, sgemm threshold, weight layout).
    var engine = EngineConfiguration()

    var embedded: Bool { if case .embedded = kind { true } else { false } }

    /// Positions per running judge request: the judge prompt (template and two outputs) and its reply.
    static let embeddedContext = 2048

    /// The Batch API of a remote judge (its first URL: a batch goes to one provider, whatever `urls:` lists).
    func batchAPI(note: (String) -> Void) throws -> BatchAPIClient {
        guard case let .remote(urls, apiKeyEnv) = kind else {
            throw EvaluationError.failure("the Batch API needs a remote judge (judge.url)")
        }
        if urls.count > 1 { note("note: batches go to \(urls[0].absoluteString), the first of the judge's \(urls.count) urls") }
        let http = HTTPClient(configuration: .init(maxConcurrentTransfers: max(1, min(concurrency, 4)), caFile: caFile))
        return BatchAPIClient(baseURL: urls[0], apiKeyEnvironmentVariable: apiKeyEnv, http: http)
    }

    /// Runs `body` with a client for this judge; an embedded judge is started first and shut down after,
    /// whether `body` returns or throws (also after Ctrl-C). `note` hears what the user should know; with several
    /// URLs, each endpoint's share of the calls.
    func withClient<T>(note: (String) -> Void, _ body: (any ChatCompleting) async throws -> T) async throws -> T {
        let http = HTTPClient(configuration: .init(maxConcurrentTransfers: concurrency, caFile: caFile))
        switch kind {
        case let .remote(urls, apiKeyEnv):
            let url = urls[0]
            let client = ChatCompletionsClient(baseURL: url, apiKeyEnvironmentVariable: apiKeyEnv, http: http)
            if !client.hasAPIKey, !urls.allSatisfy(Self.isLoopback) {
                note("note: $\(apiKeyEnv) is not set: calling \(url.absoluteString) without an API key")
            }
            guard urls.count > 1 else { return try await body(client) }
            let pool = EndpointPool(endpoints: EndpointPool.clients(urls: urls, apiKeyEnvironmentVariable: apiKeyEnv, http: http))
            defer { note(EndpointPool.describe(pool.counts, role: "judge")) }
            return try await body(pool)
        case let .embedded(model, modelID, context):
            let engine: LocalEngine
            do {
                engine = try LocalEngine(modelURL: model, contextLength: context, modelID: modelID, engine: self.engine)
            } catch {
                throw EvaluationError.failure("cannot load the embedded judge's model \(model.path): \(error)")
            }
            let server = ChatServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, parallel: concurrency))
            let port = try await server.start()
            let url = URL(string: "http://127.0.0.1:\(port)/v1")!
            note("embedded judge: \(model.lastPathComponent) as \(modelID) on \(url.absoluteString), \(concurrency) at a time")
            // No key: the server is ours, on loopback. Its queue is never longer than `concurrency`, so a slow
            // call is a slow machine, not a lost server: allow ten minutes an attempt instead of two.
            let client = ChatCompletionsClient(baseURL: url, apiKeyEnvironmentVariable: nil, http: http,
                                               timeout: .seconds(600))
            let result: Result<T, Error>
            do { result = .success(try await body(client)) } catch { result = .failure(error) }
            // Calls in flight were finished or cancelled by `body`; anything left is cancelled after a moment.
            await server.shutdown(gracePeriod: .seconds(2))
            return try result.get()
        }
    }
}

extension JudgeEndpoint {
    // MARK: - Choosing the judge

    /// The remote judge when the suite has a URL; otherwise the embedded local judge over `judgePath`, else the
    /// suite's `judge.path`. `concurrency` overrides the suite's.
    init(for suite: Suite, judgePath: String?, concurrency: Int?, engine: EngineConfiguration = EngineConfiguration()) throws {
        let judge = suite.judge
        if let text = judge.url {
            guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
                throw EvaluationError.failure("judge URL \"\(text)\" is not a URL; give an OpenAI-compatible …/v1 base URL")
            }
            var urls = [url]
            for text in judge.additionalURLs {
                guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
                    throw EvaluationError.failure("judge URL \"\(text)\" is not a URL; give an OpenAI-compatible …/v1 base URL")
                }
                urls.append(url)
            }
            self.init(kind: .remote(urls, apiKeyEnv: judge.apiKeyEnv), concurrency: concurrency ?? judge.concurrency ?? 8,
                      caFile: judge.caFile)
            return
        }
        let model = try Self.embeddedJudgeModel(for: suite, judgePath: judgePath)
        self.init(kind: .embedded(model: model, modelID: judge.model, context: Self.embeddedContext),
                  concurrency: concurrency ?? judge.concurrency ?? 4, engine: engine)
    }

    /// The GGUF file of the embedded judge: `judgePath` (`--judge-path`), else the suite's `judge.path`.
    static func embeddedJudgeModel(for suite: Suite, judgePath: String?) throws -> URL {
        if let judgePath { return URL(fileURLWithPath: judgePath) }
        guard let path = suite.judge.path else {
            throw EvaluationError.failure("\(suite.file.path): no judge to call: give judge.url (or --judge-url URL) for an OpenAI-compatible judge, or judge.path (or --judge-path) a GGUF file for the embedded local judge")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw EvaluationError.failure("\(suite.file.path): judge.path \(path): no such file; fetch the model with `bash scripts/bootstrap.sh`, or point judge.path at a GGUF file")
        }
        return URL(fileURLWithPath: path)
    }

    static func isLoopback(_ url: URL) -> Bool {
        guard let host = url.host else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
