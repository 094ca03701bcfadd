using System;
using System.Management.Automation;
using System.Threading;

namespace OtelTls.Commands
{
    /// <summary>
    /// Base for every OtelTls cmdlet: turns Ctrl+C into cancellation and engine exceptions into ErrorRecords with a
    /// stable id, the right category, the target and a recommended action.
    /// </summary>
    public abstract class OtlpCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancellationToken => _stopping.Token;

        /// <summary>Signals cancellation to work in progress.</summary>
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Releases the cancellation source.</summary>
        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Builds the ErrorRecord for an engine failure.</summary>
        protected static ErrorRecord ToErrorRecord(OtlpTlsException exception)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, MapCategory(exception.Kind), exception.Target);
            if (!string.IsNullOrEmpty(exception.RecommendedAction))
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
            }

            return record;
        }

        /// <summary>Reports a per-item failure and lets the pipeline go on.</summary>
        protected void WriteEngineError(OtlpTlsException exception) => WriteError(ToErrorRecord(exception));

        /// <summary>Stops the cmdlet: only for failures after which nothing can continue.</summary>
        protected void ThrowEngineError(OtlpTlsException exception) => ThrowTerminatingError(ToErrorRecord(exception));

        /// <summary>Stops the cmdlet from a helper outside the class (argument readers shared by several cmdlets).</summary>
        internal void ThrowError(OtlpTlsException exception) => ThrowEngineError(exception);

        /// <summary>Runs one unit of work; an engine failure becomes a non-terminating error for that item.</summary>
        protected bool TryRun(Action work)
        {
            try
            {
                work();
                return true;
            }
            catch (OtlpTlsException exception)
            {
                WriteEngineError(exception);
                return false;
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        /// <summary>Maps the engine's error kind to PowerShell's category.</summary>
        internal static ErrorCategory MapCategory(OtlpErrorKind kind) => kind switch
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
            _ => ErrorCategory.NotSpecified,
        };
    }
}
