import OneCheckUtilities
/// Bounded pieces of error messages: a value is quoted and cut to ``maximumValueLength`` characters, a list to
/// ``maximumListLength`` items, so that no message grows with the data (a 1,500-level column once made a 64 KB one).
public enum ErrorText {
    /// The most characters of one quoted value.
    public static let maximumValueLength = 80
    /// The most items of one list.
    public static let maximumListLength = 10

    /// `text` in double quotes, control characters escaped, cut after ``maximumValueLength`` characters with `…`.
    public static func quoted(_ text: String) -> String {
        QuotedText.quoted(text, limit: maximumValueLength)
    }

    /// The items joined by `separator`, at most ``maximumListLength`` of them, then `(and k more)`.
    public static func list(_ items: [String], separator: String = ", ") -> String {
        let shown = items.prefix(maximumListLength).joined(separator: separator)
        return items.count > maximumListLength ? shown + "\(separator)(and \(items.count - maximumListLength) more)" : shown
    }

    /// ``list(_:separator:)`` of quoted items.
    public static func quotedList(_ items: [String]) -> String {
        list(items.map(quoted))
    }
}
