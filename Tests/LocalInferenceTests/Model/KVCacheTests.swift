import XCTest
@testable import LocalInference

/// `KVCache` keeps keys and values as fp16: what is stored reads back rounded to nearest, lane order kept.
final class KVCacheTests: XCTestCase {
    func testStoreRoundsToNearestFP16() {
        var rng = SplitMix64(seed: 21)
        for width in [8, 13, 64, 192] {
            let cache = KVCache(layers: 2, capacity: 5, width: width)
            let k = (0..<width).map { _ in rng.normal() * 3 }, v = (0..<width).map { _ in rng.normal() * 300 }
            cache.store(key: k, value: v, layer: 1, position: 4)
            XCTAssertEqual((0..<width).map { Float(cache.key(layer: 1, position: 4)[$0]) }, k.map { Float(Float16($0)) }, "width \(width)")
            XCTAssertEqual((0..<width).map { Float(cache.value(layer: 1, position: 4)[$0]) }, v.map { Float(Float16($0)) }, "width \(width)")
            if width >= 8 {
                let lanes = floats(UnsafeRawPointer(cache.key(layer: 1, position: 4)).loadUnaligned(as: SIMD8<Float16>.self))
                XCTAssertEqual((0..<8).map { lanes[$0] }, k[..<8].map { Float(Float16($0)) })
            }
        }
    }

    /// Debug builds mark slots unwritten until stored; `_checkInvariants(through:)` passes once every layer
    /// holds positions 0..<n (a forward pass checks it after each batch).
    func testInvariantsHoldOnceEveryLayerIsStored() {
        let cache = KVCache(layers: 3, capacity: 4, width: 8)
        let k = [Float](repeating: 1, count: 8), v = [Float](repeating: -2, count: 8)
        #if DEBUG
        XCTAssertEqual(cache.key(layer: 2, position: 1).pointee.bitPattern, KVCache.unwritten.bitPattern)
        #endif
        for position in 0..<2 { for layer in 0..<3 { cache.store(key: k, value: v, layer: layer, position: position) } }
        cache._checkInvariants(through: 2)
        XCTAssertEqual(Float(cache.value(layer: 2, position: 1).pointee), -2)
    }
}
