import OpenAIWire

// MARK: - ModelsHandler

/// `GET /v1/models` and `GET /v1/models/{id}`: the one model this server runs.
struct ModelsHandler: Sendable {
    let modelID: String
    /// Unix seconds (when the server started).
    let created: Int

    private var model: JSONValue {
        ["id": .string(modelID), "object": "model", "created": .integer(created), "owned_by": "judge"]
    }

    func list(_ responder: HTTPResponder) async {
        await responder.send(.ok, json: ["object": "list", "data": [model]])
    }

    func retrieve(_ id: String, _ responder: HTTPResponder) async {
        guard id == modelID else {
            await responder.send(.modelNotFound(id))
            return
        }
        await responder.send(.ok, json: model)
    }
}
