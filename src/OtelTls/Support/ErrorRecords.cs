using System.Management.Automation;

namespace OtelTls.Support
{
    /// <summary>
    /// Engine failures as PowerShell errors: the stable error id, the category for the error kind, the target and the
    /// recommended action, the same from every cmdlet and from the worker threads of the pipeline queue.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>Builds the ErrorRecord for an engine failure.</summary>
        public static ErrorRecord From(OtlpTlsException exception)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), exception.Target);
            if (!string.IsNullOrEmpty(exception.RecommendedAction))
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
            }

            return record;
        }

        /// <summary>Maps the engine's error kind to PowerShell's category.</summary>
        public static ErrorCategory Category(OtlpErrorKind kind) => kind switch
        {
            OtlpErrorKind.InvalidData => ErrorCategory.InvalidData,
            OtlpErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            OtlpErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            OtlpErrorKind.ResourceExists => ErrorCategory.ResourceExists,
            OtlpErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            OtlpErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
            OtlpErrorKind.NotImplemented => ErrorCategory.NotImplemented,
            OtlpErrorKind.ConnectionError => ErrorCategory.ConnectionError,
            OtlpErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
            OtlpErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
            OtlpErrorKind.WriteError => ErrorCategory.WriteError,
            OtlpErrorKind.ReadError => ErrorCategory.ReadError,
            OtlpErrorKind.InvalidResult => ErrorCategory.InvalidResult,
            _ => ErrorCategory.NotSpecified,
        };
    }
}
