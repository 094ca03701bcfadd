using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using OtelTls.Engine.Certificates;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// Base for every OtelTls cmdlet: turns Ctrl+C into cancellation and engine exceptions into ErrorRecords with a
    /// stable id, the right category, the target and a recommended action.
    /// </summary>
    public abstract class OtlpCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        // Certificate arguments given as .NET objects with a private key become private temporary files while they are
        // bound (OtlpCertificateArgumentAttribute); they belong to this command and go when it is disposed.
        private readonly long _temporaryFilesMark = PlatformCertificates.Mark();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancellationToken => _stopping.Token;

        /// <summary>Signals cancellation to work in progress.</summary>
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Releases the cancellation source.</summary>
        public void Dispose()
        {
            ReleaseResources();
            PlatformCertificates.ReleaseSince(_temporaryFilesMark);
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases what the command held for its whole run (PowerShell disposes the cmdlet when the pipeline ends).</summary>
        protected virtual void ReleaseResources()
        {
        }

        /// <summary>Reports a per-item failure and lets the pipeline go on.</summary>
        protected void WriteEngineError(OtlpTlsException exception) => WriteError(ErrorRecords.From(exception));

        /// <summary>Stops the cmdlet: only for failures after which nothing can continue. Always throws.</summary>
        [DoesNotReturn]
        protected void ThrowEngineError(OtlpTlsException exception)
        {
            ThrowTerminatingError(ErrorRecords.From(exception));
            throw exception; // not reached: ThrowTerminatingError throws (this tells the compiler so)
        }

        /// <summary>A path argument as a file the command writes or names for another program: full provider path; null stays null.</summary>
        protected string? ResolveOutputPath(string? path) => path is null ? null : PathResolution.ResolveForOutput(this, path);

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

        /// <summary>
        /// Reads a -CaCertificate argument (paths with wildcards, FileInfo, or OtlpCertificate objects) into the trusted
        /// list; null when none was given (the system store applies). A CA that cannot be read stops the command: no check
        /// could be right without it.
        /// </summary>
        protected IReadOnlyList<OtlpCertificate>? ResolveCaCertificates(object[]? items, SecureString? password = null)
        {
            if (items is null || items.Length == 0)
            {
                WriteVerbose("Trusting the system trust store (no -CaCertificate).");
                return null;
            }

            var trusted = new List<OtlpCertificate>();
            foreach (var item in items)
            {
                var value = item is PSObject wrapped ? wrapped.BaseObject : item;
                switch (value)
                {
                    case OtlpCertificate certificate:
                        trusted.Add(certificate);
                        break;
                    case FileInfo file:
                        trusted.AddRange(ReadOrStop(file.FullName, password));
                        break;
                    case string path when path.Length > 0:
                        foreach (var file in PathResolution.ResolveExisting(this, path, literal: false))
                        {
                            trusted.AddRange(ReadOrStop(file, password));
                        }

                        break;
                    default:
                        ThrowEngineError(new OtlpTlsException(OtlpErrorId.CaCertificateInvalid, OtlpErrorKind.InvalidArgument,
                            $"-CaCertificate takes file paths or OtlpCertificate objects, not '{value}'.", value,
                            "Pass a CA file (ca.crt) or the objects Get-OtlpCertificate returns."));
                        break;
                }
            }

            if (trusted.Count == 0)
            {
                ThrowEngineError(new OtlpTlsException(OtlpErrorId.CaCertificateNotFound, OtlpErrorKind.ObjectNotFound,
                    "-CaCertificate named no readable certificate.", items, "Check the CA file paths."));
            }

            WriteVerbose($"Trusting {trusted.Count} certificate(s): {string.Join("; ", trusted.Select(t => t.Subject))}.");
            return trusted;
        }

        /// <summary>Reads certificates from a file the command cannot do without; a failure ends the command.</summary>
        protected IReadOnlyList<OtlpCertificate> ReadOrStop(string file, SecureString? password = null)
        {
            try
            {
                return CertificateReader.ReadFile(file, SecureStrings.ToPlainText(password));
            }
            catch (OtlpTlsException exception)
            {
                ThrowEngineError(exception);
                throw; // not reached: ThrowTerminatingError throws
            }
        }
    }
}
