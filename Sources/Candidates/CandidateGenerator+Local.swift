import Foundation
import LocalInference

extension CandidateGenerator {
    // MARK: - Local models

    /// Loads the model once and generates its missing outputs as one batch (many items decoded together),
    /// saving each as it finishes.
    func runLocal(_ model: ModelWork, tracker: ProgressTracker, session loaded: LocalModelSession? = nil) throws -> GenerationSummary {
        guard let session = try loaded ?? loadSession(model) else { return GenerationSummary() }
        var summary = GenerationSummary()
        var finished = 0
        try session.generate(rendered: model.jobs.map { $0.rendered ?? $0.prompt }, settings: model.settings,
                             shouldStop: { Task.isCancelled }) { index, result in
            let job = model.jobs[index]
            finished += 1
            switch result {
            case let .success(output):
                try save(output, for: job, model: model)
                summary.generated += 1
                tracker.finished(model: model.spec.name, failed: false)
            case let .failure(failure):
                summary.failures.append(.init(model: model.spec.name, item: job.itemLabel, reason: failure.description))
                tracker.finished(model: model.spec.name, failed: true)
            }
        }
        if finished < model.jobs.count { summary.cancelled = true }
        return summary
    }

    /// The model's weights, tokenizer and template, loaded (nil for a model that is not local).
    func loadSession(_ model: ModelWork) throws -> LocalModelSession? {
        guard case let .local(path, _) = model.spec.source, let box = model.template else { return nil }
        return try LocalModelSession(name: model.spec.name, file: box.file, path: path, template: box.template,
                                     engine: options.engine)
    }
}
