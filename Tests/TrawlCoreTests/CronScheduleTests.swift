import Foundation
import Testing

@testable import TrawlCore

/// A UTC date from its parts.
private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(
        from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    )!
}

private func next(_ spec: String, after date: Date) throws -> Date? {
    try CronSchedule(parsing: spec).nextFire(after: date)
}

private func parseError(_ spec: String) -> CronError? {
    do {
        _ = try CronSchedule(parsing: spec)
        return nil
    } catch {
        return error
    }
}

@Suite("CronSchedule")
struct CronScheduleTests {
    // MARK: The profile examples

    @Test func everyMinute() throws {
        #expect(try next("*/1 * * * *", after: utc(2025, 1, 15, 10, 30, 45)) == utc(2025, 1, 15, 10, 31))
        // Strictly after: an exact firing minute gives the following one.
        #expect(try next("*/1 * * * *", after: utc(2025, 1, 15, 10, 30)) == utc(2025, 1, 15, 10, 31))
        // Rolls over hour, day, month and year.
        #expect(try next("*/1 * * * *", after: utc(2025, 12, 31, 23, 59, 59)) == utc(2026, 1, 1, 0, 0))
        #expect(try next("* * * * *", after: utc(2025, 1, 15, 10, 30)) == utc(2025, 1, 15, 10, 31))
    }

    @Test func weeklySundayAtTwo() throws {
        // 2025-01-15 is a Wednesday; the next Sunday is the 19th.
        #expect(try next("0 2 * * 0", after: utc(2025, 1, 15, 10, 30)) == utc(2025, 1, 19, 2, 0))
        #expect(try next("0 2 * * 0", after: utc(2025, 1, 19, 1, 59, 59)) == utc(2025, 1, 19, 2, 0))
        #expect(try next("0 2 * * 0", after: utc(2025, 1, 19, 2, 0)) == utc(2025, 1, 26, 2, 0))
        #expect(try next("0 2 * * 0", after: utc(2025, 1, 19, 2, 0, 30)) == utc(2025, 1, 26, 2, 0))
    }

    @Test func monthlyFirstAtThree() throws {
        #expect(try next("0 3 1 * *", after: utc(2025, 1, 15, 10, 30)) == utc(2025, 2, 1, 3, 0))
        #expect(try next("0 3 1 * *", after: utc(2025, 2, 1, 2, 59)) == utc(2025, 2, 1, 3, 0))
        #expect(try next("0 3 1 * *", after: utc(2025, 12, 1, 3, 0)) == utc(2026, 1, 1, 3, 0))
    }

    // MARK: Syntax forms

    @Test func numbersRangesStepsAndLists() throws {
        let quarter = try CronSchedule(parsing: "10-30/10 * * * *")
        #expect(quarter.matches(utc(2025, 1, 1, 5, 10)))
        #expect(quarter.matches(utc(2025, 1, 1, 5, 20, 59)))  // seconds are ignored
        #expect(quarter.matches(utc(2025, 1, 1, 5, 30)))
        #expect(!quarter.matches(utc(2025, 1, 1, 5, 15)))
        #expect(!quarter.matches(utc(2025, 1, 1, 5, 40)))
        #expect(quarter.nextFire(after: utc(2025, 1, 1, 5, 30)) == utc(2025, 1, 1, 6, 10))

        let list = try CronSchedule(parsing: "5,15,45 9-17 * * *")
        #expect(list.nextFire(after: utc(2025, 1, 1, 9, 15)) == utc(2025, 1, 1, 9, 45))
        #expect(list.nextFire(after: utc(2025, 1, 1, 17, 45)) == utc(2025, 1, 2, 9, 5))
        #expect(list.nextFire(after: utc(2025, 1, 1, 3, 0)) == utc(2025, 1, 1, 9, 5))

        let stepFromStart = try CronSchedule(parsing: "5/20 * * * *")  // 5, 25, 45
        #expect(stepFromStart.nextFire(after: utc(2025, 1, 1, 0, 5)) == utc(2025, 1, 1, 0, 25))
        #expect(stepFromStart.nextFire(after: utc(2025, 1, 1, 0, 45)) == utc(2025, 1, 1, 1, 5))

        let everySixHours = try CronSchedule(parsing: "0 */6 * * *")
        #expect(everySixHours.nextFire(after: utc(2025, 1, 1, 6, 0)) == utc(2025, 1, 1, 12, 0))
        #expect(everySixHours.nextFire(after: utc(2025, 1, 1, 18, 0)) == utc(2025, 1, 2, 0, 0))

        let mixed = try CronSchedule(parsing: "0 0 1,15-17,*/10 * *")  // 1, 11, 15, 16, 17, 21, 31
        #expect(mixed.nextFire(after: utc(2025, 1, 1)) == utc(2025, 1, 11))
        #expect(mixed.nextFire(after: utc(2025, 1, 17)) == utc(2025, 1, 21))
        #expect(mixed.nextFire(after: utc(2025, 1, 21)) == utc(2025, 1, 31))
        #expect(mixed.nextFire(after: utc(2025, 1, 31)) == utc(2025, 2, 1))
    }

