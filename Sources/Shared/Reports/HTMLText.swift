/// Text made safe for HTML and SVG, in element content and in quoted attributes alike, and
/// for a terminal the document is printed on.
enum HTMLText {
    /// `text` with `& < > " '` replaced by character references, and every control character
    /// a terminal would act on (`TerminalText.isControl`: escape sequences, bidirectional
    /// overrides) but line breaks and tabs replaced by U+FFFD.
    static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            case "\n", "\t", "\r": escaped.append(scalar)
            case _ where TerminalText.isControl(scalar): escaped.append("\u{FFFD}")
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
