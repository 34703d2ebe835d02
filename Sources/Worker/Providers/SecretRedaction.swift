import Foundation

/// Masks anything that looks like an API key in text bound for logs and the
/// database. Codecs never put a key into a message themselves, but providers
/// and proxies sometimes echo the key they were sent in an error body.
enum SecretRedaction {
    /// Prefixes of the key formats the supported providers issue.
    private static let keyPrefixes = ["sk-", "sk_", "AIza", "xai-", "gsk_", "key-", "pk-", "hf_"]
    /// Request ids are long and random too, but users need them to talk to support.
    private static let keptPrefixes = ["req_", "req-", "chatcmpl-", "msg_"]

    /// `text` with every key-like word replaced by `[redacted]`.
    static func redact(_ text: String) -> String {
        var output = ""
        var word = ""
        for character in text {
            if isWordCharacter(character) {
                word.append(character)
            } else {
                output += masked(word) + String(character)
                word = ""
            }
        }
        return output + masked(word)
    }

    private static func masked(_ word: String) -> String {
        looksLikeKey(word) ? "[redacted]" : word
    }

    private static func looksLikeKey(_ word: String) -> Bool {
        if keptPrefixes.contains(where: word.hasPrefix) { return false }
        if word.count >= 12, keyPrefixes.contains(where: word.hasPrefix) { return true }
        // Azure keys are 32 hex digits; other providers' are longer random runs.
        return word.count >= 32 && word.contains(where: \.isLetter) && word.contains(where: \.isNumber)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }
}
