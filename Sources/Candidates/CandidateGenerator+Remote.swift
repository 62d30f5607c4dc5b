import ChatCompletions
import Foundation
import HTTP
import OpenAIWire

extension CandidateGenerator {
    // MARK: - Remote models

    /// Sends the missing requests of every remote model, `options.concurrency` at a time, saving each
    /// reply as it arrives. A model whose endpoint refuses a request (a fatal error) gets no more calls.
    func runRemote(_ models: [ModelWork], tracker: ProgressTracker) async throws -> GenerationSummary {
        guard !models.isEmpty else { return GenerationSummary() }
        // One HTTP client per trusted CA file (a model's `ca_file`, else SSL_CERT_FILE or the system's).
        var httpByCA: [String?: HTTPClient] = [:]
        func httpClient(trusting caFile: String?) -> HTTPClient {
            if let client = httpByCA[caFile] { return client }
            let client = HTTPClient(configuration: .init(maxConcurrentTransfers: options.concurrency, caFile: caFile))
            httpByCA[caFile] = client
            return client
        }
        var clients: [String: any ChatCompleting] = [:]
        var pools: [EndpointPool] = []
        var calls: [(ModelWork, Job, String)] = []
        for model in models {
            guard case let .remote(url, name, apiKeyEnv) = model.spec.source else { continue }
            var baseURLs: [URL] = []
            for text in [url] + model.spec.additionalURLs {
                guard let baseURL = URL(string: text) else {
                    throw CandidateGenerationError.invalidSetting(model: model.spec.name, reason: "url \(text) is not a URL")
                }
                baseURLs.append(baseURL)
            }
            let http = httpClient(trusting: model.spec.caFile)
            if baseURLs.count > 1 {
                // Several endpoints serving the model: calls spread over them (EndpointPool).
                let pool = EndpointPool(endpoints: EndpointPool.clients(urls: baseURLs, apiKeyEnvironmentVariable: apiKeyEnv,
                                                                        http: http, environment: options.environment))
                pools.append(pool)
                clients[model.spec.name] = pool
            } else {
                clients[model.spec.name] = ChatCompletionsClient(baseURL: baseURLs[0], apiKeyEnvironmentVariable: apiKeyEnv,
                                                                http: http, environment: options.environment)
            }
            calls += model.jobs.map { (model, $0, name) }
        }
        let refused = RefusedModels()
        var summary = GenerationSummary()
        try await withThrowingTaskGroup(of: GenerationSummary.self) { group in
            var next = 0
            func schedule() {
                guard next < calls.count, !Task.isCancelled else { return }
                let (model, job, remoteName) = calls[next]
                next += 1
                let client = clients[model.spec.name]!
                group.addTask {
                    try await self.call(client, model: model, remoteName: remoteName, job: job, refused: refused, tracker: tracker)
                }
            }
            for _ in 0..<options.concurrency { schedule() }
            while let result = try await group.next() {
                summary.merge(result)
                schedule()
            }
        }
        if Task.isCancelled { summary.cancelled = true }
        summary.endpoints = pools.flatMap(\.counts)
        return summary
    }

    /// One call: its reply saved, or its failure counted.
    private func call(_ client: any ChatCompleting, model: ModelWork, remoteName: String, job: Job,
                      refused: RefusedModels, tracker: ProgressTracker) async throws -> GenerationSummary {
        var summary = GenerationSummary()
        let name = model.spec.name
        if let reason = refused[name] {
            summary.failures.append(.init(model: name, item: job.itemLabel, reason: "not sent: \(reason)"))
            tracker.finished(model: name, failed: true)
            return summary
        }
        var messages: [ChatMessage] = []
        if let system = job.system { messages.append(.system(system)) }
        messages.append(.user(job.prompt))
        // Only what the suite set is sent (nil fields are left out of the body): OpenAI rejects top_k,
        // min_p and repeat_penalty, which vLLM, llama.cpp's server and `judge serve` accept.
        let settings = model.settings
        let request = ChatCompletionRequest(model: remoteName, messages: messages, temperature: settings.temperature,
                                            maxTokens: settings.maxTokens, seed: settings.seed, topP: settings.topP,
                                            topK: settings.topK, minP: settings.minP, repeatPenalty: settings.repeatPenalty)
        do {
            let completion = try await client.complete(request)
            try save(completion.content, for: job, model: model)
            summary.generated += 1
            tracker.finished(model: name, failed: false)
        } catch let error as ChatCompletionsError {
            if error.isFatal { refused[name] = error.description }
            summary.failures.append(.init(model: name, item: job.itemLabel, reason: error.description))
            tracker.finished(model: name, failed: true)
        } catch is CancellationError {
            summary.cancelled = true
        }
        return summary
    }
}

/// Remote models whose endpoint refused a request, with the reason (shared by the concurrent calls).
final class RefusedModels: @unchecked Sendable {
    private let lock = NSLock()
    private var reasons: [String: String] = [:]

    subscript(model: String) -> String? {
        get { lock.withLock { reasons[model] } }
        set { lock.withLock { reasons[model] = newValue } }
    }
}
