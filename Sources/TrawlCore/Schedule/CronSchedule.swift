import Foundation
// TEMPORARY placeholder until the real parser lands (helper is writing it).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(parsing spec: String) throws(CronError) {
        let fields = spec.split(separator: " ")
        guard fields.count == 5 else { throw CronError(message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)") }
        if let h = Int(fields[1]), h > 23 { throw CronError(message: "hour field '\(h)' is out of range 0-23") }
        description = spec
    }
}
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
