using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OtelTls.Module.Tests;

/// <summary>
/// The module's promises, checked over whatever cmdlets exist: every [Cmdlet] class in the built OtelTls.dll is exported
/// and listed in the manifest, declares [OutputType], has a help page that documents each parameter; the format file loads
/// and names real properties; the layers stay one way. A new cmdlet is covered without touching this file.
/// </summary>
public class ModuleContractTests
{
    private static readonly string[] Editions = { "net8.0", "net472" };

    private static string Bin(string framework) => Path.Combine(ModulePaths.ModuleDirectory, "bin", framework);

    [Fact]
    public void ExportedCmdletsAreTheCmdletClassesAndTheManifestList()
    {
        var classes = CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll")).Select(c => c.Name).OrderBy(n => n).ToList();
        Assert.Contains("New-OtlpCertificate", classes);
        Assert.Contains("Get-OtlpCertificate", classes);

        using var session = new PowerShellSession();
        var exported = session.Run("(Get-Module OtelTls).ExportedCmdlets.Keys").Output.Cast<string>().OrderBy(n => n).ToList();
        Assert.Equal(classes, exported);
        Assert.Equal(classes, ManifestList("CmdletsToExport").OrderBy(n => n).ToList());

        // Both editions ship the same cmdlets.
        Assert.Equal(classes, CmdletClass.ReadAll(Path.Combine(Bin("net472"), "OtelTls.dll")).Select(c => c.Name).OrderBy(n => n).ToList());
    }

