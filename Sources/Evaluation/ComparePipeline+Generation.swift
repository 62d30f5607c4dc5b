import Candidates
import Foundation

extension ComparePipeline {
    // MARK: - Generation

    /// Generates the missing candidate outputs, with a progress bar on stderr.
    ///
    /// Each output is committed as it is produced, so an interrupted run keeps everything finished and the
    /// next run generates only the rest. A failed item is named and left out of the judging (the next run
    /// retries it).
    /// - Throws: ``EvaluationError/interrupted`` when cancelled (Ctrl-C).
    func generate(with generator: CandidateGenerator) async throws {
        let bar = ProgressBar(label: "generating")
        let summary = try await generator.run { progress in
            bar.update(done: progress.done, total: progress.total,
                       detail: progress.model + (progress.failed > 0 ? ", \(progress.failed) failed" : ""))
        }
        bar.finish()
        for failure in summary.failures {
            output.note("warning: \(failure.model) on \(failure.item): no output: \(failure.reason)")
        }
        if summary.generated > 0 || !summary.failures.isEmpty || summary.cancelled { output.note(summary.description) }
        if summary.cancelled { throw EvaluationError.interrupted }
    }
}
