import CCurl
import Foundation

/// The thread that owns the curl multi handle and every easy handle, and the command queue that feeds it.
///
/// Other threads only append commands and call `curl_multi_wakeup` (thread-safe), both under `lock`.
final class CurlEventLoop: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    // MARK: - State shared with other threads (guarded by `lock`)

    private let lock = NSLock()
    private var commands: [Command] = []
    private var isShuttingDown = false

    // MARK: - State of the loop thread only

    private let multi: UnsafeMutableRawPointer
    private let maxConcurrent: Int
    /// Submitted, not yet started (FIFO).
    private var waiting: [CurlTransfer] = []
    private var waitingHead = 0
    /// Running, keyed by their easy handle.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(configuration: HTTPClient.Configuration) {
        CurlGlobal.initializeOnce()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        self.multi = multi
        maxConcurrent = configuration.maxConcurrentTransfers
        // Keep enough idle connections for every concurrent transfer to find one to reuse.
        _ = judge_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(8, 2 * configuration.maxConcurrentTransfers))
        _ = judge_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let thread = Thread { [self] in run() }
        thread.name = "judge.http.curl"
        thread.start()
    }

    // MARK: - Commands (any thread)

    func submit(_ transfer: CurlTransfer) {
        lock.lock()
        if transfer.cancelRequested {
            lock.unlock()
            transfer.finish(.failure(CancellationError()))
            return
        }
        commands.append(.add(transfer))
        curl_multi_wakeup(multi)
        lock.unlock()
    }

    func cancel(_ transfer: CurlTransfer) {
        lock.lock()
        transfer.cancelRequested = true
        commands.append(.cancel(transfer))
        curl_multi_wakeup(multi)
        lock.unlock()
    }

    func shutdown() {
        lock.lock()
        isShuttingDown = true
        curl_multi_wakeup(multi)
        lock.unlock()
    }

    // MARK: - The loop (its own thread)

    private func run() {
        while true {
            lock.lock()
            let pending = commands
            commands.removeAll(keepingCapacity: true)
            let stop = isShuttingDown
            lock.unlock()

            for command in pending {
                switch command {
                case .add(let transfer): waiting.append(transfer)
                case .cancel(let transfer): remove(transfer, result: .failure(CancellationError()))
                }
            }
            if stop { break }
            startWaitingTransfers()

            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            collectFinishedTransfers()
            // Also returns early on curl_multi_wakeup; 1 s bounds the wait if something is missed.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in Array(running.values) { remove(transfer, result: .failure(CancellationError())) }
        for transfer in waiting[waitingHead...] { transfer.finish(.failure(CancellationError())) }
        // Under the lock: a caller that wakes the loop does so under it too, so never on a freed handle.
        lock.withLock { _ = curl_multi_cleanup(multi) }
    }

    private func startWaitingTransfers() {
        while running.count < maxConcurrent, waitingHead < waiting.count {
            let transfer = waiting[waitingHead]
            waitingHead += 1
            do {
                let easy = try transfer.makeEasyHandle()
                let code = curl_multi_add_handle(multi, easy)
                guard code == CURLM_OK else {
                    transfer.releaseEasyHandle()
                    let message = String(cString: curl_multi_strerror(code))
                    transfer.finish(.failure(HTTPError(kind: .other, message: message)))
                    continue
                }
                running[easy] = transfer
            } catch {
                transfer.finish(.failure(error))
            }
        }
        if waitingHead > 1024, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    private func collectFinishedTransfers() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = running[easy] else { continue }
            let code = message.pointee.data.result
            remove(transfer, result: transfer.outcome(code))
        }
    }

    /// Takes `transfer` out wherever it is (running or waiting) and completes it; a no-op when it already finished.
    private func remove(_ transfer: CurlTransfer, result: Result<HTTPResponse, Error>) {
        if let easy = transfer.easy, running.removeValue(forKey: easy) != nil {
            curl_multi_remove_handle(multi, easy)
            transfer.releaseEasyHandle()
            transfer.finish(result)
        } else if let index = waiting[waitingHead...].firstIndex(where: { $0 === transfer }) {
            waiting.remove(at: index)
            transfer.finish(result)
        }
    }
}

/// `curl_global_init` must run once, before any other thread uses libcurl.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()

    static func initializeOnce() {
        guard initialized else { fatalError("curl_global_init failed") }
    }
}
