import ChatCompletions
import Foundation
import OpenAIWire
import Store
import Suite

/// Sends a plan's judgments to the judge with bounded concurrency, storing each verdict as it arrives.
///
/// - Skips every judgment whose key is settled in the store (a verdict or an unparsed reply), so a
///   repeated, resumed or killed-and-restarted run sends only what is missing; at most the calls in
///   flight at a kill are sent again.
/// - Identical outputs are stored as ties without a call.
/// - Each result is committed in its own transaction the moment it arrives.
/// - Scheduling stops, with the reason in ``JudgingSummary/stopReason``, on a fatal client error
///   (4xx, or the client's own "failures persist"), on `maxConsecutiveFailures` failed calls in a row,
///   when the next call could take spending past `maxCost`, or on cancellation. Calls in flight finish
///   and are stored; nothing judged is lost.
///
/// ```swift
/// let run = JudgingRun(store: store, client: client, options: .init(judgeModel: "gpt-4o", concurrency: 8))
/// let summary = try await run.run(plan) { progress in bar.update(progress) }
/// ```
public struct JudgingRun: Sendable {
    public struct Options: Sendable, Hashable {
        public var judgeModel: String
        public var concurrency: Int
        public var seed: Int?
        /// The judge model's price; `nil` leaves costs unknown.
        public var price: JudgeSpec.Price?
        /// Stop before the next call could take this run's spending past it (USD); needs `price`.
        public var maxCost: Double?
        /// Failed calls in a row (after the client's retries) that stop the run.
        public var maxConsecutiveFailures: Int
        /// Alternatives asked for at the verdict position in the logprob verdict mode (`top_logprobs`;
        /// 20 is OpenAI's and vLLM's limit). Text templates ignore it.
        public var topLogprobs: Int

        public init(judgeModel: String, concurrency: Int = 8, seed: Int? = nil, price: JudgeSpec.Price? = nil, maxCost: Double? = nil, maxConsecutiveFailures: Int = 8,
                    topLogprobs: Int = 20) {
            self.judgeModel = judgeModel
            self.concurrency = max(1, concurrency)
            self.seed = seed
            self.price = price
            self.maxCost = maxCost
            self.maxConsecutiveFailures = max(1, maxConsecutiveFailures)
            self.topLogprobs = min(20, max(1, topLogprobs))
        }

        /// The request for one comparison under `judge` (the plan's configuration, whose temperature and
        /// max_tokens are in every key): a written verdict within max_tokens, or — when `format` reads
        /// logprobs — one token with its `topLogprobs` most likely alternatives.
        public func request(_ messages: [ChatMessage], format: VerdictFormat,
                            judge: JudgeConfiguration) -> ChatCompletionRequest {
            let temperature = judge.temperature ?? 0, maxTokens = judge.maxTokens ?? 1024
            if format.readsLogprobs {
                return ChatCompletionRequest(model: judgeModel, messages: messages, temperature: temperature, maxTokens: 1,
                                             seed: seed, logprobs: true, topLogprobs: topLogprobs)
            }
            return ChatCompletionRequest(model: judgeModel, messages: messages, temperature: temperature,
                                         maxTokens: maxTokens, seed: seed)
        }

        /// Completion tokens assumed per call for estimates: one for a logprob verdict, else a short comparison.
        func assumedCompletionTokens(_ format: VerdictFormat, judge: JudgeConfiguration) -> Int {
            format.readsLogprobs ? 1 : min(judge.maxTokens ?? 1024, TokenEstimate.assumedCompletionTokens)
        }

        /// The most completion tokens one call can bill.
        func maxCompletionTokens(_ format: VerdictFormat, judge: JudgeConfiguration) -> Int {
            format.readsLogprobs ? 1 : judge.maxTokens ?? 1024
        }
    }

    /// Where a run stands, reported after each stored judgment.
    public struct Progress: Sendable, Hashable {
        /// Judgments this run has to make (the plan less the reused ones).
        public var total: Int
        public var done: Int
        public var failed: Int
        public var unparsed: Int
        public var cost: Double?
    }

