import Foundation

// MARK: - Writing a set of files all-or-nothing

/// Replaces several files in one directory so that a failure leaves the previous versions intact.
///
/// Each file is first written in full to a hidden temporary file beside its target and flushed to
/// disk; only when every one is written are they renamed over their targets (rename(2) within a
/// directory is atomic). If a rename fails part-way, the files already replaced are restored from
/// hard links taken beforehand, so readers see the old set or the new set, never a mix that
/// lasts. Temporary files are removed on every path.
///
/// ```swift
/// var files = AtomicFileSet(directory: out)
/// files.add("report.html", contents: html)
/// try files.commit()
/// ```
public struct AtomicFileSet {
    public let directory: URL
    private var files: [(name: String, data: Data)] = []
    /// Tests only: make the rename of the file at this index fail, to exercise the rollback.
    var simulatedRenameFailure: Int?

    public init(directory: URL) {
        self.directory = directory
    }

    /// Adds a file; `name` is relative to the directory and may contain one subdirectory level.
    public mutating func add(_ name: String, contents: String) {
        files.append((name, Data(contents.utf8)))
    }

    /// Adds a file given as bytes.
    public mutating func add(_ name: String, data: Data) {
        files.append((name, data))
    }

    public var names: [String] { files.map(\.name) }

    /// Writes every file, or none.
    public func commit() throws {
        let fm = FileManager.default
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var temps: [(temp: URL, target: URL)] = []
        var backups: [(backup: URL, target: URL)] = []
        defer {
            for (temp, _) in temps { try? fm.removeItem(at: temp) }
            for (backup, _) in backups { unlink(backup.path) }
        }
        // MARK: Phase 1: everything to temporary files (any failure: nothing touched).
        for file in files {
            let target = directory.appendingPathComponent(file.name)
            let folder = target.deletingLastPathComponent()
            do {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw ReportError.cannotWrite(path: folder.path, reason: Self.reason(error))
            }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ReportError.cannotWrite(path: target.path, reason: "a directory is in the way")
            }
            let temp = folder.appendingPathComponent(".\(target.lastPathComponent).tmp-\(token)")
            temps.append((temp, target))
            try Self.writeDurably(file.data, to: temp)
        }
        // MARK: Phase 2: keep the old versions reachable, then rename every temp over its target.
        for (_, target) in temps where fm.fileExists(atPath: target.path) {
            let backup = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).old-\(token)")
            if link(target.path, backup.path) != 0 {
                throw ReportError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
            }
            backups.append((backup, target))
        }
        var replaced: [URL] = []
        for (index, (temp, target)) in temps.enumerated() {
            let failed = index == simulatedRenameFailure ? true : rename(temp.path, target.path) != 0
            if failed {
                let reason = index == simulatedRenameFailure ? "simulated failure" : String(cString: strerror(errno))
                // Put back what was already replaced: old versions from their links, new files removed.
                for done in replaced {
                    if let backup = backups.first(where: { $0.target == done })?.backup {
                        rename(backup.path, done.path)
                    } else {
                        unlink(done.path)
                    }
                }
                throw ReportError.cannotWrite(path: target.path, reason: reason)
            }
            replaced.append(target)
        }
        Self.syncDirectories(Set(temps.map { $0.target.deletingLastPathComponent().path }))
    }

    // MARK: - Helpers

    private static func writeDurably(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReportError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var offset = 0
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ReportError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        if fsync(fd) != 0 {
            throw ReportError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Makes the renames themselves durable.
    private static func syncDirectories(_ paths: Set<String>) {
        for path in paths.sorted() { syncDirectory(path) }
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// The regular files under `directory`, as paths relative to it (empty when it does not exist).
    static func relativeFiles(in directory: URL) throws -> [String] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(atPath: directory.path) else { return [] }
        var names: [String] = []
        while let name = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                names.append(name)
            }
        }
        return names.sorted()
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? error.localizedDescription
    }
}
