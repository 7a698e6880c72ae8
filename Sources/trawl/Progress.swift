import Foundation
import Logging
import Synchronization
import TrawlCore

/// Progress on a terminal: one line redrawn in place; otherwise an occasional log line.
enum Progress {
    static func make(logger: Logger) -> any ProgressReporter {
        isatty(STDERR_FILENO) == 1 ? TerminalProgress() : LogProgress(logger: logger)
    }
}

final class TerminalProgress: ProgressReporter {
    private let state = Mutex<(start: ContinuousClock.Instant, drawn: Bool)>((.now, false))

    func update(phase: String, done: Int, total: Int?) {
        state.withLock { s in
            let elapsed = Double((ContinuousClock.now - s.start).components.seconds) + 0.001
            var line = "\r\u{1B}[K\(phase): \(done)"
            if let total, total > 0 {
                let width = 30
                let filled = min(width, done * width / total)
                let rate = Double(done) / elapsed
                let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
                line += "/\(total) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    + "] \(Int(rate))/s ETA \(eta)s"
            }
            FileHandle.standardError.write(Data(line.utf8))
            s.drawn = true
        }
    }

    func finish() {
        state.withLock { s in
            if s.drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}

final class LogProgress: ProgressReporter {
    let logger: Logger
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(logger: Logger) { self.logger = logger }

    func update(phase: String, done: Int, total: Int?) {
        let due = last.withLock { last -> Bool in
            if let l = last, ContinuousClock.now - l < .seconds(5), done != total { return false }
            last = .now
            return true
        }
        if due { logger.info("\(phase)", metadata: ["done": "\(done)", "total": "\(total.map(String.init) ?? "?")"]) }
    }

    func finish() {}
}