    @Test func monthAndWeekdayNames() throws {
        #expect(try next("0 0 1 JUN *", after: utc(2025, 1, 1)) == utc(2025, 6, 1))
        #expect(try next("0 0 1 jun *", after: utc(2025, 6, 1)) == utc(2026, 6, 1))
        #expect(try next("0 0 1 Mar-May *", after: utc(2025, 5, 1)) == utc(2026, 3, 1))
        #expect(try next("0 0 1 jan,jul *", after: utc(2025, 1, 1)) == utc(2025, 7, 1))

        // Weekdays only: after Friday 2025-01-17 comes Monday the 20th.
        let weekdays = try CronSchedule(parsing: "30 8 * * Mon-FRI")
        #expect(weekdays.nextFire(after: utc(2025, 1, 17, 9, 0)) == utc(2025, 1, 20, 8, 30))
        #expect(try next("0 0 * * sat,sun", after: utc(2025, 1, 15)) == utc(2025, 1, 18))
        #expect(try next("0 0 * * SUN", after: utc(2025, 1, 15)) == utc(2025, 1, 19))

        // Names and numbers give the same schedule.
        let byName = try CronSchedule(parsing: "0 12 * feb-apr tue")
        let byNumber = try CronSchedule(parsing: "0 12 * 2-4 2")
        var date = utc(2025, 1, 1)
        for _ in 0..<20 {
            let a = byName.nextFire(after: date)
            #expect(a == byNumber.nextFire(after: date))
            guard let a else { break }
            date = a
        }
    }

    @Test func weekdaySevenIsSunday() throws {
        let seven = try CronSchedule(parsing: "0 2 * * 7")
        let zero = try CronSchedule(parsing: "0 2 * * 0")
        #expect(seven.nextFire(after: utc(2025, 1, 15)) == utc(2025, 1, 19, 2, 0))
        #expect(seven.nextFire(after: utc(2025, 1, 15)) == zero.nextFire(after: utc(2025, 1, 15)))
        #expect(seven.matches(utc(2025, 1, 19, 2, 0)))

        // A range ending in 7 includes Sunday: Fri, Sat, Sun.
        let weekend = try CronSchedule(parsing: "0 0 * * 5-7")
        #expect(weekend.matches(utc(2025, 1, 17)))  // Friday
        #expect(weekend.matches(utc(2025, 1, 18)))  // Saturday
        #expect(weekend.matches(utc(2025, 1, 19)))  // Sunday
        #expect(!weekend.matches(utc(2025, 1, 20)))  // Monday
    }

    // MARK: Day-of-month / day-of-week

    @Test func dayOfMonthOrDayOfWeekWhenBothRestricted() throws {
        // "The 13th, or any Friday."
        let spec = try CronSchedule(parsing: "0 0 13 * 5")
        #expect(spec.nextFire(after: utc(2025, 1, 1)) == utc(2025, 1, 3))  // Friday the 3rd
        #expect(spec.nextFire(after: utc(2025, 1, 10)) == utc(2025, 1, 13))  // Monday the 13th
        #expect(spec.matches(utc(2025, 1, 13)))
        #expect(spec.matches(utc(2025, 1, 24)))  // a Friday
        #expect(!spec.matches(utc(2025, 1, 14)))  // a Tuesday

        // A list counts as restricted even if it covers the whole month.
        let everyDay = try CronSchedule(parsing: "0 0 1-31 * 1")
        #expect(everyDay.nextFire(after: utc(2025, 1, 14)) == utc(2025, 1, 15))
    }

