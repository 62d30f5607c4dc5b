// MARK: - BuildInfo: which build of judge is running

/// The build of judge that is running, for reports to record what produced them.
///
/// `commit` is the git commit the binary was built from (12 hex digits, `-dirty` when tracked files
/// differed from it), written at build time by the `BuildVersion` plugin; `unknown` when built outside
/// a git checkout.
///
/// ```swift
/// print("judge build \(BuildInfo.commit)")   // judge build 1f2e3d4c5b6a
/// ```
public enum BuildInfo {
    public static let commit: String = generatedBuildCommit

    /// "judge <commit>", as reports print it.
    public static var description: String { "judge \(commit)" }
}
