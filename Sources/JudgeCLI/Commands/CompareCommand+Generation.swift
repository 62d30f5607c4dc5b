import ArgumentParser
import Candidates
import Foundation
import Judge

extension CompareCommand {
    // MARK: - Generation

    /// Generates the missing candidate outputs, with a progress bar on stderr; exits 130 when cancelled
    /// (Ctrl-C: `run()` cancels the task).
    ///
    /// Each output is committed as it is produced, so an interrupted run keeps everything finished and the
    /// next run generates only the rest. A failed item is named and left out of the judging (the next run
    /// retries it).
    func generate(with generator: CandidateGenerator) async throws {
        let bar = ProgressBar(label: "generating")
        let summary = try await generator.run { progress in
            bar.update(done: progress.done, total: progress.total,
                       detail: progress.model + (progress.failed > 0 ? ", \(progress.failed) failed" : ""))
        }
        bar.finish()
        for failure in summary.failures {
            Self.note("warning: \(failure.model) on \(failure.item): no output: \(failure.reason)")
        }
        if summary.generated > 0 || !summary.failures.isEmpty || summary.cancelled { Self.note(summary.description) }
        if summary.cancelled { throw ExitCode(130) }
    }
}