    @Test func dayOfMonthAndDayOfWeekWhenOneIsStar() throws {
        // Only day-of-week restricted: Mondays only.
        #expect(try next("0 0 * * 1", after: utc(2025, 1, 14)) == utc(2025, 1, 20))
        // Only day-of-month restricted: the 20th whatever the weekday.
        #expect(try next("0 0 20 * *", after: utc(2025, 1, 14)) == utc(2025, 1, 20))
        // A field starting with '*' is unrestricted, so both must match: odd days that are Mondays (13th, 27th).
        let oddMondays = try CronSchedule(parsing: "0 0 */2 * 1")
        #expect(oddMondays.nextFire(after: utc(2025, 1, 1)) == utc(2025, 1, 13))
        #expect(oddMondays.nextFire(after: utc(2025, 1, 13)) == utc(2025, 1, 27))
        #expect(!oddMondays.matches(utc(2025, 1, 6)))
        #expect(!oddMondays.matches(utc(2025, 1, 7)))
    }

    // MARK: Calendar edges

    @Test func februaryTwentyNinth() throws {
        #expect(try next("0 0 29 2 *", after: utc(2025, 3, 1)) == utc(2028, 2, 29))
        #expect(try next("0 0 29 2 *", after: utc(2024, 2, 28, 12)) == utc(2024, 2, 29))
        #expect(try next("0 0 29 2 *", after: utc(2024, 2, 29)) == utc(2028, 2, 29))
        // 2100 is not a leap year: eight years between leap days.
        #expect(try next("0 0 29 2 *", after: utc(2096, 3, 1)) == utc(2104, 2, 29))
        // With a star in day-of-month both day fields must match: days 1 and 30 of February that are Mondays.
        let februaryFirstMonday = try CronSchedule(parsing: "0 0 */29 2 mon")
        #expect(februaryFirstMonday.nextFire(after: utc(2025, 1, 1)) == utc(2027, 2, 1))
        #expect(februaryFirstMonday.matches(utc(2027, 2, 1)))
        // Without a star, either matches: Feb 29 or any Monday in February.
        #expect(try next("0 0 29 2 mon", after: utc(2025, 1, 1)) == utc(2025, 2, 3))

        // Day 31 skips the short months.
        #expect(try next("0 0 31 * *", after: utc(2025, 1, 31)) == utc(2025, 3, 31))
        #expect(try next("0 0 31 * *", after: utc(2025, 5, 31)) == utc(2025, 7, 31))
    }

    @Test func impossibleSpecsNeverFire() throws {
        #expect(try next("0 0 30 2 *", after: utc(2025, 1, 1)) == nil)
        #expect(try next("0 0 31 2 *", after: utc(2025, 1, 1)) == nil)
        #expect(try next("0 0 31 4,6,9,11 *", after: utc(2025, 1, 1)) == nil)
    }

    /// Sparse and impossible specs end: the impossible ones with nil (the search is bounded by
    /// `searchYears`, not by the clock), the sparse ones on their exact minute. No timing assertion:
    /// a loaded machine is slow, not wrong.
    @Test func sparseAndImpossibleSpecsEndWithTheRightAnswer() throws {
        let after = utc(2097, 1, 1)
        #expect(try next("0 0 30 2 *", after: after) == nil)
        #expect(try next("0 0 29 2 *", after: after) == utc(2104, 2, 29), "2100 is not a leap year")
        #expect(try next("59 23 31 12 *", after: after) == utc(2097, 12, 31, 23, 59))
        // A star-led day of month: both day fields must match — the next 1 February that is a Monday.
        #expect(try next("0 0 */29 2 mon", after: after) == utc(2100, 2, 1))
    }

    /// nextFire agrees with a minute-by-minute scan using matches().
    @Test(arguments: [
        "*/7 * * * *", "0 2 * * 0", "15 */5 * * 1-5", "0 3 1 * *", "0 0 13 * 5", "*/20 9-10 * * *",
        "0 12 */3 * *", "30 1 * * sat,sun",
    ])
    func agreesWithBruteForce(spec: String) throws {
        let schedule = try CronSchedule(parsing: spec)
        var date = utc(2025, 1, 29, 22, 47, 13)
        for _ in 0..<5 {
            guard let fire = schedule.nextFire(after: date) else {
                Issue.record("no fire for \(spec)")
                return
            }
            #expect(schedule.matches(fire))
            #expect(fire > date)
            #expect(Int(fire.timeIntervalSince1970) % 60 == 0)
            // No earlier matching minute in between (scan at most 40 days).
            var minute = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
            var scanned = 0
            while minute < fire, scanned < 40 * 24 * 60 {
                #expect(!schedule.matches(minute), "\(spec) matches \(minute) before \(fire)")
                minute += 60
                scanned += 1
            }
            date = fire
        }
    }

