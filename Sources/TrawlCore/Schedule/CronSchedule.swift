public import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), evaluated in UTC.
///
/// Supported syntax per field: `*`, numbers, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n` (from `a` to the
/// field's maximum), and comma-separated lists of those. Months accept `jan`…`dec` and weekdays `sun`…`sat`
/// (case-insensitive); weekday `7` is Sunday like `0`.
///
/// Day-of-month and day-of-week follow the classic (Vixie) cron rule: when both fields are restricted (neither
/// starts with `*`), a day matches if EITHER field matches; otherwise both must match. An empty spec means
/// "disabled" and is the caller's business: parsing it throws.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The spec exactly as given.
    public let description: String

    private let minutes: FieldSet
    private let hours: FieldSet
    private let daysOfMonth: FieldSet
    private let months: FieldSet
    /// Weekdays with 0 = Sunday … 6 = Saturday (a 7 in the spec is folded into 0).
    private let daysOfWeek: FieldSet
    /// True when the day-of-month field starts with `*` (unrestricted for the DOM/DOW rule).
    private let dayOfMonthIsStar: Bool
    /// True when the day-of-week field starts with `*` (unrestricted for the DOM/DOW rule).
    private let dayOfWeekIsStar: Bool

    /// How far ahead `nextFire(after:)` searches: one full 28-year weekday/leap-year cycle, so every spec that
    /// can ever fire (Feb 29 on a Monday included) is found.
    static let searchYears = 28

    /// Parses a five-field cron spec; the error names the offending field, the bad value and the allowed range.
    public init(parsing spec: String) throws(CronError) {
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .map(String.init)
        guard fields.count == 5 else {
            throw CronError(
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)"
            )
        }
        description = spec
        minutes = try FieldKind.minute.parse(fields[0])
        hours = try FieldKind.hour.parse(fields[1])
        daysOfMonth = try FieldKind.dayOfMonth.parse(fields[2])
        months = try FieldKind.month.parse(fields[3])
        var weekdays = try FieldKind.dayOfWeek.parse(fields[4])
        if weekdays.contains(7) {
            weekdays.remove(7)
            weekdays.insert(0)
        }
        daysOfWeek = weekdays
        dayOfMonthIsStar = fields[2].hasPrefix("*")
        dayOfWeekIsStar = fields[4].hasPrefix("*")
    }

    /// Whether the minute containing `date` (UTC, seconds ignored) is a firing minute.
    public func matches(_ date: Date) -> Bool {
        let c = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let year = c.year, let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute else {
            return false
        }
        return minutes.contains(minute) && hours.contains(hour) && months.contains(month)
            && dayMatches(year: year, month: month, day: day)
    }

    /// The first firing minute strictly after `date`, or nil if none within ``searchYears`` years
    /// (for example `0 0 30 2 *`, which can never fire).
    public func nextFire(after date: Date) -> Date? {
        // Start at the beginning of the minute after `date`'s minute.
        let startSeconds = (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        let start = Date(timeIntervalSince1970: startSeconds)
        let c = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        guard var year = c.year, var month = c.month, var day = c.day, var hour = c.hour, var minute = c.minute else {
            return nil
        }
        let lastYear = year + Self.searchYears

        while year <= lastYear {
            // Month: jump to the next allowed month, or to January of next year.
            guard months.contains(month) else {
                if let next = months.next(from: month + 1, upTo: 12) {
                    month = next
                } else {
                    year += 1
                    month = months.next(from: 1, upTo: 12) ?? 1
                }
                day = 1; hour = 0; minute = 0
                continue
            }
            // Day: step a day at a time within the month (at most 31 steps per month).
            if day > Self.daysIn(month: month, year: year) {
                month += 1
                if month > 12 { month = 1; year += 1 }
                day = 1; hour = 0; minute = 0
                continue
            }
            guard dayMatches(year: year, month: month, day: day) else {
                day += 1; hour = 0; minute = 0
                continue
            }
            // Hour: the next allowed hour today, else tomorrow.
            guard let nextHour = hours.next(from: hour, upTo: 23) else {
                day += 1; hour = 0; minute = 0
                continue
            }
            if nextHour != hour {
                hour = nextHour
                minute = 0
            }
            // Minute: the next allowed minute this hour, else the next hour.
            guard let nextMinute = minutes.next(from: minute, upTo: 59) else {
                hour += 1; minute = 0
                if hour > 23 { day += 1; hour = 0 }
                continue
            }
            let components = DateComponents(
                timeZone: Self.calendar.timeZone, year: year, month: month, day: day, hour: hour, minute: nextMinute
            )
            return Self.calendar.date(from: components)
        }
        return nil
    }

    // MARK: - Day rules

    private func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        let domHit = daysOfMonth.contains(day)
        let dowHit = daysOfWeek.contains(Self.weekday(year: year, month: month, day: day))
        if dayOfMonthIsStar || dayOfWeekIsStar {
            return domHit && dowHit
        }
        return domHit || dowHit
    }

    /// The UTC Gregorian calendar every computation uses.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Day of the week, 0 = Sunday, for a proleptic Gregorian date (Howard Hinnant's days-from-civil).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let daysSinceEpoch = era * 146_097 + dayOfEra - 719_468
        // 1970-01-01 was a Thursday (4).
        return ((daysSinceEpoch + 4) % 7 + 7) % 7
    }
}

