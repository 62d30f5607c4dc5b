import ChatCompletions
import Foundation
import OpenAIWire
import Store
import Suite

/// Sends a plan's judge calls through OpenAI's Batch API instead of one at a time: one JSONL file of
/// requests, one batch, polled until the provider is done, then its output and error files read into the
/// store — under the same content-addressed keys, and filled in by the same code, as direct calls.
///
/// - Resuming: the batch id and its keys are stored the moment the batch is created. A run first polls and
///   collects the batches still open for this judge; it submits only the calls no open batch carries, so an
///   interrupted run (Ctrl-C, kill -9, a lost machine) never pays for the same calls twice.
/// - Lines: an answered line becomes a verdict (or an unparsed reply); a failed line (in the error file, or
///   a non-200 response) is stored as a failure, which the next run sends again; a request with no line at
///   all (a batch that failed validation) stays pending. A line whose `custom_id` matches no request of the
///   batch is recorded as an error against the batch, never as a verdict.
/// - Costs use the judge's batch price (``JudgingRun/Options/price`` should be ``JudgeSpec/Price/batchPrice``);
///   `maxCost` leaves out of the batch the calls whose estimate would pass it.
public struct BatchJudgingRun: Sendable {
    public struct Options: Sendable, Hashable {
        /// Time between two status checks.
        public var pollInterval: Duration
        /// Calls per batch (OpenAI allows 50,000).
        public var maxRequestsPerBatch: Int

        public init(pollInterval: Duration = .seconds(30), maxRequestsPerBatch: Int = 50_000) {
            self.pollInterval = pollInterval
            self.maxRequestsPerBatch = max(1, maxRequestsPerBatch)
        }
    }

    /// What happened to the batches of a run, beside the usual judging counts.
    public struct Summary: Sendable, Hashable, CustomStringConvertible {
        public var judging = JudgingSummary()
        /// Batches found open in the store and polled again instead of submitted.
        public var resumed = 0
        public var submitted = 0
        /// Each batch collected this run: its id and final status.
        public var collected: [(id: String, status: String)] = []
        /// Lines of output or error files whose `custom_id` matched no request of their batch.
        public var unmatchedLines = 0

        public static func == (a: Summary, b: Summary) -> Bool {
            a.judging == b.judging && a.resumed == b.resumed && a.submitted == b.submitted && a.unmatchedLines == b.unmatchedLines
                && a.collected.map(\.id) == b.collected.map(\.id) && a.collected.map(\.status) == b.collected.map(\.status)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(judging); hasher.combine(submitted) }

