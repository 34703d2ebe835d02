/// Where a batch at a provider is in the coordinator's hands (the `batches.state` column).
public enum BatchState: String, Sendable, Codable, CaseIterable {
    /// Formed; a worker is to upload and create it at the provider.
    case submitting
    /// Created at the provider; polled until it ends.
    case running
    /// The provider has answered; its results are to be collected.
    case ended
    /// Its results are stored; nothing more to do.
    case collected
}
