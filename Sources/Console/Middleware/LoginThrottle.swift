import Foundation

/// Limits failed logins per account and per address: after ``maxPerAccount`` failures for one account (or
/// ``maxPerAddress`` from one address) within ``window``, further attempts are refused without checking the
/// password until the oldest failure leaves the window. A successful login clears the account's failures.
public actor LoginThrottle {
    public let window: TimeInterval
    public let maxPerAccount: Int
    public let maxPerAddress: Int
    private var accountFailures: [String: [Date]] = [:]
    private var addressFailures: [String: [Date]] = [:]

    public init(window: TimeInterval = 900, maxPerAccount: Int = 5, maxPerAddress: Int = 20) {
        self.window = window
        self.maxPerAccount = maxPerAccount
        self.maxPerAddress = maxPerAddress
    }

    /// Whether an attempt for `account` from `address` at `now` may be checked.
    public func allows(account: String, address: String, now: Date) -> Bool {
        prune(now)
        return accountFailures[account, default: []].count < maxPerAccount
            && addressFailures[address, default: []].count < maxPerAddress
    }

    public func recordFailure(account: String, address: String, now: Date) {
        accountFailures[account, default: []].append(now)
        addressFailures[address, default: []].append(now)
    }

    public func recordSuccess(account: String) {
        accountFailures[account] = nil
    }

    private func prune(_ now: Date) {
        let cutoff = now.addingTimeInterval(-window)
        accountFailures = accountFailures.compactMapValues { dates in
            let kept = dates.filter { $0 > cutoff }
            return kept.isEmpty ? nil : kept
        }
        addressFailures = addressFailures.compactMapValues { dates in
            let kept = dates.filter { $0 > cutoff }
            return kept.isEmpty ? nil : kept
        }
    }
}
