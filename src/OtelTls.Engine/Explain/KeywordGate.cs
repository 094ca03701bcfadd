using System;
using System.Linq;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// "Does the line contain any of these words?" answered in one pass over the line. Every line of a log passes through
    /// this gate, so it must cost little: one substring search per word (the gate's first form) scanned each line some
    /// 45 to 75 times and made explaining a log 20 times slower than reading it; an alternation regex was slower still.
    /// </summary>
    /// <remarks>
    /// Each word is filed under its first three characters, folded to 5 bits each (ASCII letters without case; other
    /// characters may collide, which only costs a comparison). A 32 Ki-bit table of those keys answers at each position of
    /// the line whether any word can start there; only then are the words of that key compared. Words are ASCII;
    /// any-case words match ASCII letters in either case, the others as written (error codes such as UNAVAILABLE).
    /// </remarks>
    internal sealed class KeywordGate
    {
        private const int KeyBits = 15;

        private readonly ulong[] _starts = new ulong[(1 << KeyBits) / 64];
        private readonly Word[]?[] _words = new Word[]?[1 << KeyBits];

        /// <param name="anyCase">Words matched in any letter case.</param>
        /// <param name="exactCase">Words matched as written.</param>
        public KeywordGate(string[] anyCase, string[]? exactCase = null)
        {
            var words = anyCase.Select(w => new Word(w.ToLowerInvariant(), false))
                .Concat((exactCase ?? Array.Empty<string>()).Select(w => new Word(w, true)))
                .ToList();
            foreach (var word in words)
            {
                if (word.Text.Length < 3 || word.Text.Any(c => c >= 0x80))
                {
                    throw new ArgumentException($"Gate words are ASCII and at least 3 characters long: '{word.Text}'.");
                }
            }

            foreach (var group in words.GroupBy(w => Key(w.Text[0], w.Text[1], w.Text[2])))
            {
                _words[group.Key] = group.ToArray();
                _starts[group.Key >> 6] |= 1UL << (group.Key & 63);
            }
        }

        public bool Matches(string line)
        {
            var last = line.Length - 3;
            if (last < 0)
            {
                return false;
            }

            var starts = _starts;
            // Rolling key: 5 bits per character, the newest in the low bits.
            var key = (Fold(line[0]) << 5) | Fold(line[1]);
            for (var i = 0; i <= last; i++)
            {
                key = ((key << 5) | Fold(line[i + 2])) & ((1 << KeyBits) - 1);
                if ((starts[key >> 6] & (1UL << (key & 63))) != 0 && AnyAt(line, i, key))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The same question for a line of UTF-8 (or any ASCII-compatible) bytes, before it is decoded.</summary>
        public bool Matches(byte[] bytes, int start, int length)
        {
            var last = start + length - 3;
            if (length < 3)
            {
                return false;
            }

            var starts = _starts;
            var key = (Fold((char)bytes[start]) << 5) | Fold((char)bytes[start + 1]);
            for (var i = start; i <= last; i++)
            {
                key = ((key << 5) | Fold((char)bytes[i + 2])) & ((1 << KeyBits) - 1);
                if ((starts[key >> 6] & (1UL << (key & 63))) != 0 && AnyAt(bytes, i, start + length, key))
                {
                    return true;
                }
            }

            return false;
        }

        private bool AnyAt(byte[] bytes, int at, int end, int key)
        {
            foreach (var word in _words[key]!)
            {
                if (word.Text.Length > end - at)
                {
                    continue;
                }

                var same = true;
                for (var k = 0; k < word.Text.Length && same; k++)
                {
                    var c = (char)bytes[at + k];
                    same = c == word.Text[k] || (!word.Exact && (uint)(c - 'A') <= 'Z' - 'A' && (char)(c | 0x20) == word.Text[k]);
                }

                if (same)
                {
                    return true;
                }
            }

            return false;
        }

        private bool AnyAt(string line, int at, int key)
        {
            foreach (var word in _words[key]!)
            {
                if (word.Text.Length <= line.Length - at && (word.Exact ? SameAt(line, at, word.Text) : SameIgnoringAsciiCaseAt(line, at, word.Text)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SameAt(string line, int at, string word) => string.CompareOrdinal(line, at, word, 0, word.Length) == 0;

        private static bool SameIgnoringAsciiCaseAt(string line, int at, string lower)
        {
            for (var k = 0; k < lower.Length; k++)
            {
                var c = line[at + k];
                if (c != lower[k] && !((uint)(c - 'A') <= 'Z' - 'A' && (char)(c | 0x20) == lower[k]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>ASCII letters lose their case (a..z and A..Z both become 1..26); everything else folds somewhere, harmlessly.</summary>
        private static int Fold(char c) => (c | 0x20) & 0x1F;

        private static int Key(char a, char b, char c) => (Fold(a) << 10) | (Fold(b) << 5) | Fold(c);

        private readonly struct Word
        {
            public Word(string text, bool exact)
            {
                Text = text;
                Exact = exact;
            }

            public string Text { get; }

            public bool Exact { get; }
        }
    }
}