        public var description: String {
            var lines = [judging.description]
            let batches = collected.map { "\($0.id) \($0.status)" }.joined(separator: ", ")
            lines.append("batches: \(submitted) submitted, \(resumed) resumed from the store"
                         + (batches.isEmpty ? "" : "; collected \(batches)"))
            if unmatchedLines > 0 {
                lines.append("warning: \(unmatchedLines) batch line(s) matched no request; recorded as batch errors, not verdicts")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Where a run stands: the batch being polled and its counts.
    public struct Progress: Sendable, Hashable {
        public var batchID: String
        public var status: String
        public var completed: Int
        public var failed: Int
        public var total: Int
    }

    public let store: JudgeStore
    public let api: BatchAPIClient
    public let options: JudgingRun.Options
    public let batch: Options

    public init(store: JudgeStore, api: BatchAPIClient, options: JudgingRun.Options, batch: Options = Options()) {
        self.store = store
        self.api = api
        self.options = options
        self.batch = batch
    }

    // MARK: - Running

    /// Collects open batches, submits what is left of the plan, polls and collects it.
    ///
    /// - Throws: store errors, ``BatchAPIError`` (a refused upload, an unreachable API), `CancellationError`
    ///   while polling — the batch stays stored and open, and the next run polls it again.
    public func run(_ plan: ComparisonPlan, progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        var summary = Summary()
        summary.judging.planned = plan.entries.count
        summary.judging.cost = options.price == nil ? nil : 0
        let settled = try store.settledKeys(among: plan.entries.map(\.key))
        var pending: [String: ComparisonPlan.Entry] = [:]
        var order: [String] = []
        for entry in plan.entries where pending[entry.key] == nil {
            if settled.contains(entry.key) { continue }
            pending[entry.key] = entry
            order.append(entry.key)
        }
        summary.judging.reused = plan.entries.count - order.count
        let identical = order.compactMap { pending[$0] }.filter { $0.messages == nil }
        summary.judging.identical = try store.saveVerdicts(identical.map(\.record))

        // 1. Batches a previous run left in the provider's hands.
        let endpoint = api.baseURL.absoluteString
        let open = try store.openBatches(endpoint: endpoint, judgeModel: options.judgeModel)
        var carried = Set<String>()
        for record in open { carried.formUnion(record.keyList) }
        summary.resumed = open.count

        // 2. The rest, in new batches, within --max-cost.
        var toSend = order.compactMap { pending[$0] }.filter { $0.messages != nil && !carried.contains($0.key) }
        if let maxCost = options.maxCost, let price = options.price {
            var committed = 0.0
            var within: [ComparisonPlan.Entry] = []
            for entry in toSend {
                let estimate = price.cost(promptTokens: entry.estimatedPromptTokens,
                                          completionTokens: options.assumedCompletionTokens(plan.format, judge: plan.judge))
                guard committed + estimate <= maxCost else {
                    summary.judging.stopReason = .budget(limit: maxCost, spent: 0)
                    break
                }
                committed += estimate
                within.append(entry)
            }
            summary.judging.notSent = toSend.count - within.count
            toSend = within
        }
        var batches = open
        for start in stride(from: 0, to: toSend.count, by: batch.maxRequestsPerBatch) {
            let chunk = Array(toSend[start..<min(start + batch.maxRequestsPerBatch, toSend.count)])
            batches.append(try await submit(chunk, format: plan.format, judge: plan.judge))
            summary.submitted += 1
        }

        // 3. Poll each until the provider is done, then read its files into the store.
        for record in batches {
            let final = try await poll(record, progress: progress)
            try await collect(record, final, pending: pending, format: plan.format, into: &summary)
        }
        return summary
    }

    /// Uploads the calls as JSONL, creates the batch and stores it before anything else can go wrong.
    private func submit(_ entries: [ComparisonPlan.Entry], format: VerdictFormat, judge: JudgeConfiguration) async throws -> JudgeBatchRecord {
        var jsonl = Data()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for entry in entries {
            let line = BatchRequestLine(customID: entry.key, body: options.request(entry.messages!, format: format, judge: judge))
            jsonl.append(try encoder.encode(line))
            jsonl.append(0x0A)
        }
        let fileID = try await api.upload(jsonl, filename: "judge-\(options.judgeModel)-\(entries.count).jsonl")
        let created = try await api.createBatch(inputFileID: fileID, metadata: ["source": "judge compare --batch"])
        return try store.saveBatch(JudgeBatchRecord(
            batchID: created.id, inputFileID: fileID, endpoint: api.baseURL.absoluteString, judgeModel: options.judgeModel,
            status: created.status, keys: entries.map(\.key)))
    }

    /// Polls until the batch is completed, failed, expired or cancelled; stores each new status.
    private func poll(_ record: JudgeBatchRecord, progress: @Sendable (Progress) -> Void) async throws -> BatchAPIClient.BatchObject {
        var lastStatus = record.status
        while true {
            let current = try await api.batch(record.batchID)
            if current.status != lastStatus {
                try store.updateBatch(record.batchID, status: current.status, outputFileID: current.outputFileID,
                                      errorFileID: current.errorFileID)
                lastStatus = current.status
            }
            let counts = current.requestCounts
            progress(Progress(batchID: current.id, status: current.status, completed: counts?.completed ?? 0,
                              failed: counts?.failed ?? 0, total: counts?.total ?? record.keyList.count))
            if current.isTerminal { return current }
            try await Task.sleep(for: batch.pollInterval)
        }
    }

    /// Reads the output and error files into `judgment`, then marks the batch collected.
    private func collect(_ record: JudgeBatchRecord, _ final: BatchAPIClient.BatchObject, pending: [String: ComparisonPlan.Entry],
                         format: VerdictFormat, into summary: inout Summary) async throws {
        let keys = Set(record.keyList)
        var seen = Set<String>()
        var problems: [String] = []
        if let reason = final.errorSummary { problems.append("batch \(final.status): \(reason)") }
        for fileID in [final.outputFileID, final.errorFileID].compactMap({ $0 }) {
            let data = try await api.content(ofFile: fileID)
            for (number, text) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
                let line = BatchOutputLine.parse(Data(text.utf8))
                guard let customID = line.customID, keys.contains(customID) else {
                    summary.unmatchedLines += 1
                    problems.append("\(fileID) line \(number + 1): custom_id \(line.customID.map { "\"\($0)\"" } ?? "missing") matches no request of this batch")
                    continue
                }
                guard seen.insert(customID).inserted else {
                    summary.unmatchedLines += 1
                    problems.append("\(fileID) line \(number + 1): a second line for custom_id \"\(customID)\" (the first one counts)")
                    continue
                }
                // A key no longer in the plan (the suite changed since) has no row to fill: left alone.
                guard let entry = pending[customID] else { continue }
                var judgment = entry.record
                judgment.createdAt = Date()
                summary.judging.sent += 1
                switch line.outcome {
                case .reply(let completion):
                    if judgment.fill(with: completion, format: format, price: options.price) {
                        summary.judging.parsed += 1
                    } else {
                        summary.judging.unparsed += 1
                    }
                    summary.judging.promptTokens += judgment.promptTokens ?? 0
                    summary.judging.completionTokens += judgment.completionTokens ?? 0
                    if let cost = judgment.cost { summary.judging.cost = (summary.judging.cost ?? 0) + cost }
                case .failure(let reason):
                    summary.judging.failed += 1
                    judgment.error = "batch \(record.batchID): \(reason)"
                }
                try store.saveVerdict(judgment)
            }
        }
        try store.updateBatch(record.batchID, status: final.status, outputFileID: final.outputFileID, errorFileID: final.errorFileID,
                              errors: problems.isEmpty ? nil : problems.joined(separator: "\n"), collected: true)
        summary.collected.append((final.id, final.status))
    }
}

// MARK: - Lines

/// One line of the input file: `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`.
struct BatchRequestLine: Encodable {
    var customID: String
    var method = "POST"
    var url = "/v1/chat/completions"
    var body: ChatCompletionRequest

