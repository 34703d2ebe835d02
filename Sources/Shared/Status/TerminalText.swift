import Foundation

/// Untrusted text (model, judge and provider words) made safe to print on a terminal: escape
/// sequences (CSI, OSC, DCS and other `ESC` forms, and their 8-bit C1 openers) are removed
/// whole, every other control character and the bidirectional overrides and isolates become
/// nothing, and line breaks and tabs become spaces, so the text stays on the line it is given.
public enum TerminalText {
    /// `text` without escape sequences, control characters or bidirectional controls.
    public static func safe(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return scalars.next()
        }
        while let scalar = next() {
            switch scalar.value {
            case 0x1B:  // ESC
                guard let introducer = next() else { break }
                switch introducer {
                case "[": skipControlSequence(&scalars, pending: &pending)
                case "]", "P", "X", "^", "_": skipString(&scalars)
                default: break  // a two-character escape: both dropped
                }
            case 0x9B:  // CSI
                skipControlSequence(&scalars, pending: &pending)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:  // DCS, SOS, OSC, PM, APC
                skipString(&scalars)
            case 0x09, 0x0A, 0x0D:
                output.append(" ")
            case _ where isControl(scalar):
                break
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// JSON text (an encoder's output) with every character `isControl` names written as a `\uXXXX`
    /// escape: the document means the same, and printed it cannot move or restyle the terminal.
    /// Encoders escape C0 controls already but pass C1 controls, DEL and the bidirectional marks
    /// through; tabs, line breaks and carriage returns are left, as in encoded JSON they only lay
    /// the document out.
    public static func escapingJSON(_ data: Data) -> String {
        var output = ""
        output.unicodeScalars.reserveCapacity(data.count)
        for scalar in String(decoding: data, as: UTF8.self).unicodeScalars {
            if isControl(scalar), scalar.value != 0x09, scalar.value != 0x0A, scalar.value != 0x0D {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Whether `scalar` moves or restyles what a terminal shows rather than showing itself: C0
    /// and C1 controls, DEL, and the bidirectional marks, overrides and isolates. The one list of
    /// them: the JSON log format escapes the same ones.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Parameter and intermediate bytes, then one final byte (`@` to `~`).
    private static func skipControlSequence(_ scalars: inout String.UnicodeScalarView.Iterator, pending: inout Unicode.Scalar?) {
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) { return }
            if !(0x20...0x3F).contains(scalar.value) {
                pending = scalar  // not part of a sequence: handle it as text
                return
            }
        }
    }

    /// Everything up to BEL, `ESC \` or the 8-bit ST.
    private static func skipString(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x07, 0x9C: return
            case 0x1B:
                if scalars.next() == "\\" { return }
            default: continue
            }
        }
    }
}
