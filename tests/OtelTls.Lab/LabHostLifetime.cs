using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace OtelTls.Lab;

/// <summary>
/// The lab's hosts start and stop only when told to. The default console lifetime would take over SIGINT/SIGTERM of
/// whatever process hosts the lab (a test runner, the console) and then wait for a shutdown nobody asks for.
/// </summary>
internal sealed class LabHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
