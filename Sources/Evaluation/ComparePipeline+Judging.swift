import ChatCompletions
import Comparisons
import Foundation
import Judge
import OpenAIWire
import Store
import Suite

/// What every judging phase of the pipeline works with.
struct JudgingContext: Sendable {
    var suite: Suite
    var ids: SuiteIDs
    var store: JudgeStore
    var client: any ChatCompleting
    var options: JudgingRun.Options
}

extension ComparePipeline {
    // MARK: - Judging a fixed plan (--pairs all | sample:N)

    /// Judges every entry of `plan` not settled in the store, with a progress bar; cancellation (Ctrl-C)
    /// stops scheduling and keeps every verdict stored.
    func judgeAll(_ plan: ComparisonPlan, context: JudgingContext) async throws -> JudgingSummary {
        let bar = ProgressBar(label: "judging")
        let runner = SharedJudgingRun(store: context.store, client: context.client, options: context.options,
                                      shared: sharing(plan, context: context))
        let summary = try await runner.run(plan) { progress in
            bar.update(done: progress.done, total: progress.total, detail: Self.detail(progress))
        }
        bar.finish()
        return summary
    }

    /// Judging is shared with every other `judge compare` on this suite, judge configuration and store (other
    /// processes, other machines): calls are claimed under leases, so none is sent twice (SharedJudgingRun).
    /// Fixed plans and adaptive rounds share one scope, so they never send the same call twice either.
    func sharing(_ plan: ComparisonPlan, context: JudgingContext) -> SharedJudgingRun.Options {
        let judge = plan.judge
        let scope = "judge|\(context.suite.name)|\(judge.judgeModel)|\(judge.templateID)@\(judge.templateVersion)|"
            + "\(judge.temperature.map { "\($0)" } ?? "-")|\(judge.maxTokens.map { "\($0)" } ?? "-")"
        return .init(scope: scope, lease: .milliseconds(Int64(request.lease * 1000)))
    }

    // MARK: - Through the Batch API (--batch, judge.batch: true)

    /// The Batch API answers within 24 hours, not at once: only a remote judge has one, and only a fixed
    /// plan can wait for it (adaptive rounds choose each round's pairs from the last round's verdicts).
    func checkBatchable(endpoint: JudgeEndpoint) throws {
        guard case .remote = endpoint.kind else {
            throw EvaluationError.failure("judge.batch / --batch sends the judge calls through OpenAI's Batch API: give a remote judge "
                + "(judge.url or --judge-url); the embedded local judge answers directly")
        }
        if case .adaptive = request.pairs {
            throw EvaluationError.failure("--pairs adaptive chooses each round from the last round's verdicts, and a batch takes up to "
                + "24 hours: with judge.batch / --batch use --pairs all or --pairs sample:N")
        }
    }

    /// Sends the plan's missing calls as batches (``BatchJudgingRun``): open batches of an earlier run are
    /// collected first, so a rerun after Ctrl-C or a lost machine pays for nothing twice.
    func judgeInBatches(_ plan: ComparisonPlan, api: BatchAPIClient, store: JudgeStore,
                        options: JudgingRun.Options) async throws -> JudgingSummary {
        let bar = ProgressBar(label: "judging (batch)")
        let runner = BatchJudgingRun(store: store, api: api, options: options, batch: .init(pollInterval: request.batchPollInterval))
        let summary: BatchJudgingRun.Summary
        do {
            summary = try await runner.run(plan) { progress in
                bar.update(done: progress.completed + progress.failed, total: progress.total,
                           detail: "\(progress.batchID) \(progress.status)")
            }
        } catch is CancellationError {
            bar.finish()
            output.note("judge compare: stopped; the open batch is stored and the next run collects it (nothing is sent twice)")
            throw EvaluationError.interrupted
        }
        bar.finish()
        let batches = summary.collected.map { "\($0.id) \($0.status)" }.joined(separator: ", ")
        output.note("batches: \(summary.submitted) submitted, \(summary.resumed) resumed from the store"
                    + (batches.isEmpty ? "" : "; collected \(batches)"))
        if summary.unmatchedLines > 0 {
            output.note("warning: \(summary.unmatchedLines) batch line(s) matched no request; recorded as batch errors, not verdicts")
        }
        return summary.judging
    }

    // MARK: - --pairs adaptive --budget N