/// Why a cron spec could not be parsed.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Names the field, the bad value and the allowed range,
    /// e.g. "hour field '25' is out of range 0-23".
    public let message: String

    init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

// MARK: - Field parsing

/// A set of small integers (0…63) as a bit mask.
private struct FieldSet: Sendable, Hashable {
    var bits: UInt64 = 0

    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0
    }

    mutating func insert(_ value: Int) {
        bits |= 1 << UInt64(value)
    }

    mutating func remove(_ value: Int) {
        bits &= ~(1 << UInt64(value))
    }

    /// The smallest member in `value...limit`, if any.
    func next(from value: Int, upTo limit: Int) -> Int? {
        guard value <= limit, value < 64 else { return nil }
        let candidates = bits >> UInt64(max(value, 0))
        guard candidates != 0 else { return nil }
        let found = max(value, 0) + candidates.trailingZeroBitCount
        return found <= limit ? found : nil
    }
}

private enum FieldKind {
    case minute, hour, dayOfMonth, month, dayOfWeek

    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    var names: [String] {
        switch self {
        case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        default: []
        }
    }

    /// "0-59", or "1-12 or jan-dec" for fields with names.
    var allowed: String {
        let numeric = "\(range.lowerBound)-\(range.upperBound)"
        guard let first = names.first, let last = names.last else { return numeric }
        return "\(numeric) or \(first)-\(last)"
    }

    func error(_ token: some StringProtocol, _ problem: String) -> CronError {
        CronError(message: "\(name) field '\(token)' \(problem)")
    }

    func parse(_ field: String) throws(CronError) -> FieldSet {
        var set = FieldSet()
        let items = field.split(separator: ",", omittingEmptySubsequences: false)
        for item in items {
            guard !item.isEmpty else {
                throw error(field, "has an empty list element (allowed \(allowed))")
            }
            try parseItem(item, into: &set)
        }
        return set
    }

    private func parseItem(_ item: Substring, into set: inout FieldSet) throws(CronError) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw error(item, "has more than one '/' step")
        }
        var step = 1
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), !parts[1].hasPrefix("+"), !parts[1].hasPrefix("-") else {
                throw error(item, "has step '\(parts[1])', which is not a positive number")
            }
            guard parsed >= 1 else {
                throw error(item, "has step \(parsed); the step must be at least 1")
            }
            guard parsed <= range.upperBound else {
                throw error(item, "has step \(parsed), larger than the range \(range.lowerBound)-\(range.upperBound)")
            }
            step = parsed
        }

        let base = parts[0]
        let low: Int
        let high: Int
        if base == "*" {
            low = range.lowerBound
            high = range.upperBound
        } else if let dash = base.firstIndex(of: "-") {
            let lowText = base[..<dash]
            let highText = base[base.index(after: dash)...]
            guard !lowText.isEmpty, !highText.isEmpty else {
                throw error(item, "is not a valid range (allowed \(allowed))")
            }
            low = try value(lowText, in: item)
            high = try value(highText, in: item)
            guard low <= high else {
                throw error(item, "is a range that ends before it starts (allowed \(allowed))")
            }
        } else {
            low = try value(base, in: item)
            // "a/n" means from a to the end of the field; a bare "a" is just a.
            high = parts.count == 2 ? range.upperBound : low
        }
        for value in stride(from: low, through: high, by: step) {
            set.insert(value)
        }
    }

    /// One number or name, checked against the field's range.
    private func value(_ token: Substring, in item: Substring) throws(CronError) -> Int {
        if let index = names.firstIndex(of: token.lowercased()) {
            return self == .month ? index + 1 : index
        }
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw error(token, "is not a valid value (allowed \(allowed))")
        }
        guard let number = Int(token), range.contains(number) else {
            throw error(token, "is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}
