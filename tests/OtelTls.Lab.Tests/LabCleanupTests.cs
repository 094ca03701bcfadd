using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using OtelTls.Tests;

namespace OtelTls.Lab.Tests;

/// <summary>Lab folders hold private keys: none outlives the lab that made it, however the lab ends.</summary>
public sealed class LabCleanupTests
{
    [Fact]
    [Trait("Reliability", "Secret")]
    public async Task A_lab_started_and_stopped_in_process_leaves_no_key_folder()
    {
        var lab = await LabScenario.StartAsync("mtls-required");
        var folder = Path.GetDirectoryName(lab.CaFile)!;
        Assert.StartsWith(LabScenario.DirectoryPrefix, Path.GetFileName(folder));
        Assert.True(File.Exists(lab.ClientKeyFile));
        await lab.DisposeAsync();
        Assert.False(Directory.Exists(folder), folder);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void A_lab_process_a_test_disposes_leaves_no_key_folder()
    {
        string folder;
        using (var lab = new LabProcess("mtls-required"))
        {
            folder = Path.GetDirectoryName(lab.ClientKeyFile)!;
            Assert.True(File.Exists(lab.ClientKeyFile));
        }

        Assert.False(Directory.Exists(folder), folder);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void The_key_folder_of_a_killed_lab_SIGKILL_is_removed_by_the_next_lab_start()
    {
        using var lab = new LabProcess("healthy");
        var folder = Path.GetDirectoryName(lab.CaFile)!;
        using (var process = Process.GetProcessById(lab.ProcessId))
        {
            process.Kill(); // SIGKILL: the lab cannot clean up
            Assert.True(process.WaitForExit(10_000));
        }

        Assert.True(Directory.Exists(folder), "SIGKILL cannot be caught, so the folder is still there");
        Assert.Contains(folder, LabScenario.RemoveOrphanedDirectories());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Folders_of_running_labs_are_not_removed_as_orphans()
    {
        using var lab = new LabProcess("healthy");
        var folder = Path.GetDirectoryName(lab.CaFile)!;
        Assert.DoesNotContain(folder, LabScenario.RemoveOrphanedDirectories());
        Assert.True(Directory.Exists(folder));
    }
}
