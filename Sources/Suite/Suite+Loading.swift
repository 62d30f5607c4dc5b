import Foundation
import Yams

extension Suite {
    // MARK: - Loading

    /// Reads and validates a suite file and every items file it names.
    ///
    /// - Throws: ``SuiteError`` naming the file, line and field at fault: unreadable files, bad YAML,
    ///   unknown keys, wrong types, missing required keys, duplicate task or model names, and every
    ///   problem of an items file (see ``SuiteItem/load(from:displayPath:)``).
    public static func load(from file: URL) throws -> Suite {
        let file = file.standardizedFileURL
        let display = file.path
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw SuiteError(file: display, message: "cannot read the suite file (\(Suite.reason(error)))")
        }
        return try parse(yaml: text, file: file)
    }

    /// Parses suite YAML whose relative paths resolve against `file`'s folder (the file itself is not read).
    public static func parse(yaml text: String, file: URL) throws -> Suite {
        try parse(yaml: text, file: file, itemsLoader: { try SuiteItem.load(from: $0, displayPath: $0.path) })
    }

    /// `parse(yaml:file:)` with the items files read by `itemsLoader` (the fuzzer confines them to one file).
    static func parse(yaml text: String, file: URL,
                      itemsLoader: (URL) throws -> (items: [SuiteItem], warnings: [SuiteWarning])) throws -> Suite {
        let file = file.standardizedFileURL
        let display = file.path
        let root: Node
        try YAMLNesting.check(text, file: display)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SuiteError(file: display, message: "the suite file is empty")
            }
            root = node
        } catch let error as SuiteError {
            throw error
        } catch let error as YamlError {
            throw Suite.yamlError(error, file: display)
        } catch {
            throw SuiteError(file: display, message: "not valid YAML (\(error))")
        }

        let fields = try YAMLFields(root, file: display, path: "",
                                    allowed: ["name", "description", "tasks", "models", "judge", "human_labels"])
        let directory = file.deletingLastPathComponent()
        var warnings: [SuiteWarning] = []

        // MARK: tasks
        guard let taskNodes = try fields.sequence("tasks"), !taskNodes.isEmpty else {
            throw SuiteError(file: display, line: fields.line, field: "tasks", message: "required: a list of at least one task")
        }
        var tasks: [SuiteTask] = []
        for (index, node) in taskNodes.enumerated() {
            let task = try YAMLFields(node, file: display, path: "tasks[\(index)]",
                                      allowed: ["name", "description", "items", "held_out"])
            let name = try task.requiredString("name")
            if tasks.contains(where: { $0.name == name }) {
                throw task.error("name", task.node("name"), "task name \"\(name)\" is used twice")
            }
            let itemsPath = try task.requiredString("items")
            let itemsFile = URL(fileURLWithPath: itemsPath, relativeTo: directory).standardizedFileURL
            let loaded = try itemsLoader(itemsFile)
            warnings += loaded.warnings
            tasks.append(SuiteTask(
                name: name,
                description: try task.string("description"),
                itemsFile: itemsFile,
                heldOut: try task.bool("held_out") ?? false,
                items: loaded.items
            ))
        }

        // MARK: models
        var models: [ModelSpec] = []
        for (index, node) in (try fields.sequence("models") ?? []).enumerated() {
            let model = try ModelSpec.parse(node, file: display, path: "models[\(index)]", directory: directory)
            if models.contains(where: { $0.name == model.name }) {
                throw SuiteError(file: display, line: node.mark?.line, field: "models[\(index)].name",
                                 message: "model name \"\(model.name)\" is used twice")
            }
            models.append(model)
        }

        // MARK: judge
        let judge = try fields.mapping("judge", allowed: JudgeSpec.keys)
            .map { try JudgeSpec.parse($0, directory: directory) } ?? JudgeSpec()

        let name = try fields.requiredString("name")
        if let problem = Suite.nameProblem(name) { throw fields.error("name", fields.node("name"), problem) }
        var suite = Suite(
            name: name,
            description: try fields.string("description"),
            file: file,
            tasks: tasks,
            models: models,
            judge: judge,
            warnings: warnings
        )

        // MARK: human labels (after tasks and models: every vote must name theirs)
        if let labelsPath = try fields.string("human_labels") {
            let labelsFile = URL(fileURLWithPath: labelsPath, relativeTo: directory).standardizedFileURL
            let loaded = try HumanLabel.load(from: labelsFile, displayPath: labelsFile.path,
                                             tasks: Dictionary(tasks.map { ($0.name, Set($0.items.map(\.id))) }, uniquingKeysWith: { a, _ in a }),
                                             models: Set(models.map(\.name)))
            suite.humanLabels = loaded.labels
            suite.humanLabelsFile = labelsFile
            suite.warnings += loaded.warnings
        }
        return suite
    }

    // MARK: - Names

    /// Why `name` cannot name a suite, or nil. Reports go to `reports/NAME/` unless `--out` says otherwise,
    /// so a name is one plain path component: no separator, not `.` or `..`, no leading dot, no control
    /// characters, at most 100 characters.
    public static func nameProblem(_ name: String) -> String? {
        if name.contains("/") || name.contains("\\") {
            return "a suite name is used as a folder name (reports/NAME): it cannot contain / or \\"
        }
        if name.hasPrefix(".") {
            return "a suite name is used as a folder name (reports/NAME): it cannot start with a dot"
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a suite name cannot contain control characters"
        }
        if name.count > 100 { return "a suite name is at most 100 characters (this one has \(name.count))" }
        return nil
    }

    // MARK: - Error text

    static func yamlError(_ error: YamlError, file: String) -> SuiteError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return SuiteError(file: file, line: mark.line, message: "not valid YAML: \(prefix)\(problem) at column \(mark.column)")
        default:
            return SuiteError(file: file, message: "not valid YAML: \(error)")
        }
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}

