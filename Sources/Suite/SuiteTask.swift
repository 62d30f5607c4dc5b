import Foundation

/// One task of a suite: a named set of items, development or held out.
public struct SuiteTask: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The JSONL file the items came from (absolute).
    public var itemsFile: URL
    /// Held-out tasks are not tuned on; the overfitting check compares rankings on them with the rest.
    public var heldOut: Bool
    public var items: [SuiteItem]

    public init(name: String, description: String? = nil, itemsFile: URL, heldOut: Bool = false, items: [SuiteItem]) {
        self.name = name
        self.description = description
        self.itemsFile = itemsFile
        self.heldOut = heldOut
        self.items = items
    }

    /// The item whose id is `id`, if any.
    public func item(id: String) -> SuiteItem? { items.first { $0.id == id } }
}
