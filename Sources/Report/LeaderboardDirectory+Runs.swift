import Foundation

// MARK: - Run directories and the `latest` switch

extension LeaderboardDirectory {
    /// True when `latest` holds exactly these files with these bytes (a rerun on the same data).
    func isLatest(_ files: [(name: String, data: Data)]) throws -> Bool {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: latest.path) else { return false }
        let run = directory.appendingPathComponent(target)
        var existing = Set(try AtomicFileSet.relativeFiles(in: run))
        for file in files {
            guard existing.remove(file.name) != nil,
                  (try? Data(contentsOf: run.appendingPathComponent(file.name))) == file.data else { return false }
        }
        return existing.isEmpty
    }

    /// A new, empty `runs/run-NNNNNN`, numbered after the newest one (mkdir fails on a name taken by a
    /// concurrent run, which then takes the next number).
    func makeRunDirectory() throws -> URL {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: runsDirectory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: runsDirectory.path, reason: error.localizedDescription)
        }
        var number = (runNumbers().last ?? 0) + 1
        for _ in 0..<1000 {
            let run = runsDirectory.appendingPathComponent(Self.runName(number), isDirectory: true)
            if mkdir(run.path, 0o755) == 0 { return run }
            guard errno == EEXIST else {
                throw ReportError.cannotWrite(path: run.path, reason: String(cString: strerror(errno)))
            }
            number += 1
        }
        throw ReportError.cannotWrite(path: runsDirectory.path, reason: "no free run number")
    }

    /// Points `latest` at `target` (relative to the directory) with one rename over the old link.
    func switchLatest(to target: String) throws {
        try Self.replaceWithSymlink(latest, pointingTo: target)
        AtomicFileSet.syncDirectory(directory.path)
    }

    /// Makes each top-level name a symlink through `latest` (once; a leaderboard written before runs
    /// existed has real files there, and its history folder is kept aside under runs/).
    func linkTopLevelNames() throws {
        let fm = FileManager.default
        for name in Self.topLevelNames {
            let path = directory.appendingPathComponent(name)
            let target = "latest/\(name)"
            if (try? fm.destinationOfSymbolicLink(atPath: path.path)) == target { continue }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: path.path, isDirectory: &isDirectory), isDirectory.boolValue,
               (try? fm.destinationOfSymbolicLink(atPath: path.path)) == nil {
                let aside = runsDirectory.appendingPathComponent("\(name)-before-runs-\(getpid())")
                if rename(path.path, aside.path) != 0 {
                    throw ReportError.cannotWrite(path: path.path, reason: String(cString: strerror(errno)))
                }
            }
            try Self.replaceWithSymlink(path, pointingTo: target)
        }
        AtomicFileSet.syncDirectory(directory.path)
    }

    /// Removes all but the newest ``keptRuns`` run directories (never the one `latest` names).
    func pruneRuns() {
        let current = (try? FileManager.default.destinationOfSymbolicLink(atPath: latest.path)).map {
            URL(fileURLWithPath: $0).lastPathComponent
        }
        for number in runNumbers().dropLast(Self.keptRuns) where Self.runName(number) != current {
            try? FileManager.default.removeItem(at: runsDirectory.appendingPathComponent(Self.runName(number)))
        }
    }

    /// The numbers of the run directories, ascending.
    func runNumbers() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("run-"), name.count == 10 else { return nil }
            return Int(name.dropFirst(4))
        }.sorted()
    }

    static func runName(_ number: Int) -> String {
        let digits = String(number)
        return "run-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// `symlink` to a hidden temporary name, then `rename` over `path`: readers see the old link or the new.
    static func replaceWithSymlink(_ path: URL, pointingTo target: String) throws {
        let temporary = path.deletingLastPathComponent()
            .appendingPathComponent(".\(path.lastPathComponent).link-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard symlink(target, temporary.path) == 0 else {
            throw ReportError.cannotWrite(path: temporary.path, reason: String(cString: strerror(errno)))
        }
        guard rename(temporary.path, path.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw ReportError.cannotWrite(path: path.path, reason: reason)
        }
    }
}
