import NIOHTTP1
import OpenAIWire

// MARK: - Router

/// Maps method and path to a handler; answers 404 for unknown paths and 405 (with `Allow`) for a known
/// path asked with the wrong method.
///
/// A route's path may end in `*`, which matches one more segment (`/v1/models/*`); the handler receives it.
struct Router: Sendable {
    typealias Handler = @Sendable (_ request: HTTPRequest, _ parameter: String?, _ responder: HTTPResponder) async -> Void

    private var routes: [(method: HTTPMethod, pattern: String, handler: Handler)] = []

    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        routes.append((method, pattern, handler))
    }

    func respond(to request: HTTPRequest, with responder: HTTPResponder) async {
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameter = Self.match(route.pattern, request.path) else { continue }
            if route.method == request.method {
                await route.handler(request, parameter.isEmpty ? nil : parameter, responder)
                return
            }
            allowed.append(route.method)
        }
        if allowed.isEmpty {
            await responder.send(.notFound(method: request.method, path: request.path))
        } else {
            let error = APIError.methodNotAllowed(method: request.method, path: request.path, allowed: allowed)
            await responder.send(error.status, json: error.body,
                                 headers: [("allow", allowed.map(\.rawValue).joined(separator: ", "))])
        }
    }

    /// nil when `path` does not match; the `*` segment ("" for a pattern without one) when it does.
    private static func match(_ pattern: String, _ path: String) -> String? {
        let path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard pattern.hasSuffix("/*") else { return pattern == path ? "" : nil }
        let prefix = pattern.dropLast()
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty || rest.contains("/") ? nil : String(rest)
    }
}
