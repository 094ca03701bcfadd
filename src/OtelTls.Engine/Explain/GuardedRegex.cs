using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
#endif
using System.Text.RegularExpressions;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// A regular expression behind a literal pre-check: words taken from the pattern itself, one of which every match
    /// contains (<see cref="RequiredWords"/>). A line with none of them gets the regex's own "no match" without running it.
    /// </summary>
    /// <remarks>
    /// Why: explaining an error runs a few dozen patterns over its line (the rules until one matches, the runtime markers,
    /// the facts, the redaction), and the patterns whose first character can be almost anything (a word boundary, a
    /// lookbehind, an alternation of anchored and unanchored branches) are tried at every position of the line: on a
    /// 280-character line the runtime markers alone took 8-13 µs. A few ordinal substring searches (vectorised by the
    /// runtime) decide most of them in well under a microsecond.
    /// </remarks>
    internal sealed class GuardedRegex
    {
        /// <summary>Builds the regex and its pre-check from the same pattern and options.</summary>
        public GuardedRegex(string pattern, RegexOptions options)
        {
            Regex = new Regex(pattern, options);
            Required = RequiredWords.Of(pattern, options);
        }

        /// <summary>The regex itself (what answers whenever the pre-check lets a line through).</summary>
        public Regex Regex { get; }

        /// <summary>The words one of which every match contains, or null when the pattern has none worth checking.</summary>
        public RequiredWords? Required { get; }

        /// <summary><see cref="Regex.Match(string)"/>, or <see cref="Match.Empty"/> when the line has none of the required words.</summary>
        public Match Match(string line) => Required is null || Required.MayMatch(line) ? Regex.Match(line) : System.Text.RegularExpressions.Match.Empty;

        /// <summary><see cref="Regex.IsMatch(string)"/>, false at once when the line has none of the required words.</summary>
        public bool IsMatch(string line) => (Required is null || Required.MayMatch(line)) && Regex.IsMatch(line);

        /// <summary><see cref="Regex.Replace(string, string)"/>, the line itself when it has none of the required words.</summary>
        public string Replace(string line, string replacement) =>
            Required is null || Required.MayMatch(line) ? Regex.Replace(line, replacement) : line;
    }

    /// <summary>
    /// Words one of which every match of a pattern contains, read from the pattern: literal runs, alternations of them,
    /// groups that must occur, the contents of positive lookarounds. Optional parts, classes, back-references and
    /// negative lookarounds contribute nothing; a pattern the reader does not understand gets no words (no pre-check).
    /// </summary>
    /// <remarks>
    /// With <see cref="RegexOptions.IgnoreCase"/> the words are compared ordinally ignoring case, which is what the regex
    /// does for ASCII text; beyond ASCII the regex's case equivalences are wider (the Kelvin sign is a "k"), so a line
    /// with any character beyond ASCII always goes to the regex. Tests hold every pattern of the recogniser to its words
    /// (a corpus line the pattern matches no longer matches once each of its words is broken).
    /// </remarks>
    internal sealed class RequiredWords
    {
        /// <summary>Shorter words than this are found in too many ordinary lines to be worth the search.</summary>
        private const int ShortestUseful = 3;

        private readonly string[] _words;

        /// <summary>The words' numbers in <see cref="GuardVocabulary"/>.</summary>
        private readonly int[] _numbers;

        private RequiredWords(string[] words, bool ignoreCase)
        {
            _words = words;
            IgnoreCase = ignoreCase;
            _numbers = GuardVocabulary.Register(words, !ignoreCase);
        }

        /// <summary>The words (any one of them is enough).</summary>
        public IReadOnlyList<string> Words => _words;

        /// <summary>Whether the words are compared ignoring case (the pattern's <see cref="RegexOptions.IgnoreCase"/>).</summary>
        public bool IgnoreCase { get; }

        /// <summary>
        /// Whether the line has one of the words (or a character beyond ASCII, where case rules differ): only then may the
        /// regex match. The words of every pre-check are looked for in one pass over the line, once per line
        /// (<see cref="GuardVocabulary.WordsIn"/>): explaining an error asks some forty pre-checks about the same line, and a
        /// substring search per word (about a hundred) cost more than the regexes they saved.
        /// </summary>
        public bool MayMatch(string line)
        {
            var found = GuardVocabulary.WordsIn(line);
            if (IgnoreCase && !found.Ascii)
            {
                return true;
            }

            foreach (var number in _numbers)
            {
                if (found.Has(number))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The words every match of <paramref name="pattern"/> contains, or null when there are none worth checking.</summary>
        public static RequiredWords? Of(string pattern, RegexOptions options)
        {
            // Options that change what the pattern's characters mean are not read (none of the recogniser's use them).
            const RegexOptions understood = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;
            if ((options & ~understood) != 0)
            {
                return null;
            }

            string[]? words;
            try
            {
                var reader = new PatternReader(pattern);
                words = reader.ReadAlternation();
                if (!reader.AtEnd)
                {
                    return null;
                }
            }
            catch (NotSupportedException)
            {
                return null;
            }

            // A word beyond ASCII would have the regex's own case equivalences (see remarks): no pre-check then.
            return words is null || words.Min(w => w.Length) < ShortestUseful || words.Any(w => !IsAscii(w))
                ? null
                : new RequiredWords(words, (options & RegexOptions.IgnoreCase) != 0);
        }

        internal static bool IsAscii(string text)
        {
#if NET8_0_OR_GREATER
            return System.Text.Ascii.IsValid(text);
#else
            foreach (var c in text)
            {
                if (c > 0x7F)
                {
                    return false;
                }
            }

            return true;
#endif
        }

        /// <summary>
        /// Reads a pattern's syntax far enough to know what text a match must contain. A part of the pattern is read as a
        /// <see cref="Part"/>: the words one of which its match contains, and, where they are literal, the texts it can
        /// only be, start with or end with (so that "(?:token|key)=" requires "token=" or "key=", not only "key"). A
        /// construct the reader does not know throws <see cref="NotSupportedException"/>.
        /// </summary>
        private sealed class PatternReader
        {
            /// <summary>Literal texts combined across items are capped: beyond this many the run simply ends.</summary>
            private const int MostTexts = 64;

            private readonly string _pattern;
            private int _at;

            public PatternReader(string pattern) => _pattern = pattern;

            public bool AtEnd => _at == _pattern.Length;

            /// <summary>The words of the whole pattern (or of a group), read up to its end or its ')'.</summary>
            public string[]? ReadAlternation() => ReadBranches().Words;

            /// <summary>Branches separated by '|': a match is one branch's, so each fact must hold for every branch.</summary>
            private Part ReadBranches()
            {
                var branches = new List<Part>();
                while (true)
                {
                    branches.Add(ReadSequence());
                    if (_at < _pattern.Length && _pattern[_at] == '|')
                    {
                        _at++;
                        continue;
                    }

                    return branches.Count == 1
                        ? branches[0]
                        : new Part(Union(branches.Select(b => b.Words)), Union(branches.Select(b => b.Exact)),
                            Union(branches.Select(b => b.Prefix)), Union(branches.Select(b => b.Suffix)));
                }
            }

            /// <summary>
            /// Items one after another. The literal texts the sequence ends with so far (the run) grow with each literal
            /// character or literal group; zero-width anchors leave the run as it is (they consume nothing); any other
            /// item ends it. Every run and every item that must occur is a candidate for the words, and the best is kept.
            /// </summary>
            private Part ReadSequence()
            {
                string[]? best = null;
                string[]? prefix = null;
                string[]? run = new[] { string.Empty };
                var broken = false;

                void Consider(string[]? words)
                {
                    if (words is not null && words.All(w => w.Length > 0) && (best is null || Better(words, best)))
                    {
                        best = words;
                    }
                }

                void Break(string[]? startsNext)
                {
                    Consider(run);
                    if (!broken)
                    {
                        prefix = run;
                        broken = true;
                    }

                    run = startsNext;
                }

                while (_at < _pattern.Length && _pattern[_at] != '|' && _pattern[_at] != ')')
                {
                    var item = ReadItem();
                    var least = ReadQuantifier();
                    if (item.ZeroWidth && least < 0)
                    {
                        continue;
                    }

                    if (least < 0 && item.Part.Exact is { } exact)
                    {
                        run = Concat(run, exact);
                        if (run is null)
                        {
                            Break(exact);
                        }

                        continue;
                    }

                    if (least < 0 && item.Part.Prefix is { } starts)
                    {
                        Consider(Concat(run, starts));
                    }

                    Break(least < 0 ? item.Part.Suffix : null);
                    if (least != 0)
                    {
                        Consider(item.Part.Words);
                    }
                }

                Consider(run);
                return broken
                    ? new Part(best, null, Usable(prefix), Usable(run))
                    : new Part(best, Usable(run), Usable(run), Usable(run));
            }

            /// <summary>Each text of <paramref name="first"/> followed by each of <paramref name="then"/>, or null when there are too many.</summary>
            private static string[]? Concat(string[]? first, string[] then)
            {
                if (first is null)
                {
                    return null;
                }

                return first.Length * then.Length > MostTexts
                    ? null
                    : first.SelectMany(a => then.Select(b => a + b)).Distinct(StringComparer.Ordinal).ToArray();
            }

            /// <summary>Texts that say something: none of them empty.</summary>
            private static string[]? Usable(string[]? texts) => texts is not null && texts.All(t => t.Length > 0) ? texts : null;

            /// <summary>The union of the branches' texts, or null when one branch has none.</summary>
            private static string[]? Union(IEnumerable<string[]?> branches)
            {
                var union = new List<string>();
                foreach (var texts in branches)
                {
                    if (texts is null)
                    {
                        return null;
                    }

                    union.AddRange(texts);
                }

                return union.Distinct(StringComparer.Ordinal).ToArray();
            }

            /// <summary>The smallest count a quantifier after an item allows, or -1 when there is none.</summary>
            private int ReadQuantifier()
            {
                if (_at >= _pattern.Length)
                {
                    return -1;
                }

                int least;
                switch (_pattern[_at])
                {
                    case '*':
                    case '?':
                        least = 0;
                        _at++;
                        break;
                    case '+':
                        least = 1;
                        _at++;
                        break;
                    case '{' when IsCountQuantifier(_at, out least, out var length):
                        _at += length;
                        break;
                    default:
                        return -1;
                }

                // A lazy quantifier ("+?") allows the same counts.
                if (_at < _pattern.Length && _pattern[_at] == '?')
                {
                    _at++;
                }

                return least;
            }

            /// <summary>"{n}", "{n,}" or "{n,m}" at <paramref name="at"/> (any other '{' is a literal character to .NET).</summary>
            private bool IsCountQuantifier(int at, out int least, out int length)
            {
                var m = CountQuantifier.Match(_pattern, at);
                least = m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                length = m.Length;
                return m.Success;
            }

            private static readonly Regex CountQuantifier = new(@"\G\{(\d+)(,\d*)?\}", RegexOptions.CultureInvariant);

            private static readonly Regex GroupName = new(@"\G(<[A-Za-z_]\w*>|'[A-Za-z_]\w*')", RegexOptions.CultureInvariant);

            private Item ReadItem()
            {
                var c = _pattern[_at++];
                switch (c)
                {
                    case '(':
                        return ReadGroup();
                    case '[':
                        SkipClass();
                        return Item.Nothing;
                    case '.':
                        return Item.Nothing;
                    case '^':
                    case '$':
                        return Item.Anchor;
                    case '\\':
                        return ReadEscape();
                    case '*':
                    case '+':
                    case '?':
                    case '{' when IsCountQuantifier(_at - 1, out _, out _):
                        throw new NotSupportedException("quantifier without an item");
                    default:
                        return Item.Char(c);
                }
            }

            private Item ReadGroup()
            {
                var positive = true;
                var lookaround = false;
                if (_at < _pattern.Length && _pattern[_at] == '?')
                {
                    var next = _at + 1 < _pattern.Length ? _pattern[_at + 1] : '\0';
                    var after = _at + 2 < _pattern.Length ? _pattern[_at + 2] : '\0';
                    if (next == ':' || next == '>')
                    {
                        _at += 2;
                    }
                    else if (next == '=' || next == '!')
                    {
                        (lookaround, positive) = (true, next == '=');
                        _at += 2;
                    }
                    else if (next == '<' && (after == '=' || after == '!'))
                    {
                        (lookaround, positive) = (true, after == '=');
                        _at += 3;
                    }
                    else if (GroupName.Match(_pattern, _at + 1) is { Success: true } name)
                    {
                        _at += 1 + name.Length;
                    }
                    else
                    {
                        // Inline options, conditionals, balancing groups: not read.
                        throw new NotSupportedException("group construct");
                    }
                }

                var inner = ReadBranches();
                if (_at >= _pattern.Length || _pattern[_at] != ')')
                {
                    throw new NotSupportedException("unclosed group");
                }

                _at++;
                if (!lookaround)
                {
                    return new Item(inner, false);
                }

                // A positive lookaround's text is in the line too (beside the match), but the text around it need not be
                // what it saw: it ends a run, as a non-literal item does. A negative one requires nothing.
                return positive ? new Item(new Part(inner.Words, null, null, null), false) : Item.Nothing;
            }

            private void SkipClass()
            {
                // A ']' right after '[' or '[^' is a member, not the end.
                if (_at < _pattern.Length && _pattern[_at] == '^')
                {
                    _at++;
                }

                if (_at < _pattern.Length && _pattern[_at] == ']')
                {
                    _at++;
                }

                while (_at < _pattern.Length && _pattern[_at] != ']')
                {
                    if (_pattern[_at] == '[')
                    {
                        // Class subtraction ("[a-z-[aeiou]]") is not read.
                        throw new NotSupportedException("nested class");
                    }

                    _at += _pattern[_at] == '\\' ? 2 : 1;
                }

                if (_at >= _pattern.Length)
                {
                    throw new NotSupportedException("unclosed class");
                }

                _at++;
            }

            private Item ReadEscape()
            {
                if (_at >= _pattern.Length)
                {
                    throw new NotSupportedException("trailing backslash");
                }

                var c = _pattern[_at++];
                switch (c)
                {
                    case 'b':
                    case 'B':
                    case 'A':
                    case 'z':
                    case 'Z':
                    case 'G':
                        return Item.Anchor;
                    case 'd':
                    case 'D':
                    case 'w':
                    case 'W':
                    case 's':
                    case 'S':
                        return Item.Nothing;
                    case 't':
                        return Item.Char('\t');
                    case 'n':
                        return Item.Char('\n');
                    case 'r':
                        return Item.Char('\r');
                    default:
                        // Any other letter or digit is a construct with its own syntax (\p{..}, \k<..>, \x.., back-references).
                        if (char.IsLetterOrDigit(c))
                        {
                            throw new NotSupportedException("escape \\" + c);
                        }

                        return Item.Char(c);
                }
            }

            /// <summary>Fewer short words first: the shortest word decides how often ordinary text passes.</summary>
            private static bool Better(string[] candidate, string[] current)
            {
                var a = candidate.Min(w => w.Length);
                var b = current.Min(w => w.Length);
                return a != b ? a > b : candidate.Length < current.Length;
            }

            /// <summary>
            /// What a part of the pattern says about its match: <see cref="Words"/> one of which it contains; the literal
            /// texts it can only be (<see cref="Exact"/>), or that it always starts or ends with; each null when unknown.
            /// </summary>
            private readonly struct Part
            {
                public Part(string[]? words, string[]? exact, string[]? prefix, string[]? suffix)
                {
                    Words = words;
                    Exact = exact;
                    Prefix = prefix;
                    Suffix = suffix;
                }

                public string[]? Words { get; }

                public string[]? Exact { get; }

                public string[]? Prefix { get; }

                public string[]? Suffix { get; }
            }

            private readonly struct Item
            {
                public Item(Part part, bool zeroWidth)
                {
                    Part = part;
                    ZeroWidth = zeroWidth;
                }

                public static Item Nothing => default;

                public static Item Anchor => new(default, true);

                public Part Part { get; }

                public bool ZeroWidth { get; }

                public static Item Char(char c) => new(new Part(new[] { c.ToString() }, new[] { c.ToString() }, new[] { c.ToString() }, new[] { c.ToString() }), false);
            }
        }
    }
    /// <summary>
    /// The words of every <see cref="RequiredWords"/>, numbered, and a one-pass search for all of them in a line: each word
    /// is filed under its first three characters, each folded to 6 bits (ASCII letters without case, digits and the
    /// punctuation of the words each their own; other characters share one value, which only costs a comparison), a
    /// 256 Ki-bit table of those keys says at each position whether a word can start there, and only then are the words of
    /// that key compared. The last line searched is remembered per thread, so the pre-checks asked about one line share
    /// one pass. The search is compiled fully optimised at once, as the log scan's are (see <see cref="KeywordGate"/>).
    /// </summary>
    internal static class GuardVocabulary
    {
        private const int KeyBits = 18;

        private static readonly object Sync = new();

        private static readonly List<(string Text, bool Exact)> Words = new();

        private static readonly Dictionary<(string Text, bool Exact), int> Numbers = new();

        /// <summary>Per ASCII character, its 6-bit value in a key (letters without case; 0 for what no word starts with).</summary>
        private static readonly byte[] Folds = BuildFolds();

        /// <summary>The search over the words registered so far; rebuilt when more are registered.</summary>
        private static Search? s_search;

        [ThreadStatic]
        private static Found? t_last;

        /// <summary>Numbers the words (any-case unless <paramref name="exact"/>); a word registered before keeps its number.</summary>
        public static int[] Register(IEnumerable<string> words, bool exact)
        {
            lock (Sync)
            {
                var numbers = new List<int>();
                foreach (var word in words)
                {
                    var entry = (exact ? word : word.ToLowerInvariant(), exact);
                    if (!Numbers.TryGetValue(entry, out var number))
                    {
                        number = Words.Count;
                        Words.Add(entry);
                        Numbers.Add(entry, number);
                        s_search = null;
                    }

                    numbers.Add(number);
                }

                return numbers.ToArray();
            }
        }

        /// <summary>Which words the line has (the same answer for the same line object, searched once per thread).</summary>
        public static Found WordsIn(string line)
        {
            var search = s_search ?? Build();
            var last = t_last;
            if (last is not null && ReferenceEquals(last.Line, line) && ReferenceEquals(last.Search, search))
            {
                return last;
            }

            last = search.Run(line);
            t_last = last;
            return last;
        }

        private static Search Build()
        {
            lock (Sync)
            {
                return s_search ??= new Search(Words.ToArray());
            }
        }

        private static byte[] BuildFolds()
        {
            var folds = new byte[128];
            var next = (byte)1;
            for (var c = 'a'; c <= 'z'; c++)
            {
                folds[c] = folds[char.ToUpperInvariant(c)] = next++;
            }

            foreach (var c in "0123456789 :/.-_='\"(*[]+,?&")
            {
                folds[c] = next++;
            }

            return folds;
        }

        private static int Fold(char c) => c < 128 ? Folds[c] : 0;

        /// <summary>Which words one line has, and whether it is all ASCII.</summary>
        internal sealed class Found
        {
            private readonly ulong[] _bits;

            public Found(string line, Search search, ulong[] bits, bool ascii)
            {
                Line = line;
                Search = search;
                _bits = bits;
                Ascii = ascii;
            }

            public string Line { get; }

            public Search Search { get; }

            /// <summary>Whether every character of the line is ASCII (any-case words are only decided for such lines).</summary>
            public bool Ascii { get; }

            public bool Has(int number) => number < _bits.Length * 64 && (_bits[number >> 6] & (1UL << (number & 63))) != 0;
        }

        /// <summary>The search over a fixed list of words.</summary>
        internal sealed class Search
        {
            private readonly ulong[] _starts = new ulong[(1 << KeyBits) / 64];
            private readonly Dictionary<int, (string Text, bool Exact, int Number)[]> _byKey;
            private readonly int _count;

            public Search((string Text, bool Exact)[] words)
            {
                _count = words.Length;
                _byKey = words.Select((w, i) => (w.Text, w.Exact, Number: i))
                    .GroupBy(w => (Fold(w.Text[0]) << 12) | (Fold(w.Text[1]) << 6) | Fold(w.Text[2]))
                    .ToDictionary(g => g.Key, g => g.ToArray());
                foreach (var key in _byKey.Keys)
                {
                    _starts[key >> 6] |= 1UL << (key & 63);
                }
            }

#if NET8_0_OR_GREATER
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
            public Found Run(string line)
            {
                var bits = new ulong[(_count + 63) / 64];
                var last = line.Length - 3;
                if (last >= 0)
                {
                    var key = (Fold(line[0]) << 6) | Fold(line[1]);
                    for (var i = 0; i <= last; i++)
                    {
                        key = ((key << 6) | Fold(line[i + 2])) & ((1 << KeyBits) - 1);
                        if ((_starts[key >> 6] & (1UL << (key & 63))) == 0)
                        {
                            continue;
                        }

                        foreach (var (text, exact, number) in _byKey[key])
                        {
                            if (text.Length <= line.Length - i && SameAt(line, i, text, exact))
                            {
                                bits[number >> 6] |= 1UL << (number & 63);
                            }
                        }
                    }
                }

                return new Found(line, this, bits, RequiredWords.IsAscii(line));
            }

            /// <summary>
            /// Whether the word is at <paramref name="at"/>: as written, or (an any-case word, kept in lower case) with ASCII
            /// letters in either case. Beyond ASCII the any-case answer is not used (<see cref="Found.Ascii"/>).
            /// </summary>
#if NET8_0_OR_GREATER
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
            private static bool SameAt(string line, int at, string word, bool exact)
            {
                for (var k = 0; k < word.Length; k++)
                {
                    var c = line[at + k];
                    if (!exact && c >= 'A' && c <= 'Z')
                    {
                        c = (char)(c | 0x20);
                    }

                    if (c != word[k])
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
