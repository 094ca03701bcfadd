using System.Management.Automation;

namespace OtelTls.Support
{
    /// <summary>
    /// A line for the host, written as Write-Host writes it: to the information stream with the PSHOST tag, so the console
    /// shows it even when the caller discards the output (CI agents read logging commands from the console).
    /// </summary>
    internal static class HostText
    {
        private static readonly string[] Tags = { "PSHOST" };

        /// <summary>Writes <paramref name="line"/> to the host through <paramref name="cmdlet"/>'s information stream.</summary>
        public static void WriteLine(Cmdlet cmdlet, string line) =>
            cmdlet.WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, Tags);
    }
}