extension ModelSpec {
    static let keys = ["name", "description", "path", "template", "url", "urls", "model", "api_key_env", "ca_file",
                       "system_prompt", "max_tokens", "sampling"]

    static func parse(_ node: Node, file: String, path: String, directory: URL) throws -> ModelSpec {
        let fields = try YAMLFields(node, file: file, path: path, allowed: keys)
        let name = try fields.requiredString("name")
        let localPath = try fields.string("path")
        let urls = try fields.endpointURLs()
        let url = urls.first
        let source: Source
        switch (localPath, url) {
        case (.some, .some):
            let key = fields.has("urls") ? "urls" : "url"
            throw fields.error(key, fields.node(key), "a model is either local (path) or remote (url), not both")
        case (let localPath?, nil):
            for key in ["model", "api_key_env", "ca_file"] where fields.has(key) {
                throw fields.error(key, fields.node(key), "only for remote models (with url)")
            }
            source = .local(path: URL(fileURLWithPath: localPath, relativeTo: directory).standardizedFileURL,
                            chatTemplate: try fields.string("template"))
        case (nil, let url?):
            if fields.has("template") {
                throw fields.error("template", fields.node("template"), "only for local models (the server applies its own chat template)")
            }
            source = .remote(url: url, model: try fields.string("model") ?? name,
                             apiKeyEnv: try fields.string("api_key_env") ?? "OPENAI_API_KEY")
        case (nil, nil):
            for key in ["template", "model", "api_key_env", "ca_file", "system_prompt", "max_tokens", "sampling"] where fields.has(key) {
                throw fields.error(key, fields.node(key),
                                   "only for generated models: give a path (local GGUF) or a url (remote), or drop it for imported outputs")
            }
            source = .imported
        }
        var sampling = Sampling()
        if let s = try fields.mapping("sampling", allowed: ["temperature", "top_p", "top_k", "min_p", "repeat_penalty", "seed"]) {
            sampling.temperature = try s.double("temperature", in: 0...10)
            sampling.topP = try s.double("top_p", in: 0...1)
            sampling.topK = try s.int("top_k", SettingLimits.topK)
            sampling.minP = try s.double("min_p", in: 0...1)
            sampling.repeatPenalty = try s.double("repeat_penalty", in: 0...10)
            sampling.seed = try s.int("seed", SettingLimits.seed)
        }
        var spec = ModelSpec(
            name: name,
            description: try fields.string("description"),
            source: source,
            systemPrompt: try fields.string("system_prompt"),
            maxTokens: try fields.int("max_tokens", SettingLimits.maxTokens),
            sampling: sampling
        )
        spec.additionalURLs = Array(urls.dropFirst())
        spec.caFile = try fields.caFile(directory: directory)
        return spec
    }
}

extension JudgeSpec {
    static let keys = ["url", "urls", "model", "template", "template_file", "verdict", "both_orders", "api_key_env",
                       "max_tokens", "temperature", "seed", "concurrency", "prices", "path", "ca_file", "batch"]