    @Test func descriptionAndEquality() throws {
        let spec = try CronSchedule(parsing: "0 2 * * 0")
        #expect(spec.description == "0 2 * * 0")
        #expect("\(spec)" == "0 2 * * 0")
        #expect(spec == (try CronSchedule(parsing: "0 2 * * 0")))
        #expect(spec != (try CronSchedule(parsing: "0 3 * * 0")))
        #expect(Set([spec, try CronSchedule(parsing: "0 2 * * 0")]).count == 1)
        // Extra whitespace between fields is fine.
        #expect(try next("  0   3\t1 * *  ", after: utc(2025, 1, 15)) == utc(2025, 2, 1, 3, 0))
    }

    // MARK: Errors

    @Test func fieldCountErrors() {
        #expect(
            parseError("0 2 *")?.message == "expected 5 fields (minute hour day-of-month month day-of-week), got 3")
        #expect(
            parseError("0 0 2 * * 0")?.message
                == "expected 5 fields (minute hour day-of-month month day-of-week), got 6")
        #expect(parseError("")?.message == "expected 5 fields (minute hour day-of-month month day-of-week), got 0")
        #expect(parseError("   ")?.description.contains("got 0") == true)
    }

    @Test(arguments: [
        ("60 * * * *", "minute field '60' is out of range 0-59"),
        ("* 25 * * *", "hour field '25' is out of range 0-23"),
        ("* 20-25 * * *", "hour field '25' is out of range 0-23"),
        ("* * 0 * *", "day-of-month field '0' is out of range 1-31"),
        ("* * 32 * *", "day-of-month field '32' is out of range 1-31"),
        ("* * * 13 *", "month field '13' is out of range 1-12"),
        ("* * * 0 *", "month field '0' is out of range 1-12"),
        ("* * * * 8", "day-of-week field '8' is out of range 0-7"),
    ])
    func outOfRange(spec: String, message: String) {
        #expect(parseError(spec)?.message == message)
    }

    @Test(arguments: [
        ("abc * * * *", "minute field 'abc' is not a valid value (allowed 0-59)"),
        ("* jan * * *", "hour field 'jan' is not a valid value (allowed 0-23)"),
        ("* * * foo *", "month field 'foo' is not a valid value (allowed 1-12 or jan-dec)"),
        ("* * * * funday", "day-of-week field 'funday' is not a valid value (allowed 0-7 or sun-sat)"),
        ("* * * mon *", "month field 'mon' is not a valid value (allowed 1-12 or jan-dec)"),
        ("-5 * * * *", "minute field '-5' is not a valid range (allowed 0-59)"),
        ("1- * * * *", "minute field '1-' is not a valid range (allowed 0-59)"),
        ("* 5-2 * * *", "hour field '5-2' is a range that ends before it starts (allowed 0-23)"),
        ("1,,2 * * * *", "minute field '1,,2' has an empty list element (allowed 0-59)"),
        ("1, * * * *", "minute field '1,' has an empty list element (allowed 0-59)"),
        ("*/0 * * * *", "minute field '*/0' has step 0; the step must be at least 1"),
        ("*/x * * * *", "minute field '*/x' has step 'x', which is not a positive number"),
        ("*/ * * * *", "minute field '*/' has step '', which is not a positive number"),
        ("* */24/2 * * *", "hour field '*/24/2' has more than one '/' step"),
        ("*/61 * * * *", "minute field '*/61' has step 61, larger than the range 0-59"),
        ("1.5 * * * *", "minute field '1.5' is not a valid value (allowed 0-59)"),
    ])
    func malformedField(spec: String, message: String) {
        #expect(parseError(spec)?.message == message)
    }

    @Test func errorIsTypedAndEquatable() {
        #expect(throws: CronError(message: "hour field '25' is out of range 0-23")) {
            try CronSchedule(parsing: "0 25 * * *")
        }
        #expect(parseError("0 25 * * *")?.description == "hour field '25' is out of range 0-23")
    }
}
