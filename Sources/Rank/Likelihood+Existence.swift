// MARK: - Does the maximum-likelihood fit exist?

extension Likelihood {
    /// Throws unless the unpenalized likelihood has a finite maximizer.
    ///
    /// Bradley-Terry's maximum-likelihood strengths are finite exactly when the directed graph "i beat j"
    /// (a tie counts both ways) is strongly connected: every model has both lost and won against the others,
    /// directly or through a chain (Zermelo 1929; Ford, *Amer. Math. Monthly* 64, 1957). Otherwise a group
    /// that never lost to the rest drifts to +∞ and one that never won to −∞. Davidson's tie parameter
    /// needs at least one tie and one decisive verdict, or ν runs to 0 or ∞.
    /// - Throws: `RankError.infiniteMaximumLikelihood` naming the groups.
    func requireFiniteMaximum() throws {
        let n = design.modelCount
        var beats = [[Int]](repeating: [], count: n)       // beats[i]: the models i won against (or tied)
        var beaten = [[Int]](repeating: [], count: n)      // beaten[j]: the models that won against j (or tied)
        var tieTotal = 0.0, decisiveTotal = 0.0
        for c in 0..<design.cellCount {
            let i = design.cellI[c], j = design.cellJ[c]
            let wonI = totals.winsI[c] > 0 || totals.ties[c] > 0
            let wonJ = totals.winsJ[c] > 0 || totals.ties[c] > 0
            if wonI { beats[i].append(j); beaten[j].append(i) }
            if wonJ { beats[j].append(i); beaten[i].append(j) }
            tieTotal += totals.ties[c]
            decisiveTotal += totals.winsI[c] + totals.winsJ[c]
        }
        let component = Self.strongComponents(successors: beats, predecessors: beaten)
        let count = (component.max() ?? -1) + 1
        if count > 1 {
            var lostOutside = [Bool](repeating: false, count: count)
            var wonOutside = [Bool](repeating: false, count: count)
            for i in 0..<n {
                for j in beats[i] where component[j] != component[i] {
                    wonOutside[component[i]] = true
                    lostOutside[component[j]] = true
                }
            }
            func groups(_ keep: (Int) -> Bool) -> [[String]] {
                (0..<count).filter(keep).map { g in (0..<n).filter { component[$0] == g }.map { design.models[$0] } }
                    .sorted { $0[0] < $1[0] }
            }
            throw RankError.infiniteMaximumLikelihood(neverLost: groups { !lostOutside[$0] }, neverWon: groups { !wonOutside[$0] })
        }
        if design.tieModel == .davidson, tieTotal == 0 || decisiveTotal == 0 {
            throw RankError.infiniteMaximumLikelihood(neverLost: [], neverWon: [],
                                                      tieParameter: tieTotal == 0 ? "no verdict is a tie" : "every verdict is a tie")
        }
    }

    /// The strongly connected component of each node, numbered from 0 (Kosaraju: finishing order on the
    /// graph, then reachability on the reversed graph). Iterative, so deep graphs do not exhaust the stack.
    static func strongComponents(successors: [[Int]], predecessors: [[Int]]) -> [Int] {
        let n = successors.count
        var visited = [Bool](repeating: false, count: n)
        var order: [Int] = []
        order.reserveCapacity(n)
        for root in 0..<n where !visited[root] {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            visited[root] = true
            while let top = stack.last {
                if top.next < successors[top.node].count {
                    stack[stack.count - 1].next += 1
                    let child = successors[top.node][top.next]
                    if !visited[child] { visited[child] = true; stack.append((child, 0)) }
                } else {
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        var component = [Int](repeating: -1, count: n)
        var count = 0
        for root in order.reversed() where component[root] < 0 {
            var stack = [root]
            component[root] = count
            while let node = stack.popLast() {
                for next in predecessors[node] where component[next] < 0 {
                    component[next] = count
                    stack.append(next)
                }
            }
            count += 1
        }
        return component
    }
}
