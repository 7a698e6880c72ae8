/// The value of one option of a source or enricher, as typed in a profile file.
public enum OptionValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case strings([String])
}

/// The validated options of one `sources:` or `enrichers:` entry. Typed accessors keep plugins
/// free of YAML: by the time a plugin sees its options the validator has checked every type.
public struct PluginOptions: Sendable, Equatable {
    public var values: [String: OptionValue]

    public init(_ values: [String: OptionValue] = [:]) {
        self.values = values
    }

    public func string(_ name: String) -> String? {
        if case .string(let s) = values[name] { return s }
        return nil
    }

    public func strings(_ name: String) -> [String] {
        switch values[name] {
        case .strings(let list): return list
        case .string(let s): return [s]
        default: return []
        }
    }

    public func bool(_ name: String, default fallback: Bool = false) -> Bool {
        if case .bool(let b) = values[name] { return b }
        return fallback
    }

    public func int(_ name: String) -> Int? {
        if case .int(let i) = values[name] { return i }
        return nil
    }
}

/// The type an option must have in the profile file.
public enum OptionType: String, Sendable {
    case string
    case bool = "boolean"
    case int = "integer"
    case stringList = "list of strings"
}

/// Declares one option a plugin kind accepts: the validator checks profiles against these, so a
/// plugin states its contract once and the error messages follow from it.
public struct OptionSpec: Sendable {
    public var name: String
    public var type: OptionType
    public var required: Bool
    /// For strings and list items: the only values allowed (nil = any).
    public var allowedValues: [String]?
    /// Extra check of a string or of each list item; returns what is wrong, or nil.
    public var check: (@Sendable (String) -> String?)?
    public var help: String

    public init(
        _ name: String, _ type: OptionType, required: Bool = false, allowed: [String]? = nil,
        help: String = "", check: (@Sendable (String) -> String?)? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.allowedValues = allowed
        self.check = check
        self.help = help
    }
}

/// A source or enricher kind as the registry and the profile validator know it.
public struct PluginDescriptor: Sendable {
    public var kind: String
    public var summary: String
    public var options: [OptionSpec]

    public init(kind: String, summary: String, options: [OptionSpec] = []) {
        self.kind = kind
        self.summary = summary
        self.options = options
    }
}