    [Fact]
    public void CmdletNamesUseApprovedVerbsAndOtlpNounsAndChangesSupportWhatIf()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic),
                typeof(VerbsLifecycle), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields()).Select(f => (string)f.GetValue(null)!).ToHashSet(StringComparer.Ordinal);
        var changing = new[] { VerbsCommon.New, VerbsCommon.Set, VerbsCommon.Clear, VerbsCommon.Remove, VerbsCommon.Add, VerbsData.Update };
        foreach (var cmdlet in CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll")))
        {
            var (verb, noun) = (cmdlet.Name.Split('-')[0], cmdlet.Name.Split('-')[1]);
            Assert.Contains(verb, approved);
            Assert.StartsWith("Otlp", noun, StringComparison.Ordinal);
            Assert.Equal(cmdlet.TypeName, $"OtelTls.Commands.{verb}{noun}Command");
            if (changing.Contains(verb))
            {
                Assert.True(cmdlet.SupportsShouldProcess, $"{cmdlet.Name} changes state and must support -WhatIf/-Confirm.");
            }
        }
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputTypeAndItIsOurs()
    {
        var classes = CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll"));
        Assert.All(classes, c => Assert.True(c.HasOutputType, $"{c.TypeName} has no [OutputType]."));
        Assert.All(classes, c => Assert.True(c.IsSealed, $"{c.TypeName} should be sealed."));

        using var session = new PowerShellSession();
        var outputTypes = session.Run("Get-Command -Module OtelTls | ForEach-Object { $n = $_.Name; $_.OutputType | ForEach-Object { \"$n=$($_.Name)\" } }")
            .Output.Cast<string>().ToList();
        foreach (var cmdlet in classes)
        {
            var types = outputTypes.Where(t => t.StartsWith(cmdlet.Name + "=", StringComparison.Ordinal)).Select(t => t[(cmdlet.Name.Length + 1)..]).ToList();
            Assert.NotEmpty(types);
            // Output is Models or BCL types only: engine and package types are invisible behind the load context.
            Assert.All(types, t => Assert.Matches(@"^(OtelTls\.[A-Za-z]+|System\.[A-Za-z.]+)(\[\])?$", t));
        }
    }

    [Fact]
    public void EveryCmdletHasAHelpPageThatDocumentsEachParameter()
    {
        using var session = new PowerShellSession();
        foreach (var cmdlet in CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll")))
        {
            var page = Path.Combine(ModulePaths.RepoRoot, "docs", "en-US", cmdlet.Name + ".md");
            Assert.True(File.Exists(page), $"{cmdlet.Name} has no help page at {page}.");
            var text = File.ReadAllText(page);
            foreach (var section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## OUTPUTS" })
            {
                Assert.True(text.Contains("\n" + section + "\n", StringComparison.Ordinal), $"{page} lacks '{section}'.");
            }

            var examples = Regex.Split(text, @"\n### Example ").Skip(1).ToList();
            Assert.True(examples.Count >= 2, $"{page} needs at least two examples.");
            Assert.True(examples.Any(e => Regex.IsMatch(e, @"```powershell[^`]*\|[^`]*```")), $"{page} needs an example that pipes.");

            var parameters = session.Run(
                    "(Get-Command $args[0]).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }",
                    cmdlet.Name)
                .Output.Cast<string>().OrderBy(p => p).ToList();
            // -WhatIf and -Confirm are documented too (platyPS does), where the cmdlet has them.
            var documented = Regex.Matches(text, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).OrderBy(p => p).ToList();
            Assert.Equal(parameters, documented);
        }
    }

    [Fact]
    public void TheFormatFileLoadsAndNamesRealProperties()
    {
        var formatFile = Path.Combine(ModulePaths.ModuleDirectory, "OtelTls.format.ps1xml");
        Assert.Contains("OtelTls.format.ps1xml", ManifestList("FormatsToProcess"));
        _ = new FormatTable(new[] { formatFile }); // throws FormatTableLoadException on any error

        using var session = new PowerShellSession();
        var models = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "OtelTls.Models");
        foreach (var view in XDocument.Load(formatFile).Descendants("View"))
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            var type = models.GetType(typeName);
            Assert.True(type is not null, $"The view '{view.Element("Name")!.Value}' is for '{typeName}', which OtelTls.Models does not define.");
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
            {
                Assert.True(type!.GetProperty(property) is not null, $"{typeName} has no property '{property}' (view '{view.Element("Name")!.Value}').");
            }

            foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
            {
                Parser.ParseInput(script, out _, out var errors);
                Assert.Empty(errors);
            }
        }
    }

    [Fact]
    public void ACertificateRendersThroughItsTableView()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "Import-Module -Assembly $args[1]; " +
            "New-OtlpCertificate -Type CA -CommonName 'Render Root' -OutputDirectory $args[0] | New-OtlpCertificate -Type Server -DnsName render.example -IPAddress 10.1.2.3 -OutputDirectory $args[0] | Out-String -Width 200",
            dir.Path, typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly);
        result.AssertNoErrors();
        var lines = Assert.IsType<string>(Assert.Single(result.Output)).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^Subject\s+Issuer\s+NotAfter\s+Days\s+CA\s+Names\s+Path$", lines[0]);
        Assert.Matches(@"^CN=render\.example\s+CN=Render Root\s+\d{4}-\d{2}-\d{2}\s+36[45]\s+False\s+render\.example, 10\.1\.2\.3\s+server\.crt$", lines[2]);
    }

    [Fact]
    public void ResultsConvertToCompactJsonWithEnumNames()
    {
        using var session = new PowerShellSession();
        var models = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "OtelTls.Models");

        // ConvertTo-Json writes Int64-based enums as names and other enums as numbers; a new enum must follow.
        var enums = models.GetExportedTypes().Where(t => t.IsEnum).ToList();
        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.True(Enum.GetUnderlyingType(e) == typeof(long), $"{e.Name} must be declared ': long' so ConvertTo-Json writes its names."));
        // An X509Certificate2 property would be dumped whole by ConvertTo-Json; certificates travel as summary + PEM.
        var dumped = models.GetExportedTypes().SelectMany(t => t.GetProperties().Where(p => p.PropertyType == typeof(System.Security.Cryptography.X509Certificates.X509Certificate2))
            .Select(p => $"{t.Name}.{p.Name}")).ToList();
        Assert.Empty(dumped);

        var json = Assert.IsType<string>(Assert.Single(session.Run(
            "Import-Module -Assembly $args[0]; [pscustomobject]@{ Severity = [OtelTls.OtlpSeverity]::Warning; Status = [OtelTls.OtlpStatus]::Failed } | ConvertTo-Json -Compress",
            typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly).Output));
        Assert.Equal("{\"Severity\":\"Warning\",\"Status\":\"Failed\"}", json);
    }

    [Fact]
    public void TheLayersPointOneWay()
    {
        foreach (var framework in Editions)
        {
            var engine = Path.Combine(Bin(framework), "deps", "OtelTls.Engine.dll");
            var models = Path.Combine(Bin(framework), "OtelTls.Models.dll");
            var cmdlets = Path.Combine(Bin(framework), "OtelTls.dll");

            Assert.DoesNotContain(References(engine), IsPowerShell);
            Assert.DoesNotContain(References(models), IsPowerShell);
            Assert.DoesNotContain("OtelTls.Engine", References(models));
            Assert.DoesNotContain("OtelTls", References(models));
            Assert.Contains("OtelTls.Models", References(engine));

            // The cmdlets may bind to the engine, never to a package behind it: another module's older copy could answer.
            var packages = Directory.GetFiles(Path.Combine(Bin(framework), "deps"), "*.dll")
                .Select(Path.GetFileNameWithoutExtension).Where(n => n != "OtelTls.Engine").ToList();
            Assert.NotEmpty(packages);
            Assert.Empty(References(cmdlets).Intersect(packages!));
        }
    }

    [Fact]
    public void HelpLivesOnlyInDocsEnUs()
    {
        // A second copy of a help page (docs/<Cmdlet>.md, as a file or a link) drifts from the one Get-Help shows.
        var cmdlets = CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll")).Select(c => c.Name + ".md").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var docs = Path.Combine(ModulePaths.RepoRoot, "docs");
        var misplaced = Directory.GetFiles(docs, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetDirectoryName(f)!.Equals(Path.Combine(docs, "en-US"), StringComparison.Ordinal) && cmdlets.Contains(Path.GetFileName(f)))
            .Concat(Directory.GetFileSystemEntries(docs, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).LinkTarget is not null))
            .Distinct().ToList();
        Assert.True(misplaced.Count == 0, "Outside docs/en-US: " + string.Join(", ", misplaced));
    }

    [Fact]
    public void FindingWordingLivesInOneCatalogueAStage()
    {
        // A finding made where its rule is (an id next to a severity) is wording outside the stage's catalogue
        // (DiagnosisFindings, CertificateFindings, ConfigurationFindings, ExportFindings, CollectorFindings, ExplainFindings).
        var madeInPlace = new System.Text.RegularExpressions.Regex(@"OtlpFindingId\.\w+\s*,\s*[^,;]*OtlpSeverity\.");
        var outside = Directory.GetFiles(Path.Combine(ModulePaths.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).EndsWith("Findings.cs", StringComparison.Ordinal) && madeInPlace.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(ModulePaths.RepoRoot, f))
            .ToList();
        Assert.True(outside.Count == 0, "Findings worded outside a *Findings.cs catalogue: " + string.Join(", ", outside));
    }

    [Fact]
    public void TheCommandsNamespaceHoldsOnlyCmdlets()
    {
        // Loaders, argument transformations and helpers live elsewhere (OtelTls.Loading, OtelTls.Support); the logic in the engine.
        using var stream = File.OpenRead(Path.Combine(Bin("net8.0"), "OtelTls.dll"));
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var cmdlets = CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll")).Select(c => c.TypeName).ToHashSet(StringComparer.Ordinal);
        var inCommands = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Where(t => t.GetDeclaringType().IsNil && metadata.GetString(t.Namespace) == "OtelTls.Commands")
            .Select(t => (Name: "OtelTls.Commands." + metadata.GetString(t.Name), Abstract: (t.Attributes & System.Reflection.TypeAttributes.Abstract) != 0))
            .ToList();
        Assert.NotEmpty(inCommands);
        Assert.All(inCommands, t => Assert.True(cmdlets.Contains(t.Name) || (t.Abstract && t.Name.EndsWith("Cmdlet", StringComparison.Ordinal)),
            $"{t.Name} is neither a cmdlet nor a cmdlet base class."));
    }

    [Fact]
    public void PesterScenariosParseAndCallOnlyCmdletsThatExist()
    {
        // Pester does not run on machines without pwsh: at least the syntax and the cmdlet names are checked everywhere.
        var cmdlets = CmdletClass.ReadAll(Path.Combine(Bin("net8.0"), "OtelTls.dll")).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var files = Directory.GetFiles(Path.Combine(ModulePaths.RepoRoot, "tests", "Pester"), "*.Tests.ps1");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var ast = Parser.ParseFile(file, out _, out var errors);
            Assert.True(errors.Length == 0, $"{file}: " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
            var ours = ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
                .Select(c => c.GetCommandName()).Where(n => n is not null && Regex.IsMatch(n, @"^\w+-Otlp\w+$")).Distinct();
            Assert.All(ours, n => Assert.True(cmdlets.Contains(n!), $"{Path.GetFileName(file)} calls {n}, which the module does not export."));
        }
    }

    private static bool IsPowerShell(string assembly) =>
        assembly == "System.Management.Automation" || assembly.StartsWith("Microsoft.PowerShell", StringComparison.Ordinal);

    private static List<string> References(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    /// <summary>A list from the source manifest, read with PowerShell's own parser (no script is run).</summary>
    private static List<string> ManifestList(string key)
    {
        var ast = Parser.ParseFile(Path.Combine(ModulePaths.RepoRoot, "OtelTls.psd1"), out _, out var errors);
        Assert.Empty(errors);
        var table = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
        var entry = table.KeyValuePairs.Single(p => string.Equals((p.Item1 as StringConstantExpressionAst)?.Value, key, StringComparison.OrdinalIgnoreCase));
        return entry.Item2.FindAll(a => a is StringConstantExpressionAst, searchNestedScriptBlocks: false)
            .Cast<StringConstantExpressionAst>().Select(s => s.Value).ToList();
    }

    /// <summary>A [Cmdlet] class read from metadata, so the list comes from the compiled assembly itself, not from PowerShell.</summary>
    private sealed record CmdletClass(string TypeName, string Name, bool HasOutputType, bool IsSealed, bool SupportsShouldProcess)
    {
        public static List<CmdletClass> ReadAll(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            var result = new List<CmdletClass>();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(handle);
                string? name = null;
                var hasOutputType = false;
                var shouldProcess = false;
                foreach (var attributeHandle in type.GetCustomAttributes())
                {
                    var attribute = metadata.GetCustomAttribute(attributeHandle);
                    switch (AttributeTypeName(metadata, attribute))
                    {
                        case "System.Management.Automation.CmdletAttribute":
                            var value = attribute.DecodeValue(new StringTypeProvider());
                            name = $"{value.FixedArguments[0].Value}-{value.FixedArguments[1].Value}";
                            shouldProcess = value.NamedArguments.Any(a => a.Name == "SupportsShouldProcess" && a.Value is true);
                            break;
                        case "System.Management.Automation.OutputTypeAttribute":
                            hasOutputType = true;
                            break;
                    }
                }

                if (name is not null)
                {
                    var typeName = metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
                    Assert.True((type.Attributes & System.Reflection.TypeAttributes.Public) != 0, $"{typeName} is a [Cmdlet] but not public.");
                    result.Add(new CmdletClass(typeName, name, hasOutputType, (type.Attributes & System.Reflection.TypeAttributes.Sealed) != 0, shouldProcess));
                }
            }

            return result;
        }

        private static string AttributeTypeName(MetadataReader metadata, CustomAttribute attribute)
        {
            EntityHandle parent = attribute.Constructor.Kind switch
            {
                HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
                HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
                _ => default,
            };
            return parent.Kind switch
            {
                HandleKind.TypeReference => Name(metadata.GetTypeReference((TypeReferenceHandle)parent)),
                HandleKind.TypeDefinition => metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)parent).Namespace) + "." +
                                             metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
                _ => string.Empty,
            };

            string Name(TypeReference reference) => metadata.GetString(reference.Namespace) + "." + metadata.GetString(reference.Name);
        }
    }

    /// <summary>Enough of a type provider to decode [Cmdlet(verb, noun, Named = ...)]: strings, and enums as their int value.</summary>
    private sealed class StringTypeProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
