using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace OtelTls.Engine.Tests;

/// <summary>Error ids come from one catalogue, and none is also a finding id.</summary>
public class ErrorIdCatalogTests
{
    private static string[] Ids(System.Type catalogue) =>
        catalogue.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(System.AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OtelTls.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("OtelTls.sln not found above the test binaries.");
    }

    [Fact]
    public void NoIdIsBothAnErrorAndAFinding()
    {
        var errors = Ids(typeof(OtlpErrorId));
        Assert.True(errors.Length > 40);
        Assert.Empty(errors.Intersect(Ids(typeof(OtlpFindingId))));
        Assert.Equal(errors.Length, errors.Distinct().Count());
    }

    [Fact]
    public void EveryErrorRaisedInTheSourcesNamesItsIdFromTheCatalogue()
    {
        // A literal id in an OtlpTlsException or ErrorRecord would bypass the catalogue (and the check above).
        var literal = new Regex(@"(OtlpTlsException\(|new\(|ErrorRecord\([^;]*?,)\s*(\w+\s*\?\s*)?""[A-Z][A-Za-z]+""\s*(:\s*""[A-Z][A-Za-z]+""\s*)?,\s*(OtlpErrorKind|ErrorCategory)", RegexOptions.Singleline);
        var source = Path.Combine(RepoRoot(), "src");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => literal.Matches(File.ReadAllText(f)).Select(m => Path.GetFileName(f) + ": " + m.Value))
            .ToList();
        Assert.Empty(offenders);
    }
}
