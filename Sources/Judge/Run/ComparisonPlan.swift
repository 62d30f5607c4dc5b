import Foundation
import OpenAIWire
import Store
import Suite

/// Every judgment a run would make: each chosen pair of models on each item, in one or both orders,
/// with its content-addressed key, its rendered prompt and a token estimate.
///
/// Built from the suite, the store's current outputs and the judge settings; sending nothing. Pairs are
/// in canonical order (model names sorted), so the same pair always gets the same keys.
///
/// ```swift
/// let outputs = try store.currentCandidates(suite: suite.name, models: suite.models.map(\.name))
/// let plan = try ComparisonPlan(suite: suite, ids: ids, candidates: outputs,
///                               settings: .init(template: .pairwise, judgeModel: "gpt-4o", temperature: 0, maxTokens: 1024))
/// print(plan.entries.count, plan.missingOutputs)
/// ```
public struct ComparisonPlan: Sendable {
    /// One judgment to make (or to find in the store).
    public struct Entry: Sendable {
        public var key: String
        /// The row to store, without the reply fields; ids, order, template and judge filled in.
        public var record: JudgmentRecord
        /// The request's messages; `nil` for identical outputs (a tie, no call).
        public var messages: [ChatMessage]?
        /// Prompt tokens by the rough rule of 4 characters a token (plus message overhead).
        public var estimatedPromptTokens: Int
    }

    public var entries: [Entry]
    /// How the judge writes verdicts under this plan's template.
    public var format: VerdictFormat
    /// The judge configuration every entry is keyed and recorded under; ``JudgingRun`` sends its
    /// temperature and max_tokens, so what is stored is what was sent.
    public var judge: JudgeConfiguration
    /// Outputs a suite model lacks, as (task, model) → count of items without one.
    public var missingOutputs: [MissingOutputs]
    /// Items with fewer than two models' outputs: nothing to compare there.
    public var itemsWithoutPairs: Int

    /// Outputs one model lacks on one task.
    public struct MissingOutputs: Sendable, Hashable, CustomStringConvertible {
        public var task: String
        public var model: String
        public var items: Int
        public var description: String { "\(model) has no output for \(items) item(s) of task \(task)" }
    }

    /// How the plan renders and keys each comparison.
    public struct Settings: Sendable, Hashable {
        public var template: JudgeTemplate
        public var judgeModel: String
        /// The judge's sampling temperature and reply limit (`judge.temperature`, `judge.max_tokens`).
        public var temperature: Double
        public var maxTokens: Int
        public var bothOrders: Bool
        public var pairs: PairSelection

        public init(template: JudgeTemplate, judgeModel: String, temperature: Double = 0, maxTokens: Int = 1024,
                    bothOrders: Bool = true, pairs: PairSelection = .all) {
            self.template = template
            self.judgeModel = judgeModel
            self.temperature = temperature
            self.maxTokens = maxTokens
            self.bothOrders = bothOrders
            self.pairs = pairs
        }

        /// The configuration these settings judge under: `max_tokens` as sent, which is 1 for a
        /// logprob verdict (one token), so a changed `judge.max_tokens` keeps logprob verdicts.
        public var configuration: JudgeConfiguration {
            JudgeConfiguration(judgeModel: judgeModel, templateID: template.id, templateVersion: template.version,
                               temperature: temperature, maxTokens: template.format.readsLogprobs ? 1 : maxTokens)
        }
    }

