import Foundation
import OpenAIWire

// MARK: - ChatCompletionsHandler

/// `POST /v1/chat/completions`: validate, render and tokenize, check the context, queue on the scheduler,
/// then answer whole or as server-sent events.
struct ChatCompletionsHandler: Sendable {
    let engine: any CompletionEngine
    let scheduler: BatchScheduler

    func respond(to request: HTTPRequest, with responder: HTTPResponder) async {
        let chat: ChatRequest
        let prepared: PreparedCompletion
        do {
            chat = try Self.read(request.body)
            prepared = try prepare(chat)
        } catch {
            await responder.send(error as? APIError ?? .invalidRequest("\(error)"))
            return
        }
        let reply = ChatReply(model: chat.model ?? engine.modelID)
        let steps = scheduler.submit(prepared)
        let usage = ChatReply.Usage(promptTokens: prepared.promptTokens.count, completionTokens: 0)
        if chat.stream {
            await stream(steps, chat: chat, reply: reply, usage: usage, to: responder)
        } else {
            await answer(steps, chat: chat, reply: reply, usage: usage, to: responder)
        }
    }

    // MARK: - Before generating

    /// Parses and validates the body.
    static func read(_ body: [UInt8]) throws -> ChatRequest {
        let json: JSONValue
        do {
            json = try JSONValue.parse(Data(body))
        } catch {
            throw APIError.invalidJSON("\(error)")
        }
        return try ChatRequest(body: json, defaultSeed: UInt64.random(in: .min ... .max))
    }

    /// The prompt as tokens; a prompt that leaves no room in the context is refused here, before queueing.
    private func prepare(_ chat: ChatRequest) throws -> PreparedCompletion {
        let prepared: PreparedCompletion
        do {
            prepared = try engine.prepare(chat.completion)
        } catch {
            throw APIError.invalidRequest("The messages could not be turned into a prompt: \(error)", param: "messages")
        }
        guard prepared.promptTokens.count < engine.contextLength else {
            throw APIError.contextOverflow(promptTokens: prepared.promptTokens.count, maxTokens: chat.completion.settings.maxTokens,
                                           contextLength: engine.contextLength)
        }
        return prepared
    }

    // MARK: - Whole reply

    private func answer(_ steps: AsyncThrowingStream<SequenceStep, Error>, chat: ChatRequest, reply: ChatReply,
                        usage: ChatReply.Usage, to responder: HTTPResponder) async {
        var text = ""
        var tokens: [GeneratedToken] = []
        var usage = usage
        var finishReason = FinishReason.stop
        do {
            for try await step in steps {
                text += step.text
                if chat.logprobs, let token = step.token { tokens.append(token) }
                usage.completionTokens = step.completionTokens
                if let reason = step.finishReason { finishReason = reason }
            }
        } catch {
            await responder.send(Self.apiError(for: error))
            return
        }
        guard !Task.isCancelled else { return }  // the client left; nobody to answer
        await responder.send(.ok, json: reply.completion(text: text, finishReason: finishReason,
                                                         tokens: chat.logprobs ? tokens : nil, usage: usage))
    }

    // MARK: - Streamed reply

    /// Role chunk, one chunk per step that released text or a token, the finish chunk, the usage chunk
    /// when asked, `[DONE]`. A failed write means the client left: returning drops the stream, which
    /// cancels the generation.
    private func stream(_ steps: AsyncThrowingStream<SequenceStep, Error>, chat: ChatRequest, reply: ChatReply,
                        usage: ChatReply.Usage, to responder: HTTPResponder) async {
        var usage = usage
        await responder.startEvents()
        do {
            try await responder.sendEvent(reply.roleChunk(includeUsage: chat.includeUsage))
        } catch {
            return
        }
        do {
            for try await step in steps {
                usage.completionTokens = step.completionTokens
                let tokens = chat.logprobs ? step.token.map { [$0] } : nil
                do {
                    if !step.text.isEmpty || tokens != nil {
                        try await responder.sendEvent(reply.contentChunk(text: step.text, tokens: tokens, includeUsage: chat.includeUsage))
                    }
                    if let reason = step.finishReason {
                        try await responder.sendEvent(reply.finishChunk(reason, includeUsage: chat.includeUsage))
                    }
                } catch {
                    return
                }
            }
            if chat.includeUsage { try await responder.sendEvent(reply.usageChunk(usage)) }
        } catch {
            guard !(error is CancellationError) else { return }
            _ = try? await responder.sendEvent(Self.apiError(for: error).body)
        }
        await responder.endEvents()
    }

    // MARK: - Failures

    private static func apiError(for error: Error) -> APIError {
        if case SchedulerError.shuttingDown = error { return .shuttingDown() }
        return error as? APIError ?? .internalError(error)
    }
}
