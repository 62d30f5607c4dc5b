import Foundation
import PackagePlugin

/// Writes `BuildVersion.swift` — `let generatedBuildCommit = "<commit>[-dirty]"` — into the `BuildInfo`
/// target before every build, so a report can name the build that produced it.
///
/// A prebuild command over `/bin/sh` and `git` (nothing of the package's own is built for it): the commit
/// of the package's checkout, `-dirty` when tracked files differ from it, `unknown` outside a git
/// checkout. The file is rewritten only when its text changes, so an unchanged commit recompiles nothing.
@main
struct BuildVersion: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let script = #"""
            mkdir -p "$2"
            c=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || c=unknown
            if [ "$c" != unknown ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then c="$c-dirty"; fi
            line="let generatedBuildCommit = \"$c\""
            [ "$(cat "$2/BuildVersion.swift" 2>/dev/null)" = "$line" ] || printf '%s\n' "$line" > "$2/BuildVersion.swift"
            """#
        return [.prebuildCommand(displayName: "BuildVersion: the checkout's commit",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                                 outputFilesDirectory: output)]
    }
}
