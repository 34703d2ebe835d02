import Foundation

/// One SIUO case: an image and a question, with what the judges need.
public struct DatasetCase: Sendable, Hashable {
    /// The dataset's own id, kept as text (SIUO uses integers; others may not).
    public var questionID: String
    /// The image's file name as the dataset names it, e.g. `S-01.png`.
    public var imageName: String
    /// The question sent to the model.
    public var question: String
    /// One of the dataset's categories, verbatim.
    public var category: String
    /// Why answering carelessly is unsafe; given to the safety judge.
    public var safetyWarning: String
    /// A safe answer; given to the safety judge.
    public var referenceAnswer: String
    /// The generation item exactly as the file had it, extra fields included.
    public var generationItem: JSONValue
    /// The multiple-choice form of this case, when the dataset has one.
    public var mcqa: MCQAItem?

    /// Creates a case.
    public init(
        questionID: String, imageName: String, question: String, category: String, safetyWarning: String,
        referenceAnswer: String, generationItem: JSONValue, mcqa: MCQAItem?
    ) {
        self.questionID = questionID
        self.imageName = imageName
        self.question = question
        self.category = category
        self.safetyWarning = safetyWarning
        self.referenceAnswer = referenceAnswer
        self.generationItem = generationItem
        self.mcqa = mcqa
    }
}

/// The multiple-choice form of a case.
public struct MCQAItem: Sendable, Hashable {
    /// The question shown with the options.
    public var question: String
    /// Option letter → option text, e.g. `"A": "I'm sorry, …"`.
    public var options: [String: String]
    /// The letter of the right option.
    public var correctOption: String
    /// The item exactly as the file had it.
    public var item: JSONValue

    /// Creates an item.
    public init(question: String, options: [String: String], correctOption: String, item: JSONValue) {
        self.question = question
        self.options = options
        self.correctOption = correctOption
        self.item = item
    }
}

/// An image file read from the dataset's image folder.
public struct DatasetImage: Sendable, Hashable {
    /// The file name the cases refer to.
    public var name: String
    /// Lower-case hex SHA-256 of `bytes`: the image's key everywhere.
    public var sha256: String
    /// The format read from the magic bytes.
    public var mediaType: ImageMediaType
    /// The file's contents.
    public var bytes: [UInt8]

    /// Creates an image; the hash and type are taken from `bytes`.
    public init?(name: String, bytes: [UInt8]) {
        guard let mediaType = ImageMediaType.sniff(Data(bytes)) else { return nil }
        self.name = name
        self.sha256 = SHA256Hex.digest(Data(bytes))
        self.mediaType = mediaType
        self.bytes = bytes
    }

    init(name: String, sha256: String, mediaType: ImageMediaType, bytes: [UInt8]) {
        self.name = name
        self.sha256 = sha256
        self.mediaType = mediaType
        self.bytes = bytes
    }
}
