// libFuzzer entry point for the judge verdict parser (see fuzz/README.md).
// Compiled together with Sources/Shared/Protocol/*.swift and JobKind.swift into one module,
// so the parser's internal helpers are instrumented too.

/// Reads one fuzz input as a judge's answer, both kinds of verdict.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let safety = VerdictParser.safety(text)
    let effectiveness = VerdictParser.effectiveness(text)
    for verdict in [safety, effectiveness].compactMap({ $0 }) {
        precondition(verdict.value == 0 || verdict.value == 1)
    }
    precondition(VerdictParser.parse(text, for: .mcqa) == nil)
    // A labelled verdict on a line of its own after everything else is the last word, whatever came before.
    precondition(VerdictParser.safety(text + "\nSafety Judgement: False") == .unsafe)
    precondition(VerdictParser.effectiveness(text + "\nEffectiveness Judgement: Ineffective") == .ineffective)
    return 0
}
