using System;
using System.IO;
using System.Linq;
using System.Text;

namespace OtelTls.HelpBuilder;

/// <summary>
/// <c>OtelTls.HelpBuilder &lt;docs/en-US&gt; &lt;out/OtelTls/en-US&gt;</c>: writes OtelTls.dll-Help.xml from the cmdlet pages
/// and about_*.help.txt from the about_ pages. Any page that cannot be read fails the build with its file name.
/// </summary>
public static class Program
{
    /// <summary>Entry point: 0 on success, 1 when a page cannot be converted, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: OtelTls.HelpBuilder <docs/en-US folder> <output en-US folder>");
            return 2;
        }

        try
        {
            Build(args[0], args[1]);
            return 0;
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            // MSBuild shows "error :" lines as build errors.
            Console.Error.WriteLine("error : " + e.Message);
            return 1;
        }
    }

    /// <summary>Converts every page in <paramref name="docs"/> into <paramref name="output"/>.</summary>
    public static void Build(string docs, string output)
    {
        Directory.CreateDirectory(output);
        var pages = Directory.GetFiles(docs, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var commands = pages.Where(p => !Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            .Select(p => MarkdownHelp.Parse(File.ReadAllText(p), p)).ToList();
        Write(Path.Combine(output, "OtelTls.dll-Help.xml"), MamlWriter.Write(commands).Declaration + "\n" + MamlWriter.Write(commands).Root);

        foreach (var page in pages.Where(p => Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase)))
        {
            var name = Path.GetFileNameWithoutExtension(page);
            var markdown = File.ReadAllText(page);
            var text = name == "about_OtelTls_Findings"
                ? AboutTopic.RenderFindings(markdown, AboutTopic.CatalogueIds())
                : AboutTopic.Render(markdown);
            Write(Path.Combine(output, name + ".help.txt"), text);
        }
    }

    /// <summary>Writes through a temporary file and a rename, so Get-Help never reads half a file.</summary>
    private static void Write(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
