/// Fills `{name}` placeholders in a prompt template.
public enum PromptRenderer {
    /// `template` with every `{name}` whose `name` is a key of `values` replaced by its value.
    ///
    /// Keys are bare names (`"question"`, not `"{question}"`). The template is scanned once, left
    /// to right, so a substituted value is never scanned again: a model response that itself
    /// contains `{response}` or `{question}` reaches the judge verbatim. Placeholders with no
    /// value are left as they are, because users' templates may contain braces of their own.
    public static func render(_ template: String, values: [String: String]) -> String {
        // Braces are ASCII, and an ASCII byte never occurs inside another
        // character's UTF-8 encoding: the scan works on bytes, which is many
        // times faster than walking characters, and cuts only between Unicode scalars.
        let names = values.map { (name: Array($0.key.utf8), value: $0.value) }
        var output: [UInt8] = []
        output.reserveCapacity(template.utf8.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var template = template
        template.withUTF8 { bytes in
            let open = UInt8(ascii: "{")
            let close = UInt8(ascii: "}")
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                guard byte == open else {
                    output.append(byte)
                    continue
                }
                var end = index
                while end < bytes.count, bytes[end] != open, bytes[end] != close { end += 1 }
                let name = UnsafeBufferPointer(rebasing: bytes[index..<end])
                guard end < bytes.count, bytes[end] == close, let value = names.first(where: { $0.name.elementsEqual(name) })?.value else {
                    output.append(open)
                    continue
                }
                output.append(contentsOf: value.utf8)
                index = end + 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
