using System;

namespace OtelTls
{
    /// <summary>
    /// The one exception the engine throws for a failure a user can act on. It carries a stable error id (scripts match
    /// on it), a kind that maps to a PowerShell error category, the target (path, endpoint) and what to do about it.
    /// </summary>
    public sealed class OtlpTlsException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="errorId">Stable PascalCase id, e.g. <c>CertificateFileNotFound</c>.</param>
        /// <param name="kind">Broad reason, mapped to an ErrorCategory by the cmdlets.</param>
        /// <param name="message">A full sentence naming the thing (file, host, subject).</param>
        /// <param name="target">The path, endpoint or value the error is about.</param>
        /// <param name="recommendedAction">What the user should do.</param>
        /// <param name="innerException">The underlying exception, if any.</param>
        public OtlpTlsException(string errorId, OtlpErrorKind kind, string message, object? target = null,
            string? recommendedAction = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
            RecommendedAction = recommendedAction;
        }

        /// <summary>Stable PascalCase error id.</summary>
        public string ErrorId { get; }

        /// <summary>Broad reason, mapped to a PowerShell ErrorCategory.</summary>
        public OtlpErrorKind Kind { get; }

        /// <summary>The path, endpoint or value the error is about.</summary>
        public object? Target { get; }

        /// <summary>What the user should do about it.</summary>
        public string? RecommendedAction { get; }
    }
}
