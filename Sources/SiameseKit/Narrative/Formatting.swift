import Foundation

/// `x` with `digits` decimals: `fixed(3.14159, 2) == "3.14"`.
public func fixed<T: BinaryFloatingPoint>(_ x: T, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", Double(x))
}

/// A percentage with one decimal: `percent(0.9876) == "98.8%"`.
public func percent<T: BinaryFloatingPoint>(_ fraction: T, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f%%", Double(fraction) * 100)
}

/// A duration for people: "850 ms", "12.3 s", "4 min 05 s".
public func duration(_ seconds: Double) -> String {
    if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let s = Int(seconds.rounded())
    return String(format: "%d min %02d s", s / 60, s % 60)
}

/// Seconds elapsed while running `body`, with its result.
public func timed<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = start.duration(to: .now)
    let (s, atto) = elapsed.components
    return (result, Double(s) + Double(atto) * 1e-18)
}
