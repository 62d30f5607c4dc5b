/// One turn of a conversation: what a client sends in `messages`, what the server renders with the model's
/// chat template, what a candidate's prompt becomes.
///
/// ```swift
/// let messages: [ChatMessage] = [.system("Be fair."), .user(prompt)]
/// ```
public struct ChatMessage: Sendable, Hashable, Codable {
    /// The roles a plain-text chat has (OpenAI's `developer` is read as `system`; tool roles are refused).
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}
