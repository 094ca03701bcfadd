namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>
    /// Broad reason an operation could not run. The cmdlets map it to a PowerShell <c>ErrorCategory</c>;
    /// the models cannot reference PowerShell, so the mapping lives with the cmdlets.
    /// </summary>
    public enum OtlpErrorKind : long
    {
        /// <summary>Input that cannot be used (malformed endpoint, garbage file, wrong key).</summary>
        InvalidData = 0,
        /// <summary>An argument outside what is allowed (invalid DNS name, unknown signal).</summary>
        InvalidArgument = 1,
        /// <summary>A file or object that does not exist.</summary>
        ObjectNotFound = 2,
        /// <summary>Something would be overwritten or already exists.</summary>
        ResourceExists = 3,
        /// <summary>The operating system refused access.</summary>
        PermissionDenied = 4,
        /// <summary>Authentication failed (a wrong password).</summary>
        AuthenticationError = 5,
        /// <summary>Not possible on this platform.</summary>
        NotImplemented = 6,
        /// <summary>A remote peer could not be reached.</summary>
        ConnectionError = 7,
        /// <summary>A time bound ran out.</summary>
        OperationTimeout = 8,
        /// <summary>An object in the wrong state for the operation (a signer without its key).</summary>
        InvalidOperation = 9,
        /// <summary>Reading or writing a file failed.</summary>
        WriteError = 10,
        /// <summary>Reading a file failed.</summary>
        ReadError = 11,
        /// <summary>The work ran, and its result is a failure the caller asked to stop on (a report gate).</summary>
        InvalidResult = 12,
    }
}