    public let store: JudgeStore
    public let client: any ChatCompleting
    public let options: Options

    public init(store: JudgeStore, client: any ChatCompleting, options: Options) {
        self.store = store
        self.client = client
        self.options = options
    }

    // MARK: - Dry run

    /// What a run would send, without sending: calls, estimated tokens and cost.
    public struct Estimate: Sendable, Hashable {
        public var planned: Int
        public var reused: Int
        public var identical: Int
        public var calls: Int
        public var promptTokens: Int
        /// Completion tokens at ``TokenEstimate/assumedCompletionTokens`` a call (one when verdicts are read
        /// from logprobs).
        public var completionTokens: Int
        /// Completion tokens if every reply used `max_tokens`: the cost's upper bound.
        public var completionTokensMax: Int
        public var cost: Double?
        public var costMax: Double?
    }

    /// Estimates the plan's calls and cost from prompt lengths (4 characters a token) and the store.
    public func estimate(_ plan: ComparisonPlan) throws -> Estimate {
        let settled = try store.settledKeys(among: plan.entries.map(\.key))
        let pending = plan.entries.filter { !settled.contains($0.key) }
        let calls = pending.filter { $0.messages != nil }
        let prompt = calls.reduce(0) { $0 + $1.estimatedPromptTokens }
        let completion = calls.count * options.assumedCompletionTokens(plan.format, judge: plan.judge)
        let completionMax = calls.count * options.maxCompletionTokens(plan.format, judge: plan.judge)
        return Estimate(
            planned: plan.entries.count, reused: plan.entries.count - pending.count,
            identical: pending.count - calls.count, calls: calls.count,
            promptTokens: prompt, completionTokens: completion, completionTokensMax: completionMax,
            cost: options.price?.cost(promptTokens: prompt, completionTokens: completion),
            costMax: options.price?.cost(promptTokens: prompt, completionTokens: completionMax))
    }

    // MARK: - Reading verdicts

    /// What one reply said.
    enum Reading: Sendable, Hashable {
        case verdict(Verdict, VerdictProbabilities?)
        case unparsed(String)
    }

    /// The verdict of a reply: from its text (the last `[[…]]`), or from its log-probabilities.
    static func read(_ completion: ChatCompletion, format: VerdictFormat) -> Reading {
        if format.readsLogprobs {
            switch LogprobVerdictParser.parse(completion) {
            case .verdict(let probabilities): return .verdict(probabilities.verdict, probabilities)
            case .unparsed(let reason): return .unparsed(reason)
            }
        }
        if let verdict = VerdictParser.parse(completion.content, format: format) { return .verdict(verdict, nil) }
        return .unparsed(format.missingVerdict)
    }

    // MARK: - Running