    /// Plans the comparisons among the suite's models on every item of every task.
    ///
    /// - Throws: ``TemplateError`` when the template needs reference answers that some items lack.
    public init(suite: Suite, ids: SuiteIDs, candidates: [CurrentCandidate], settings: Settings) throws {
        entries = []
        format = settings.template.format
        judge = settings.configuration
        missingOutputs = []
        itemsWithoutPairs = 0
        let template = settings.template
        let byItem = Dictionary(grouping: candidates, by: \.itemID)
        let modelNames = suite.models.map(\.name)

        if template.needsReference {
            let lacking = suite.tasks.flatMap { task in task.items.filter { $0.reference == nil }.map { "\(task.name)/\($0.id)" } }
            if !lacking.isEmpty {
                throw TemplateError(message: "judge template \(template.id) shows the reference answer, but \(lacking.count) item(s) have none (first: \(lacking[0])); add \"reference\" to those items or choose another template")
            }
        }

        for task in suite.tasks {
            var missing: [String: Int] = [:]
            for item in task.items {
                guard let itemID = ids.items[task.name]?[item.id] else { continue }
                let outputs = (byItem[itemID] ?? []).filter { modelNames.contains($0.model) }.sorted { $0.model < $1.model }
                for model in modelNames where !outputs.contains(where: { $0.model == model }) { missing[model, default: 0] += 1 }
                guard outputs.count >= 2 else { itemsWithoutPairs += 1; continue }
                var pairs: [(CurrentCandidate, CurrentCandidate)] = []
                for i in 0..<outputs.count { for j in (i + 1)..<outputs.count { pairs.append((outputs[i], outputs[j])) } }
                let itemKey = "\(suite.name)/\(task.name)/\(item.id)"
                for (a, b) in settings.pairs.choose(pairs, itemKey: itemKey) {
                    entries += Self.entries(item: item, itemID: itemID, itemKey: itemKey, a: a, b: b, settings: settings)
                }
            }
            for (model, count) in missing.sorted(by: { $0.key < $1.key }) {
                missingOutputs.append(MissingOutputs(task: task.name, model: model, items: count))
            }
        }
    }

    /// The one or two judgments of one pair on one item.
    static func entries(item: SuiteItem, itemID: Int64, itemKey: String, a: CurrentCandidate, b: CurrentCandidate,
                        settings: Settings) -> [Entry] {
        let template = settings.template
        let judge = settings.configuration
        func prototype(_ position: JudgmentRecord.Position, key: String, planned: Int, method: JudgmentRecord.Method) -> JudgmentRecord {
            var record = JudgmentRecord(key: key, itemID: itemID, modelAID: a.modelID, modelBID: b.modelID,
                                        candidateAID: a.candidateID, candidateBID: b.candidateID, position: position,
                                        ordersPlanned: planned, templateID: template.id, templateVersion: template.version,
                                        judgeModel: settings.judgeModel, method: method)
            record.configuration = judge
            return record
        }
        // Every key starts with the whole configuration: another temperature or max_tokens is another judge,
        // whose verdicts (identical-output ties included) are stored and counted apart.
        let configurationParts = [settings.judgeModel, template.id, template.version,
                                  "temperature:\(judge.temperature!)", "max_tokens:\(judge.maxTokens!)"]
        if a.output == b.output {
            let key = ContentKey.make(configurationParts + ["identical", item.prompt, item.system ?? "", a.output])
            var record = prototype(.ab, key: key, planned: 1, method: .identical)
            record.verdict = .tie
            return [Entry(key: key, record: record, messages: nil, estimatedPromptTokens: 0)]
        }
        let positions: [JudgmentRecord.Position]
        if settings.bothOrders {
            positions = [.ab, .ba]
        } else {
            // One order only: alternate which model goes first, by hash, so neither is always first.
            let parity = ContentKey.make(["position", itemKey, a.model, b.model]).last!
            positions = ["02468ace".contains(parity) ? .ab : .ba]
        }
        return positions.map { position in
            let (first, second) = position == .ab ? (a, b) : (b, a)
            let messages = template.render(.init(question: item.prompt, system: item.system,
                                                 answerA: first.output, answerB: second.output,
                                                 reference: item.reference))
            var parts = configurationParts
            // A logprob verdict is keyed apart from any text verdict.
            if template.format.readsLogprobs { parts.append("verdict:logprobs") }
            for message in messages { parts += [message.role.rawValue, message.content] }
            parts += [first.output, second.output, position.rawValue]
            let key = ContentKey.make(parts)
            return Entry(key: key, record: prototype(position, key: key, planned: positions.count, method: .judge),
                         messages: messages, estimatedPromptTokens: TokenEstimate.promptTokens(messages))
        }
    }
}

/// Rough token counts for budgeting before any call: about 4 characters a token for English text
/// (OpenAI's rule of thumb), plus a few tokens of framing per message.
public enum TokenEstimate {
    /// Assumed completion tokens of one judge reply (a short comparison and the verdict), for cost estimates.
    public static let assumedCompletionTokens = 300

    public static func promptTokens(_ messages: [ChatMessage]) -> Int {
        3 + messages.reduce(0) { $0 + 4 + ($1.content.unicodeScalars.count + 3) / 4 }
    }
}
