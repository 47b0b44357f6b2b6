/// The five standardised elements of check content (监管要素): every supervision item and every element-specific
/// feature belongs to one of them.
public enum Element: String, CaseIterable, Codable, Sendable {
    case people, equipment, environment, rules, product
}
