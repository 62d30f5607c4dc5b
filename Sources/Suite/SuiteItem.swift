/// One item of a task: a prompt every model answers, optionally with a system prompt and a reference answer.
///
/// In the items file, one JSON object a line: `{"id": "t-01", "prompt": "…", "system": "…", "reference": "…"}`.
/// `id` may be a string or an integer (kept as its decimal text); it is unique within its task.
public struct SuiteItem: Sendable, Hashable {
    public var id: String
    public var prompt: String
    /// A system prompt given to every candidate model for this item.
    public var system: String?
    /// A reference answer, shown to the judge by the `pairwise-reference` template.
    public var reference: String?

    public init(id: String, prompt: String, system: String? = nil, reference: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.system = system
        self.reference = reference
    }
}