    /// Judges in rounds of the pairs that reduce rating uncertainty most (``AdaptiveRounds``) until the
    /// budget is spent, with one progress bar over the budget; several workers share the rounds and the budget.
    func judgeAdaptively(_ plan: ComparisonPlan, budget: Int, context: JudgingContext) async throws -> JudgingSummary {
        let bar = ProgressBar(label: "judging (adaptive)")
        let rounds = AdaptiveRounds(plan: plan, context: context, budget: budget,
                                    pairsPerRound: max(8, 2 * context.options.concurrency), shared: sharing(plan, context: context))
        let summary = try await rounds.run { spent, detail in
            bar.update(done: min(spent, budget), total: budget, detail: detail)
        }
        bar.finish()
        if let note = summary.note { output.note(note) }
        return summary.judging
    }

    /// The part of a progress line after the counts: failures, unparsed replies, spending.
    static func detail(_ progress: JudgingRun.Progress) -> String {
        var detail: [String] = []
        if progress.failed > 0 { detail.append("\(progress.failed) failed") }
        if progress.unparsed > 0 { detail.append("\(progress.unparsed) unparsed") }
        if let cost = progress.cost, cost > 0 { detail.append(String(format: "$%.4f", cost)) }
        return detail.joined(separator: ", ")
    }

    // MARK: - Dry run

    func printDryRun(plan: ComparisonPlan, store: JudgeStore, options: JudgingRun.Options, endpoint: JudgeEndpoint,
                     template: JudgeTemplate, batch: Bool) throws {
        let estimate = try JudgingRun(store: store, client: NoCalls(), options: options).estimate(plan)
        output.print(Self.describe(estimate, judgeModel: options.judgeModel, template: template, maxTokens: plan.judge.maxTokens ?? 0))
        if batch {
            output.print("through the Batch API: the cost above is at the batch price (judge.prices.\(options.judgeModel).batch_discount); "
                         + "results within 24 hours, at most \(BatchJudgingRun.Options().maxRequestsPerBatch) calls a batch")
        }
        if case .adaptive(let budget) = request.pairs {
            output.print("--pairs adaptive: at most \(budget) judge calls in all (the estimate above is for every pair)")
        }
        switch endpoint.kind {
        case .remote(let urls, _): output.print("judge: \(urls.map(\.absoluteString).joined(separator: ", "))")
        case .embedded(let model, _, _): output.print("judge: the embedded local judge over \(model.path)")
        }
    }

    static func describe(_ estimate: JudgingRun.Estimate, judgeModel: String, template: JudgeTemplate, maxTokens: Int) -> String {
        // Per call as the estimate counts it (one verdict token in logprob mode, else the assumed reply).
        let perCall = estimate.calls > 0 ? estimate.completionTokens / estimate.calls
                                         : min(maxTokens, TokenEstimate.assumedCompletionTokens)
        var lines = [
            "dry run: nothing sent",
            "judgments: \(estimate.planned) planned, \(estimate.reused) already in the store, \(estimate.identical) identical-output ties (no call)",
            "calls to send: \(estimate.calls) to \(judgeModel) (template \(template.id) \(template.version))",
            "estimated tokens: \(estimate.promptTokens) prompt (4 characters a token), \(estimate.completionTokens) completion (\(perCall) a call; at most \(estimate.completionTokensMax) with max_tokens \(maxTokens))",
        ]
        if let cost = estimate.cost, let costMax = estimate.costMax {
            lines.append(String(format: "estimated cost: $%.4f (at most $%.4f if every reply used max_tokens)", cost, costMax))
        } else {
            lines.append("estimated cost: unknown (add judge.prices.\(judgeModel): { input: USD, output: USD } per million tokens to the suite)")
        }
        return lines.joined(separator: "\n")
    }

    /// One line of judge health over everything this judge configuration has judged in the suite.
    static func describe(_ health: JudgeHealth) -> String {
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a" }
        return "judge health (this configuration, whole suite): first position wins \(percent(health.firstPositionWinRate)) of decisive verdicts, "
            + "orders disagree on \(percent(health.orderDisagreementRate)) of pairs, longer answer wins \(percent(health.longerAnswerWinRate)); "
            + "\(health.resolvedComparisons) comparisons resolved, \(health.unresolvedComparisons) not (unparsed \(health.unparsed), failed \(health.failed))"
    }
}

/// A client for dry runs: the estimate never calls it.
struct NoCalls: ChatCompleting {
    func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletion {
        throw ChatCompletionsError.rejected(status: 0, message: "dry run: no calls are sent")
    }
}
