import ArgumentParser
import Foundation
import HTTP
import Judge
import Store
import Suite

/// What every judging phase of `judge compare` works with.
struct JudgingContext {
    var suite: Suite
    var ids: SuiteIDs
    var store: JudgeStore
    var client: any ChatCompleting
    var options: JudgingRun.Options
    var template: JudgeTemplate
}

extension CompareCommand {
    // MARK: - Judging a fixed plan (--pairs all | sample:N)

    /// Judges every entry of `plan` not settled in the store, with a progress bar; cancellation (Ctrl-C)
    /// stops scheduling and keeps every verdict stored.
    func judgeAll(_ plan: ComparisonPlan, context: JudgingContext) async throws -> JudgingSummary {
        let bar = ProgressBar(label: "judging")
        // Shared with every other `judge compare` on this suite and store (other processes, other machines):
        // calls are claimed under leases, so none is sent twice (SharedJudgingRun).
        let scope = "judge|\(context.suite.name)|\(context.options.judgeModel)|\(context.template.id)@\(context.template.version)"
        let runner = SharedJudgingRun(store: context.store, client: context.client, options: context.options,
                                      shared: .init(scope: scope, lease: .milliseconds(Int64(lease * 1000))))
        let summary = try await runner.run(plan) { progress in
            bar.update(done: progress.done, total: progress.total, detail: Self.detail(progress))
        }
        bar.finish()
        return summary
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
                     template: JudgeTemplate) throws {
        let estimate = try JudgingRun(store: store, client: NoCalls(), options: options).estimate(plan)
        print(Self.describe(estimate, judgeModel: options.judgeModel, template: template, maxTokens: options.maxTokens))
        if case .adaptive = pairs, let budget {
            print("--pairs adaptive: at most \(budget) judge calls in all (the estimate above is for every pair)")
        }
        switch endpoint.kind {
        case .remote(let urls, _): print("judge: \(urls.map(\.absoluteString).joined(separator: ", "))")
        case .embedded(let model, _, _): print("judge: the embedded local judge over \(model.path)")
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

    /// One line of judge health over everything this judge has judged in the suite.
    static func describe(_ health: JudgeHealth) -> String {
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a" }
        return "judge health (whole store): first position wins \(percent(health.firstPositionWinRate)) of decisive verdicts, "
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
