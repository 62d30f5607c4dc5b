// judge-throughput: the chat-completions throughput benchmark (BENCHMARKS.md, "Judge throughput").
//
//   judge-throughput serve [--delay-ms 200] [--threads 1]
//       starts the loopback chat-completions server, prints its base URL on stdout, serves until killed
//   judge-throughput drive --url URL [--requests 3000] [--concurrency 64]
//       sends that many judge calls through ChatCompletionsClient, `concurrency` in flight, and prints
//       one JSON line: {"client","requests","ok","errors","seconds","per_second","mean_latency_ms"}
//
// scripts/bench/judge_throughput.sh runs both, and the openai Python client against the same server.
import ChatCompletions
import Foundation
import HTTP
import Judge
import OpenAIWire
import TestSupport

// MARK: - Arguments

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    guard let parsed = Int(arguments[index + 1]), parsed > 0 else {
        FileHandle.standardError.write(Data("judge-throughput: \(name) needs a positive integer\n".utf8))
        exit(64)
    }
    return parsed
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// A judge prompt of realistic size (~2 KB): question, two answers, the pairwise instructions.
let prompt = """
    Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants \
    to the user question displayed below. Choose the assistant that follows the user's instructions and answers \
    the question better. Avoid position biases; do not let response length or assistant names influence you. \
    After your explanation output your final verdict strictly in this format: "[[A]]" if assistant A is better, \
    "[[B]]" if assistant B is better, and "[[C]]" for a tie.

    [User Question]
    Extract every date mentioned in the following paragraph and list them in ISO 8601 format.
    \(String(repeating: "The meeting moved from 3 March 2021 to 14 April 2021, then to the first Monday of May. ", count: 8))

    [The Start of Assistant A's Answer]
    2021-03-03, 2021-04-14, 2021-05-03
    [The End of Assistant A's Answer]

    [The Start of Assistant B's Answer]
    2021-03-03, 2021-04-14
    [The End of Assistant B's Answer]
    """

let reply = """
    Assistant A lists all three dates, including the first Monday of May 2021 (3 May), correctly converted; \
    Assistant B misses that one. Both use ISO 8601. Assistant A is more complete. [[A]]
    """

// MARK: - Modes

switch arguments.first {
case "serve":
    let delay = option("--delay-ms", default: 200)
    // One reply body, encoded once: the server's own cost per request stays small for both clients.
    let body = LoopbackChatServer.Reply(content: reply, promptTokens: 512, completionTokens: 48, model: "judge-bench")
        .jsonText
    let server = try LoopbackChatServer.start(threads: option("--threads", default: 1)) { _ in
        .delayed(.milliseconds(delay), then: .raw(status: 200, headers: ["Content-Type": "application/json"], body: body))
    }
    print(server.baseURL.absoluteString)
    fflush(stdout)
    while true { sleep(3600) }

case "drive":
    guard let url = option("--url").flatMap(URL.init(string:)) else {
        FileHandle.standardError.write(Data("judge-throughput drive: --url URL is required\n".utf8))
        exit(64)
    }
    let total = option("--requests", default: 3000)
    let concurrency = option("--concurrency", default: 64)
    let http = HTTPClient(configuration: .init(maxConcurrentTransfers: concurrency))
    let judge = ChatCompletionsClient(baseURL: url, apiKeyEnvironmentVariable: nil, http: http,
                                      retry: .none, failureLimit: Int.max)
    let request = ChatCompletionRequest(model: "judge-bench", messages: [.user(prompt)], temperature: 0,
                                        maxTokens: 512, seed: 1)
    let started = ContinuousClock.now
    // `concurrency` workers pull from a shared counter: exactly `concurrency` calls in flight until the tail.
    let counter = Counter(limit: total)
    let (ok, errors, latency) = await withTaskGroup(of: (Int, Int, Double).self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var ok = 0, errors = 0, latency = 0.0
                while await counter.next() {
                    do {
                        let completion = try await judge.complete(request)
                        if completion.content.contains("[[A]]") { ok += 1 } else { errors += 1 }
                        latency += completion.latencySeconds
                    } catch {
                        errors += 1
                        FileHandle.standardError.write(Data("judge-throughput: \(error)\n".utf8))
                    }
                }
                return (ok, errors, latency)
            }
        }
        return await group.reduce((0, 0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1, $0.2 + $1.2) }
    }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print(String(format: #"{"client":"judge (libcurl)","requests":%d,"ok":%d,"errors":%d,"seconds":%.3f,"per_second":%.1f,"mean_latency_ms":%.1f}"#,
                 total, ok, errors, seconds, Double(ok) / seconds, 1000 * latency / Double(max(ok, 1))))

default:
    FileHandle.standardError.write(Data("usage: judge-throughput serve [--delay-ms N] [--threads N] | drive --url URL [--requests N] [--concurrency N]\n".utf8))
    exit(64)
}

/// Hands out `limit` tickets, one per call.
actor Counter {
    private var issued = 0
    private let limit: Int
    init(limit: Int) { self.limit = limit }
    func next() -> Bool {
        guard issued < limit else { return false }
        issued += 1
        return true
    }
}
