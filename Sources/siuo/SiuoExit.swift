import ArgumentParser
import Foundation
import Shared

/// Every exit status of every `siuo` command, in one place. `--help` texts
/// and the README list the same table.
enum SiuoExit: Int32, CaseIterable {
    /// The command did what it was asked (`run`: the sweep is done).
    case success = 0
    /// It could not: the database, coordinator or a file write failed, a
    /// named sweep or dataset does not exist (`run`: jobs failed for good,
    /// the sweep is paused or cancelled, or its status cannot be read).
    case failure = 1
    /// Bad input, found before anything was written: unknown flags or
    /// values out of range, missing or shared tokens, a sweep file with problems (each named by file,
    /// line and field), dataset files that cannot be imported, a report file
    /// whose format its extension does not tell, a labels file with problems
    /// (each named by file, line and field; nothing is written).
    case badInput = 2
    /// `run`: the sweep's `budget_usd` is spent while jobs still wait.
    case budgetSpent = 3
    /// `run`: interrupted (SIGINT or SIGTERM); running it again resumes.
    case interrupted = 130

    /// The status as ArgumentParser's type, for `throw`.
    var code: ExitCode { ExitCode(rawValue) }

    /// What the status means, the same words for every command.
    var meaning: String {
        switch self {
        case .success: "success"
        case .failure:
            "failure (the database, the coordinator or a file; `run`: jobs failed for good, the sweep is paused or cancelled, or its status cannot be read)"
        case .badInput:
            "bad input, found before anything was written (flags, tokens, a sweep file with problems, dataset files, a report file extension that names no format, a labels file with problems)"
        case .budgetSpent: "the sweep's budget_usd is spent while jobs wait"
        case .interrupted: "interrupted (SIGINT/SIGTERM); run it again to resume"
        }
    }

    /// The statuses every command but `run` can end with.
    static let common: [SiuoExit] = [.success, .failure, .badInput]

    /// The `--help` paragraph listing `codes`.
    static func discussion(_ codes: [SiuoExit] = common) -> String {
        "Exit status: " + codes.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; ") + "."
    }

    /// Prints what `error` means for the user and exits with its status:
    /// input errors exit 2 with their one-line (per problem) message,
    /// everything else as ArgumentParser would.
    static func terminate(with error: any Error) -> Never {
        switch error {
        case let error as SweepFileError:
            printError(error.description)
            exit(badInput.rawValue)
        case let error as DatasetImportError:
            printError(error.description)
            exit(badInput.rawValue)
        case let error as LabelFileError:
            printError(error.description)
            exit(badInput.rawValue)
        default:
            if Siuo.exitCode(for: error) == .validationFailure {
                printError(Siuo.fullMessage(for: error))
                exit(badInput.rawValue)
            }
            Siuo.exit(withError: error)
        }
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