    static func parse(_ fields: YAMLFields, directory: URL) throws -> JudgeSpec {
        var spec = JudgeSpec()
        let urls = try fields.endpointURLs()
        spec.url = urls.first
        spec.additionalURLs = Array(urls.dropFirst())
        if let path = try fields.string("path") {
            if fields.has("url") || fields.has("urls") {
                throw fields.error("path", fields.node("path"), "the judge is either remote (url) or the embedded local judge over a GGUF file (path), not both")
            }
            spec.path = URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL.path
        }
        if let model = try fields.string("model") { spec.model = model }
        if let verdict = try fields.string("verdict") {
            guard let mode = VerdictMode(rawValue: verdict) else {
                throw fields.error("verdict", fields.node("verdict"),
                                   "expected \(VerdictMode.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            spec.verdict = mode
            spec.template = mode.defaultTemplate
        }
        if let template = try fields.string("template") { spec.template = template }
        if let templateFile = try fields.string("template_file") {
            if fields.has("template") {
                throw fields.error("template_file", fields.node("template_file"), "give template or template_file, not both")
            }
            spec.templateFile = URL(fileURLWithPath: templateFile, relativeTo: directory).standardizedFileURL.path
        }
        if let bothOrders = try fields.bool("both_orders") { spec.bothOrders = bothOrders }
        if let apiKeyEnv = try fields.string("api_key_env") { spec.apiKeyEnv = apiKeyEnv }
        spec.caFile = try fields.caFile(directory: directory)
        if let maxTokens = try fields.int("max_tokens", SettingLimits.maxTokens) { spec.maxTokens = maxTokens }
        if let temperature = try fields.double("temperature", in: 0...2) { spec.temperature = temperature }
        spec.seed = try fields.int("seed", SettingLimits.seed)
        spec.concurrency = try fields.int("concurrency", SettingLimits.concurrency)
        if let batch = try fields.bool("batch") { spec.batch = batch }
        if let prices = try fields.mapping("prices", allowed: try fields.priceKeys()) {
            for model in prices.keys {
                // `prices: {j}` names a model with no prices (null), which the fuzzer found unwrapped.
                guard let price = try prices.mapping(model, allowed: ["input", "output", "batch_discount"]) else {
                    throw prices.error(model, nil, "give input and output, in USD per million tokens")
                }
                guard let input = try price.double("input", in: SettingLimits.price),
                      let output = try price.double("output", in: SettingLimits.price) else {
                    throw SuiteError(file: price.file, line: price.line, field: price.path,
                                     message: "give both input and output, in USD per million tokens")
                }
                spec.prices[model] = Price(inputPerMillion: input, outputPerMillion: output,
                                           batchDiscount: try price.double("batch_discount", in: 0...1))
            }
        }
        return spec
    }
}

private extension YAMLFields {
    /// `ca_file: PATH` (relative to the suite file), checked readable now rather than at the first HTTPS call.
    func caFile(directory: URL) throws -> String? {
        guard let caFile = try string("ca_file") else { return nil }
        let path = URL(fileURLWithPath: caFile, relativeTo: directory).standardizedFileURL.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw error("ca_file", node("ca_file"), "no readable file at \(path); give a PEM file of CA certificates")
        }
        return path
    }

    /// `url: U` or `urls: [U1, U2, …]` (endpoints serving the same model), each http(s); empty when neither.
    func endpointURLs() throws -> [String] {
        if has("url"), has("urls") { throw error("urls", node("urls"), "give url or urls, not both") }
        var urls: [(String, Node?)] = []
        if let url = try string("url") { urls.append((url, node("url"))) }
        if let list = try sequence("urls") {
            guard !list.isEmpty else { throw error("urls", node("urls"), "expected at least one URL") }
            for element in list {
                guard case .scalar(let scalar) = element else { throw error("urls", element, "expected a list of URLs") }
                urls.append((scalar.string, element))
            }
        }
        for (url, node) in urls where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw error(has("urls") ? "urls" : "url", node, "expected an http:// or https:// URL")
        }
        return urls.map(\.0)
    }

    /// Every key of `prices` is a judge model's name, so all are allowed.
    func priceKeys() throws -> [String] {
        guard let node = node("prices") else { return [] }
        guard case .mapping(let mapping) = node else {
            throw error("prices", node, "expected a mapping of judge model names to { input, output } prices")
        }
        return mapping.compactMap { $0.key.scalar?.string }
    }
}
