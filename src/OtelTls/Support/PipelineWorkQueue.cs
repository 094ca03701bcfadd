using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace OtelTls.Support
{
    /// <summary>
    /// Runs network work for many pipeline items concurrently, bounded by a throttle, while every Write* call stays on
    /// the pipeline thread (PowerShell requires it): workers only queue events, the cmdlet drains them.
    /// </summary>
    internal sealed class PipelineWorkQueue : IDisposable
    {
        private readonly PSCmdlet cmdlet;
        private readonly SemaphoreSlim throttle;
        private readonly BlockingCollection<Action> events = new();
        private readonly CancellationToken cancellationToken;
        private readonly string activity;
        private readonly bool inputOrder;
        private readonly System.Collections.Generic.Dictionary<int, Action?> held = new();
        private int nextToWrite;
        private int started;
        private int finished;

        // inputOrder: write results in the order the items were started (booleans of -Quiet mean nothing otherwise)
        // instead of as they complete; errors and verbose lines are still written as they happen.
        public PipelineWorkQueue(PSCmdlet cmdlet, int throttleLimit, string activity, CancellationToken cancellationToken, bool inputOrder = false)
        {
            this.cmdlet = cmdlet;
            this.activity = activity;
            this.inputOrder = inputOrder;
            this.cancellationToken = cancellationToken;
            throttle = new SemaphoreSlim(throttleLimit, throttleLimit);
        }

        /// <summary>Starts <paramref name="work"/> for one item; it may narrate, and its result is written when it ends.</summary>
        public void Start(string label, Func<Action<string>, CancellationToken, Task<object>> work)
        {
            var sequence = Interlocked.Increment(ref started) - 1;
            _ = Task.Run(async () =>
            {
                Action? output = null;
                try
                {
                    await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var result = await work(line => Post(() => cmdlet.WriteVerbose(line)), cancellationToken).ConfigureAwait(false);
                        output = () => cmdlet.WriteObject(result);
                    }
                    finally
                    {
                        throttle.Release();
                    }
                }
                catch (OtlpTlsException exception)
                {
                    Post(() => cmdlet.WriteError(ErrorRecords.From(exception)));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopped by Ctrl+C: nothing more to say about this item.
                }
                catch (Exception exception)
                {
                    // A bug or an environment failure must not take the other items down with it.
                    Post(() => cmdlet.WriteError(new ErrorRecord(exception, OtlpErrorId.UnexpectedFailure, ErrorCategory.NotSpecified, label)));
                }
                finally
                {
                    // Posted before counting the item finished, so Complete cannot stop waiting before the result is queued.
                    var write = output;
                    Post(() => Release(sequence, write));
                    Interlocked.Increment(ref finished);
                }
            });
        }

        /// <summary>Writes whatever has arrived, without waiting.</summary>
        public void DrainAvailable()
        {
            while (events.TryTake(out var write))
            {
                write();
            }
        }

        /// <summary>Waits for every started item, writing events and progress as they come.</summary>
        public void Complete()
        {
            var progress = new ProgressRecord(0, activity, "Starting"); // one progress bar per command: any fixed id
            var lastProgress = DateTime.MinValue;
            while (Volatile.Read(ref finished) < Volatile.Read(ref started) || events.Count > 0)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    if (events.TryTake(out var write, 200, cancellationToken))
                    {
                        write();
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var total = Volatile.Read(ref started);
                if (total > 1 && DateTime.UtcNow - lastProgress > TimeSpan.FromMilliseconds(250))
                {
                    var done = Volatile.Read(ref finished);
                    progress.StatusDescription = $"{done} of {total} done";
                    progress.PercentComplete = (int)(100.0 * done / total);
                    cmdlet.WriteProgress(progress);
                    lastProgress = DateTime.UtcNow;
                }
            }

            if (lastProgress != DateTime.MinValue)
            {
                progress.RecordType = ProgressRecordType.Completed;
                cmdlet.WriteProgress(progress);
            }
        }

        /// <summary>Stops accepting events: workers still running after a Ctrl+C finish quietly.</summary>
        public void Dispose() => events.CompleteAdding();

        /// <summary>On the pipeline thread: writes the item's result now, or, in input order, once every earlier item is written.</summary>
        private void Release(int sequence, Action? write)
        {
            if (!inputOrder)
            {
                write?.Invoke();
                return;
            }

            held[sequence] = write;
            while (held.TryGetValue(nextToWrite, out var next))
            {
                held.Remove(nextToWrite);
                nextToWrite++;
                next?.Invoke();
            }
        }

        private void Post(Action write)
        {
            try
            {
                events.Add(write);
            }
            catch (InvalidOperationException)
            {
                // The command has ended (Ctrl+C); late events have nowhere to go.
            }
        }
    }
}
