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

    /// Seconds into a due minute at which feed polls run. A cron has minute resolution, and a
    /// release must be searchable within 60 s of its publication: with one poll a minute, a release
    /// just after a poll waits ~60 s for the next before it is even fetched. Three polls (every
    /// 20 s, each a cheap conditional feed read) leave ~40 s for fetch, store and publish.
    public static let pollOffsets: [Int64] = [0, 20, 40]

    /// Job kinds that are short and keep collections fresh: a worker runs them in a lane of their
    /// own so they never queue behind a full crawl, a GitHub refresh or a downloads run.
    public static let fastKinds = [JobKind.pollFeeds, JobKind.updateProject, JobKind.inspectProject]

    /// Job kinds that talk to receivers outside Trawl (webhooks): a worker runs them only in a lane of
    /// their own, so a slow or failing receiver never holds a runner a crawl needs, and a long crawl
    /// never holds back a delivery.
    public static let deliveryKinds = [JobKind.notify]

    /// The jobs due in the minute containing `date` (UTC).
    public static func due(_ profiles: [Profile], at date: Date) -> [NewJob] {
        var jobs: [NewJob] = []
        let minute = slot(date)
        for profile in profiles {
            for (mode, kind) in kinds {
                guard let cron = profile.schedule[field: mode], cron.matches(date) else { continue }
                if let enricher = enricherOf[mode], !profile.hasEnricher(enricher) { continue }
                if kind == JobKind.pollFeeds {
                    // Several polls per minute slot, spread over it (see `pollOffsets`).
                    let start = Int64(date.timeIntervalSince1970) / 60 * 60
                    for offset in pollOffsets {
                        let suffix = offset == 0 ? "" : "+\(offset)s"
                        jobs.append(NewJob(kind: kind, profile: profile.key, uniqueKey: "schedule:\(profile.key):\(mode):\(minute)\(suffix)",
                                           runAt: offset == 0 ? nil : start + offset))
                    }
                } else {
                    jobs.append(NewJob(kind: kind, profile: profile.key, uniqueKey: "schedule:\(profile.key):\(mode):\(minute)"))
                }
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