    /// Runs the plan; see the type's documentation for what is skipped, stored and when it stops.
    ///
    /// - Throws: only store errors (a full disk, a broken file); judge failures end up in the summary.
    public func run(_ plan: ComparisonPlan, progress: @Sendable (Progress) -> Void = { _ in }) async throws -> JudgingSummary {
        var summary = JudgingSummary()
        summary.planned = plan.entries.count
        summary.cost = options.price == nil ? nil : 0
        let settled = try store.settledKeys(among: plan.entries.map(\.key))
        var pending: [ComparisonPlan.Entry] = []
        var seen = Set<String>()
        for entry in plan.entries where seen.insert(entry.key).inserted {
            if settled.contains(entry.key) { summary.reused += 1 } else { pending.append(entry) }
        }
        summary.reused += plan.entries.count - seen.count

        // Identical outputs: ties without a call, stored in one small transaction.
        let identical = pending.filter { $0.messages == nil }
        summary.identical = try store.saveVerdicts(identical.map(\.record))
        let calls = pending.filter { $0.messages != nil }
        var state = Progress(total: calls.count, done: 0, failed: 0, unparsed: 0, cost: summary.cost)
        progress(state)

        var consecutiveFailures = 0
        var inFlightEstimate: [String: Double] = [:]
        // What counts against --max-cost: billed costs, or the estimate for a reply without usage.
        var budgetSpent = 0.0
        var next = 0
        var storeError: Error?

        /// Commits one judgment; a store that cannot be written stops the run.
        func save(_ record: JudgmentRecord) {
            do {
                try store.saveVerdict(record)
            } catch {
                storeError = storeError ?? error
                if summary.stopReason == nil { summary.stopReason = .fatal("cannot write the store: \(error)") }
            }
        }

        await withTaskGroup(of: (ComparisonPlan.Entry, Result<ChatCompletion, Error>).self) { group in
            /// Starts the next call unless a stop condition holds; returns false when nothing was started.
            func startNext() -> Bool {
                guard summary.stopReason == nil, next < calls.count else { return false }
                if Task.isCancelled { summary.stopReason = .cancelled; return false }
                let entry = calls[next]
                if let maxCost = options.maxCost, let price = options.price {
                    let estimate = price.cost(promptTokens: entry.estimatedPromptTokens,
                                              completionTokens: options.assumedCompletionTokens(plan.format, judge: plan.judge))
                    let committed = budgetSpent + inFlightEstimate.values.reduce(0, +)
                    if committed + estimate > maxCost {
                        summary.stopReason = .budget(limit: maxCost, spent: budgetSpent)
                        return false
                    }
                    inFlightEstimate[entry.key] = estimate
                }
                next += 1
                let request = options.request(entry.messages!, format: plan.format, judge: plan.judge)
                let client = self.client
                group.addTask {
                    do { return (entry, .success(try await client.complete(request))) } catch { return (entry, .failure(error)) }
                }
                return true
            }

            for _ in 0..<options.concurrency where startNext() {}
            while let (entry, result) = await group.next() {
                let estimate = inFlightEstimate.removeValue(forKey: entry.key) ?? 0
                var record = entry.record
                record.createdAt = Date()
                switch result {
                case .success(let completion):
                    consecutiveFailures = 0
                    summary.sent += 1
                    if record.fill(with: completion, format: plan.format, price: options.price) {
                        summary.parsed += 1
                    } else {
                        summary.unparsed += 1
                    }
                    summary.promptTokens += record.promptTokens ?? 0
                    summary.completionTokens += record.completionTokens ?? 0
                    if let cost = record.cost { summary.cost = (summary.cost ?? 0) + cost }
                    budgetSpent += record.cost ?? estimate
                    save(record)
                case .failure(let error as ChatCompletionsError) where error.isFatal:
                    // Not the comparison's fault: nothing stored, the run stops and says why.
                    summary.notSent += 1
                    if summary.stopReason == nil { summary.stopReason = .fatal(error.description) }
                case .failure(let error) where error is CancellationError:
                    summary.notSent += 1
                    if summary.stopReason == nil { summary.stopReason = .cancelled }
                case .failure(let error as ChatCompletionsError) where error.isPromptTooLong:
                    // This comparison's fault, not the judge's: stored as failed (so it shows), not counted
                    // towards stopping the run.
                    summary.sent += 1
                    summary.failed += 1
                    record.error = error.description
                    save(record)
                case .failure(let error):
                    summary.sent += 1
                    summary.failed += 1
                    consecutiveFailures += 1
                    record.error = "\(error)"
                    save(record)
                    if consecutiveFailures >= options.maxConsecutiveFailures, summary.stopReason == nil {
                        summary.stopReason = .failuresPersist(count: consecutiveFailures, last: "\(error)")
                    }
                }
                state.done += 1
                state.failed = summary.failed
                state.unparsed = summary.unparsed
                state.cost = summary.cost
                progress(state)
                _ = startNext()
            }
        }
        summary.notSent += calls.count - next
        if let storeError { throw storeError }
        return summary
    }
}
