import CGnuplot
import Foundation

/// Writes figures into a folder and has gnuplot draw them.
///
/// For a figure named `01-loss` it writes `01-loss.gp` and `01-loss.dat`, then runs gnuplot
/// (through the gnuplot-iostream bridge) to make `01-loss.png`. If gnuplot is missing or fails,
/// the script and data are still there and the outcome says why, in one line.
public struct FigureWriter: Sendable {
    /// The result of saving one figure.
    public enum Outcome: Sendable, Equatable {
        /// The PNG was drawn.
        case drawn(png: String)
        /// Only the script and data were written; `reason` is one line a reader can act on.
        case notDrawn(script: String, reason: String)
    }

    /// The folder figures go to (created when needed).
    public let directory: URL
    /// The gnuplot command: `$SIAMESE_GNUPLOT`, or `gnuplot` from `PATH`.
    public let gnuplot: String
    /// A comment put at the top of each script saying which program drew it.
    public let regenerateHint: String

    public init(directory: URL, regenerateHint: String = "",
                gnuplot: String = ProcessInfo.processInfo.environment["SIAMESE_GNUPLOT"] ?? "gnuplot") {
        self.directory = directory
        self.gnuplot = gnuplot
        self.regenerateHint = regenerateHint
    }

    /// Writes `<name>.gp` and `<name>.dat` and draws `<name>.png`.
    @discardableResult
    public func save(_ figure: Figure, name: String) -> Outcome {
        let rendered = FigureScript(figure, name: name, regenerateHint: regenerateHint)
        let scriptURL = directory.appendingPathComponent("\(name).gp")
        let dataURL = directory.appendingPathComponent("\(name).dat")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try rendered.script.write(to: scriptURL, atomically: true, encoding: .utf8)
            try rendered.data.write(to: dataURL, atomically: true, encoding: .utf8)
        } catch {
            return .notDrawn(script: scriptURL.path, reason: "cannot write into \(directory.path): \(error.localizedDescription)")
        }
        guard Self.isExecutable(gnuplot) else {
            return .notDrawn(script: scriptURL.path,
                             reason: "gnuplot not found ('\(gnuplot)'); install it with Scripts/setup.sh (Debian: gnuplot-nox), then run: cd \(directory.path) && gnuplot \(name).gp")
        }
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("siamese-gnuplot-\(ProcessInfo.processInfo.processIdentifier)-\(name).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let commands = "cd \(FigureScript.quote(directory.path))\nload \(FigureScript.quote(name + ".gp"))"
        let status = sk_gnuplot_run(gnuplot, commands, log.path)
        let pngPath = directory.appendingPathComponent("\(name).png").path
        if status == 0 && FileManager.default.fileExists(atPath: pngPath) { return .drawn(png: pngPath) }
        let message = (try? String(contentsOf: log, encoding: .utf8))?
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !$0.hasPrefix("^") } ?? "exit status \(status)"
        return .notDrawn(script: scriptURL.path, reason: "gnuplot failed: \(message)")
    }

    /// Whether `command` names an executable file, directly or through `PATH`.
    static func isExecutable(_ command: String) -> Bool {
        let fm = FileManager.default
        if command.contains("/") { return fm.isExecutableFile(atPath: command) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { fm.isExecutableFile(atPath: "\($0)/\(command)") }
    }
}
