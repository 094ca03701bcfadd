using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using OtelTls.Engine.Explain;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The parts of the log scan that have more than one implementation: each byte search of <see cref="KeywordGate"/> that
/// this processor runs against the scalar loop and against a plain search for the words, and the vectorised line-end
/// counting against the one-byte-at-a-time loop that netstandard2.0 (Windows PowerShell) runs.
/// </summary>
public class LogScanTests
{
    /// <summary>The byte searches this machine can run other than the scalar loop (a search it cannot run is not listed).</summary>
    public static IEnumerable<object[]> VectorSearches =>
        Enum.GetValues(typeof(GateSearch)).Cast<GateSearch>()
            .Where(s => s != GateSearch.Scalar && KeywordGate.IsSupported(s))
            .Select(s => new object[] { s.ToString() });

    /// <summary>
    /// With the recogniser's own word lists (both gates), every search finds what the scalar loop finds, and that is a word
    /// when and only when the text holds one: words in any case, near misses, words cut by the range's ends, CR and LF, and
    /// bytes of 0x80 and more whose low seven bits spell a word's letters (the AVX-512 tables read those as ASCII).
    /// </summary>
    [Theory]
    [MemberData(nameof(VectorSearches))]
    public void EveryByteSearchFindsWhatTheScalarLoopFinds(string name)
    {
        var search = (GateSearch)Enum.Parse(typeof(GateSearch), name);
        var gates = new (string[] AnyCase, string[] Exact)[]
        {
            (TlsErrorExplainer.PreCheckWords, Array.Empty<string>()),
            (TlsErrorExplainer.FailureAnyCase, TlsErrorExplainer.FailureExactCase),
        };
        foreach (var (anyCase, exact) in gates)
        {
            var vector = new KeywordGate(anyCase, exact, search);
            var scalar = new KeywordGate(anyCase, exact, GateSearch.Scalar);
            Assert.Equal(search, vector.Search);
            var words = anyCase.Select(w => (Text: w.ToLowerInvariant(), Exact: false)).Concat(exact.Select(w => (Text: w, Exact: true))).ToList();
            var pieces = words.Select(w => w.Text)
                .Concat(words.Select(w => w.Text.ToUpperInvariant()))
                .Concat(words.Select(w => w.Text.Substring(0, w.Text.Length - 1)))
                .Concat(words.Select(w => w.Text.Substring(1)))
                .Concat(new[] { "Unavailable", "unable_to", "processed", "protocol", "expires", "certificate", "\r", "\n", "\r\n", " ", "q" })
                .Select(p => Encoding.ASCII.GetBytes(p))
                .Concat(new[] { new byte[] { 0xE5, 0xF2, 0xF2, 0xEF, 0xF2 }, new byte[] { 0xC3, 0xA9 }, new byte[] { 0xE2, 0x9C, 0x93 } })
                .ToArray();
            var random = new Random(2026 + (int)search);
            var found = 0;
            for (var n = 0; n < 6000; n++)
            {
                var bytes = new List<byte>();
                var length = random.Next(0, 400);
                while (bytes.Count < length)
                {
                    if (random.Next(6) == 0)
                    {
                        bytes.AddRange(pieces[random.Next(pieces.Length)]);
                    }
                    else
                    {
                        bytes.Add((byte)random.Next('a', 'z' + 1));
                    }
                }

                var buffer = bytes.ToArray();
                var from = random.Next(0, Math.Min(buffer.Length, 70) + 1);
                var end = buffer.Length - random.Next(0, Math.Min(buffer.Length - from, 70) + 1);
                var at = vector.IndexIn(buffer, from, end);
                Assert.Equal(scalar.IndexIn(buffer, from, end), at);
                var any = Enumerable.Range(from, end - from).Any(i => words.Any(w => WordAt(buffer, i, end, w.Text, w.Exact)));
                Assert.Equal(any, at >= 0);
                Assert.True(at < 0 || words.Any(w => WordAt(buffer, at, end, w.Text, w.Exact)), $"{search} found no word at {at}");
                found += at >= 0 ? 1 : 0;
            }

            // The random texts must exercise both answers.
            Assert.InRange(found, 600, 5400);
        }
    }

    private static bool WordAt(byte[] bytes, int at, int end, string word, bool exact)
    {
        if (at + word.Length > end)
        {
            return false;
        }

        for (var k = 0; k < word.Length; k++)
        {
            var c = (char)bytes[at + k];
            var folded = !exact && c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
            if (folded != word[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Line ends are counted (LF, CR, CRLF once) and the last one found alike by the vectorised code and the scalar loop
    /// of netstandard2.0, and as a plain count says: ranges shorter and longer than a vector, a CR only in the vector part
    /// or only in the tail, CRLF split by the range's start, no line end at all.
    /// </summary>
    [Fact]
    public void LineEndsAreCountedAlikeByTheVectorisedAndTheScalarCode()
    {
        var random = new Random(1406);
        var pieces = new[] { "\n", "\r", "\r\n", "\n\r", "abc", "x", " tls ", "\u00e9" }.Select(Encoding.UTF8.GetBytes).ToArray();
        for (var n = 0; n < 5000; n++)
        {
            var bytes = new List<byte>();
            var length = random.Next(0, 300);
            var lineEnds = random.Next(4);
            while (bytes.Count < length)
            {
                var piece = pieces[random.Next(pieces.Length)];
                // Some texts without CR (the common case the vector pass answers alone), some without any line end.
                if (lineEnds == 0 && piece.Any(b => b == '\r' || b == '\n') || lineEnds == 1 && piece.Contains((byte)'\r'))
                {
                    continue;
                }

                bytes.AddRange(random.Next(3) == 0 ? piece : new[] { (byte)random.Next('a', 'z' + 1) });
            }

            var buffer = bytes.ToArray();
            var start = random.Next(0, Math.Min(buffer.Length, 40) + 1);
            var end = buffer.Length - random.Next(0, Math.Min(buffer.Length - start, 40) + 1);
            var expected = 0;
            for (var i = start; i < end; i++)
            {
                expected += buffer[i] == '\r' || buffer[i] == '\n' && (i == start || buffer[i - 1] != '\r') ? 1 : 0;
            }

            var last = -1;
            for (var i = start; i < end; i++)
            {
                last = buffer[i] == '\r' || buffer[i] == '\n' ? i : last;
            }

            Assert.Equal(expected, TlsErrorExplainer.CountLineEnds(buffer, start, end));
            Assert.Equal(expected, TlsErrorExplainer.CountLineEndsScalar(buffer, start, end));
            Assert.Equal(last, TlsErrorExplainer.LastLineEnd(buffer, start, end));
            Assert.Equal(last, TlsErrorExplainer.LastLineEndScalar(buffer, start, end));
        }
    }
}
