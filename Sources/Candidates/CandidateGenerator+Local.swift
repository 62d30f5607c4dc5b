import Foundation
import LocalInference

extension CandidateGenerator {
    // MARK: - Local models

    /// Loads the model once and generates its missing outputs item by item, saving each as it comes.
    func runLocal(_ model: ModelWork, tracker: ProgressTracker) throws -> GenerationSummary {
        guard case let .local(path, _) = model.spec.source, let box = model.template else { return GenerationSummary() }
        let session = try LocalModelSession(name: model.spec.name, file: box.file, path: path, template: box.template)
        var summary = GenerationSummary()
        for job in model.jobs {
            if Task.isCancelled { summary.cancelled = true; break }
            do {
                let output = try session.generate(rendered: job.rendered ?? job.prompt, settings: model.settings)
                try save(output, for: job, model: model)
                summary.generated += 1
                tracker.finished(model: model.spec.name, failed: false)
            } catch let failure as ItemFailure {
                summary.failures.append(.init(model: model.spec.name, item: job.itemLabel, reason: failure.description))
                tracker.finished(model: model.spec.name, failed: true)
            }
        }
        return summary
    }
}
