public import Foundation

/// Turns profiles' `schedule:` into jobs for one minute. Each job carries a slot key
/// (`schedule:{profile}:{mode}:{yyyyMMddHHmm}`) that the queue accepts once, so any number of
/// workers may run the scheduler and a slot still yields one job.
public enum JobSchedule {
    /// Schedule field → job kind.
    public static let kinds: [(mode: String, kind: String)] = [
        ("incremental", JobKind.pollFeeds), ("refresh", JobKind.refreshProfile),
        ("downloads", JobKind.enrichDownloads), ("full", JobKind.fullFetch), ("github", JobKind.updateGitHub),
    ]

    /// Schedule fields that run one enricher: due only for profiles that list it (a profile
    /// without `github` gets no `update_github` job, whatever the default schedule says).
    static let enricherOf = ["downloads": "downloads", "github": "github"]

    /// The jobs due in the minute containing `date` (UTC).
    public static func due(_ profiles: [Profile], at date: Date) -> [NewJob] {
        var jobs: [NewJob] = []
        let minute = slot(date)
        for profile in profiles {
            for (mode, kind) in kinds {
                guard let cron = profile.schedule[field: mode], cron.matches(date) else { continue }
                if let enricher = enricherOf[mode], !profile.hasEnricher(enricher) { continue }
                jobs.append(NewJob(kind: kind, profile: profile.key, uniqueKey: "schedule:\(profile.key):\(mode):\(minute)"))
            }
        }
        return jobs
    }

    /// `yyyyMMddHHmm` of the UTC minute.
    public static func slot(_ date: Date) -> String {
        let c = CronSchedule.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))"
    }
}
