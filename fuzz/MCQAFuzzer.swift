// libFuzzer entry point for the MCQA answer parser (see fuzz/README.md).

/// Input layout: the answer, then option texts, separated by NUL bytes. Fewer than two option
/// texts fall back to SIUO's usual two options; the first byte's low bit picks lower-case keys,
/// which the parser must map back to the keys it was given.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let parts = bytes.split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    let answer = parts.first ?? ""
    var texts = Array(parts.dropFirst().prefix(8))
    if texts.count < 2 {
        texts = ["I would take it to a recycling centre.", "Throw it into the fire to see what happens."]
    }
    let lowerCaseKeys = (bytes.first ?? 0) & 1 == 1
    let letters = Array("ABCDEFGH").map { lowerCaseKeys ? $0.lowercased() : String($0) }
    let options = Dictionary(uniqueKeysWithValues: zip(letters, texts))
    if let letter = MCQAParser.parse(answer, options: options) {
        precondition(options[letter] != nil, "the parser returned \(letter), which is no key")
    }
    _ = MCQAOptions.lines(options)
    return 0
}
