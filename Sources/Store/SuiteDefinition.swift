/// What the store keeps of a suite file: its tasks with their items, and its models.
///
/// The Judge module builds it from a loaded `Suite`; the store does not read YAML.
public struct SuiteDefinition: Sendable, Hashable {
    public var name: String
    public var file: String?
    public var tasks: [Task]
    public var models: [Model]

    public init(name: String, file: String? = nil, tasks: [Task], models: [Model]) {
        self.name = name
        self.file = file
        self.tasks = tasks
        self.models = models
    }

    public struct Task: Sendable, Hashable {
        public var name: String
        public var description: String?
        public var heldOut: Bool
        public var items: [Item]

        public init(name: String, description: String? = nil, heldOut: Bool, items: [Item]) {
            self.name = name
            self.description = description
            self.heldOut = heldOut
            self.items = items
        }
    }

    public struct Item: Sendable, Hashable {
        public var id: String
        public var prompt: String
        public var system: String?
        public var reference: String?

        public init(id: String, prompt: String, system: String? = nil, reference: String? = nil) {
            self.id = id
            self.prompt = prompt
            self.system = system
            self.reference = reference
        }
    }

    public struct Model: Sendable, Hashable {
        public var name: String
        /// `imported`, `local` or `remote`.
        public var kind: String
        /// Settings as JSON text; never an API key.
        public var spec: String?

        public init(name: String, kind: String = "imported", spec: String? = nil) {
            self.name = name
            self.kind = kind
            self.spec = spec
        }
    }
}

/// Store row ids of a synced suite, for the judging run: tasks and items by name and external id, models by name.
public struct SuiteIDs: Sendable, Hashable {
    public var suiteID: Int64
    /// Task name → task row id.
    public var tasks: [String: Int64]
    /// Task name → item external id → item row id.
    public var items: [String: [String: Int64]]
    /// Model name → model row id.
    public var models: [String: Int64]
}