    enum CodingKeys: String, CodingKey {
        case method, url, body
        case customID = "custom_id"
    }
}

/// One line of an output or error file: `{"custom_id", "response": {"status_code", "body"}, "error"}`.
struct BatchOutputLine {
    enum Outcome {
        case reply(ChatCompletion)
        case failure(String)
    }

    var customID: String?
    var outcome: Outcome

    static func parse(_ data: Data) -> BatchOutputLine {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return BatchOutputLine(customID: nil, outcome: .failure("not a JSON object"))
        }
        let customID = object["custom_id"] as? String
        if let error = object["error"] as? [String: Any] {
            let code = error["code"] as? String ?? "error"
            return BatchOutputLine(customID: customID, outcome: .failure("\(code): \(error["message"] as? String ?? "no message")"))
        }
        guard let response = object["response"] as? [String: Any], let status = response["status_code"] as? Int else {
            return BatchOutputLine(customID: customID, outcome: .failure("neither a response nor an error"))
        }
        let body = response["body"].flatMap { try? JSONSerialization.data(withJSONObject: $0) } ?? Data()
        guard status == 200 else {
            let message = (response["body"] as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["message"] as? String }
            return BatchOutputLine(customID: customID, outcome: .failure("HTTP \(status): \(message ?? "no message")"))
        }
        do {
            return BatchOutputLine(customID: customID, outcome: .reply(try ChatCompletionsClient.decodeCompletion(body, latency: .zero)))
        } catch {
            return BatchOutputLine(customID: customID, outcome: .failure("\(error)"))
        }
    }
}
