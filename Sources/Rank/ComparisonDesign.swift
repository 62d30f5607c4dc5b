// MARK: - ComparisonDesign: deduplicated, weighted comparisons ready for the likelihood

/// Comparisons reduced to what the likelihood needs.
///
/// Verdicts are deduplicated into *groups* — unique (A, B, outcome, length feature) with a count —
/// and groups into *cells* — unique (A, B, length feature) with summed weighted wins and ties.
/// The fit runs over cells (435 at most for 30 models without length control, however many
/// comparisons), and a bootstrap round only redraws the group counts (a multinomial over groups).
///
/// Model indices follow the models sorted by name; every group is stored with i < j
/// (the verdict mirrored when needed), so A/B order never splits a cell.
struct ComparisonDesign {
    /// Models sorted by name; index = position.
    let models: [String]
    let tieModel: RatingOptions.TieModel
    let hasCovariate: Bool

    // MARK: Cells — unique (i, j, x), i < j
    let cellI: [Int]          // (cells)
    let cellJ: [Int]          // (cells)
    let cellX: [Double]       // (cells) standardized length feature, 0 without length control

    // MARK: Groups — unique (i, j, outcome, x) with counts
    let groupCell: [Int]      // (groups) → cell index
    let groupWinsI: [Double]  // (groups) weighted wins of i per comparison (ties: ½ under `.half`)
    let groupWinsJ: [Double]  // (groups) weighted wins of j per comparison
    let groupTies: [Double]   // (groups) ties per comparison (Davidson only, else 0)
    let groupCount: [Double]  // (groups) how many comparisons fell in the group
    /// The number of individual verdicts (Σ groupCount): what a bootstrap round redraws.
    let comparisonCount: Int
    /// Root mean square of the raw normalized length difference (the standardizing scale), if controlled.
    let lengthScale: Double?

    var modelCount: Int { models.count }
    var cellCount: Int { cellI.count }
    /// Parameters: θ for each model, then η (Davidson) or β (length control).
    var parameterCount: Int { models.count + (tieModel == .davidson || hasCovariate ? 1 : 0) }

    /// - Parameter extraModels: models to include even without comparisons (they get the prior's θ = 0).
    /// - Complexity: O(comparisons) hash look-ups — deduplicated comparisons (`count` > 1) make it cheaper.
    init(_ comparisons: [Comparison], options: RatingOptions, extraModels: [String] = []) throws {
        guard !comparisons.isEmpty || !extraModels.isEmpty else { throw RankError.noComparisons(task: nil) }
        var index: [String: Int] = [:]
        for c in comparisons {
            if c.modelA == c.modelB { throw RankError.selfComparison(model: c.modelA) }
            if c.count < 1 { throw RankError.invalidOption("a comparison of \(c.modelA) and \(c.modelB) has count \(c.count); counts must be ≥ 1") }
            index[c.modelA] = 0
            index[c.modelB] = 0
        }
        for m in extraModels { index[m] = 0 }
        let models = index.keys.sorted()
        for (k, m) in models.enumerated() { index[m] = k }
        self.models = models
        self.tieModel = options.ties
        self.hasCovariate = options.control == .length

        // Length feature: raw r = (|A| − |B|) / (|A| + |B|), divided by its root mean square
        // (over verdicts, each counted `count` times).
        // r is antisymmetric in A/B, so it is scaled but not centered: centering would make the
        // fit depend on which model happened to be listed first.
        var raw = [Double](repeating: 0, count: hasCovariate ? comparisons.count : 0)
        if hasCovariate {
            var missing = 0, verdicts = 0, squares = 0.0
            for (k, c) in comparisons.enumerated() {
                verdicts += c.count
                guard let a = c.lengthA, let b = c.lengthB, a >= 0, b >= 0 else { missing += c.count; continue }
                raw[k] = a + b == 0 ? 0 : Double(a - b) / Double(a + b)
                squares += Double(c.count) * raw[k] * raw[k]
            }
            if missing > 0 { throw RankError.missingLengths(count: missing, total: verdicts) }
            let rms = (squares / Double(verdicts)).squareRoot()
            guard rms > 0 else { throw RankError.constantLengths }
            for k in raw.indices { raw[k] /= rms }
            lengthScale = rms
        } else {
            lengthScale = nil
        }

        struct CellKey: Hashable { let i: Int, j: Int, x: Double }
        struct GroupKey: Hashable { let cell: Int, outcome: Outcome }
        var cellOf: [CellKey: Int] = [:]
        var groupOf: [GroupKey: Int] = [:]
        var cellI: [Int] = [], cellJ: [Int] = [], cellX: [Double] = []
        var gCell: [Int] = [], gWI: [Double] = [], gWJ: [Double] = [], gT: [Double] = [], gN: [Double] = []
        var total = 0
        for (k, c) in comparisons.enumerated() {
            var i = index[c.modelA]!, j = index[c.modelB]!, x = hasCovariate ? raw[k] : 0, outcome = c.outcome
            if i > j { swap(&i, &j); x = -x; outcome = outcome.mirrored }
            if x == 0 { x = 0 }  // −0 and +0 share a cell
            let cellKey = CellKey(i: i, j: j, x: x)
            let cell: Int
            if let found = cellOf[cellKey] { cell = found } else {
                cell = cellI.count
                cellOf[cellKey] = cell
                cellI.append(i); cellJ.append(j); cellX.append(x)
            }
            let groupKey = GroupKey(cell: cell, outcome: outcome)
            let group: Int
            if let found = groupOf[groupKey] { group = found } else {
                group = gCell.count
                groupOf[groupKey] = group
                let (wi, wj, t) = Self.contribution(of: outcome, options: options)
                gCell.append(cell); gWI.append(wi); gWJ.append(wj); gT.append(t); gN.append(0)
            }
            gN[group] += Double(c.count)
            total += c.count
        }
        self.cellI = cellI; self.cellJ = cellJ; self.cellX = cellX
        self.groupCell = gCell; self.groupWinsI = gWI; self.groupWinsJ = gWJ; self.groupTies = gT
        self.groupCount = gN
        self.comparisonCount = total
    }

    /// What one verdict adds to (wins of i, wins of j, ties), i being model A.
    static func contribution(of outcome: Outcome, options: RatingOptions) -> (Double, Double, Double) {
        switch outcome {
        case .aMuchBetter: return (options.strongWinWeight, 0, 0)
        case .aBetter: return (1, 0, 0)
        case .bBetter: return (0, 1, 0)
        case .bMuchBetter: return (0, options.strongWinWeight, 0)
        case .tie, .tieBothBad: return options.ties == .half ? (0.5, 0.5, 0) : (0, 0, 1)
        }
    }

    // MARK: - Cell totals

    /// Summed weighted wins and ties per cell for the given group counts.
    func cellTotals(groupCounts: [Double]) -> CellTotals {
        var totals = CellTotals(count: cellCount)
        for g in groupCounts.indices where groupCounts[g] != 0 {
            let c = groupCell[g], n = groupCounts[g]
            totals.winsI[c] += n * groupWinsI[g]
            totals.winsJ[c] += n * groupWinsJ[g]
            totals.ties[c] += n * groupTies[g]
        }
        return totals
    }
}

/// Weighted wins and ties per cell.
struct CellTotals {
    var winsI: [Double]   // (cells)
    var winsJ: [Double]   // (cells)
    var ties: [Double]    // (cells)
    init(count: Int) {
        winsI = [Double](repeating: 0, count: count)
        winsJ = winsI
        ties = winsI
    }
}
