/// Fills `{name}` placeholders in a prompt template.
public enum PromptRenderer {
    /// `template` with every `{name}` whose `name` is a key of `values` replaced by its value.
    ///
    /// Keys are bare names (`"question"`, not `"{question}"`). The template is scanned once, left
    /// to right, so a substituted value is never scanned again: a model response that itself
    /// contains `{response}` or `{question}` reaches the judge verbatim. Placeholders with no
    /// value are left as they are, because users' templates may contain braces of their own.
    public static func render(_ template: String, values: [String: String]) -> String {
        var output = ""
        output.reserveCapacity(template.utf8.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }),
                rest[close] == "}", let value = values[String(rest[afterOpen..<close])]
            else {
                output.append("{")
                rest = rest[afterOpen...]
                continue
            }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output
    }
}
