using System;
using System.Collections.Generic;
using System.Linq;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#endif

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// "Does the text contain any of these words?" answered in one pass. Every line of a log passes through this gate, so
    /// it must cost less than reading the line: one substring search per word (the gate's first form) scanned each line
    /// some 45 to 75 times and made explaining a log 20 times slower than reading it; an alternation regex was slower still.
    /// </summary>
    /// <remarks>
    /// <para>Strings (lines fed one by one): each word is filed under its first three characters, folded to 5 bits each
    /// (ASCII letters without case; other characters may collide, which only costs a comparison). A 32 Ki-bit table of
    /// those keys answers at each position of the line whether any word can start there; only then are the words of that
    /// key compared.</para>
    /// <para>Bytes (a log file, searched a block at a time before any line is cut or decoded): each word is represented by
    /// its rarest three consecutive characters (its fingerprint) and put in one of eight buckets. Per fingerprint position,
    /// a byte's low and high nibbles each look up a bucket mask (16-entry tables; a byte may be in a bucket only if both
    /// nibbles are), and a position is a candidate when the masks of its three bytes share a bucket. On .NET 8+ this runs
    /// 32 bytes at a time with byte shuffles (the "Teddy" technique of Hyperscan and Rust's regex); elsewhere one byte at a
    /// time over the same tables. Only a candidate compares the words of its buckets.</para>
    /// <para>Words are ASCII; any-case words match ASCII letters in either case, the others as written (error codes such as
    /// UNAVAILABLE). A word never contains CR or LF, so a match never crosses a line end.</para>
    /// </remarks>
    internal sealed class KeywordGate
    {
        private const int KeyBits = 15;
        private const int Buckets = 8;

        private readonly ulong[] _starts = new ulong[(1 << KeyBits) / 64];
        private readonly Word[]?[] _words = new Word[]?[1 << KeyBits];

        /// <summary>Per bucket, the words in it and where their fingerprint starts in them.</summary>
        private readonly Fingerprinted[][] _buckets = new Fingerprinted[Buckets][];

        /// <summary>Per fingerprint position (0, 1, 2): the buckets a byte may belong to (low nibble mask AND high nibble mask).</summary>
        private readonly byte[][] _byteMasks = { new byte[256], new byte[256], new byte[256] };

        /// <summary>Per fingerprint position: the low-nibble and the high-nibble tables the byte masks are made of.</summary>
        private readonly byte[][] _low = { new byte[16], new byte[16], new byte[16] };

        private readonly byte[][] _high = { new byte[16], new byte[16], new byte[16] };

        /// <summary>Whether byte searches may use vector instructions (tests switch them off to check the scalar loop).</summary>
        private readonly bool _vectorised;

        /// <param name="anyCase">Words matched in any letter case.</param>
        /// <param name="exactCase">Words matched as written.</param>
        /// <param name="vectorised">Whether byte searches may use vector instructions where the processor has them.</param>
        public KeywordGate(string[] anyCase, string[]? exactCase = null, bool vectorised = true)
        {
            _vectorised = vectorised;
            var words = anyCase.Select(w => new Word(w.ToLowerInvariant(), false))
                .Concat((exactCase ?? Array.Empty<string>()).Select(w => new Word(w, true)))
                .ToList();
            foreach (var word in words)
            {
                if (word.Text.Length < 3 || word.Text.Any(c => c >= 0x80 || c == '\r' || c == '\n'))
                {
                    throw new ArgumentException($"Gate words are ASCII without line ends and at least 3 characters long: '{word.Text}'.");
                }
            }

            foreach (var group in words.GroupBy(w => Key(w.Text[0], w.Text[1], w.Text[2])))
            {
                _words[group.Key] = group.ToArray();
                _starts[group.Key >> 6] |= 1UL << (group.Key & 63);
            }

            BuildFingerprints(words);
#if NET8_0_OR_GREATER
            _vectors = new Vector128<byte>[6];
            for (var k = 0; k < 3; k++)
            {
                _vectors[2 * k] = Vector128.Create(_low[k]);
                _vectors[(2 * k) + 1] = Vector128.Create(_high[k]);
            }
#endif
        }

        /// <summary>Whether byte searches may use vector instructions.</summary>
        public bool Vectorised => _vectorised;

        /// <summary>Whether the line contains one of the words.</summary>
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
        public bool Matches(byte[] bytes, int start, int length) => IndexIn(bytes, start, start + length) >= 0;

        /// <summary>
        /// Where one of the words starts in <c>bytes[from..end)</c> (the first candidate that proves to be a word, in the
        /// order of the words' fingerprints), or -1. A word that runs past <paramref name="end"/> does not count.
        /// </summary>
        public int IndexIn(byte[] bytes, int from, int end)
        {
            if (from < 0 || end > bytes.Length || from > end)
            {
                throw new ArgumentOutOfRangeException(nameof(end));
            }

            var i = from;
#if NET8_0_OR_GREATER
            if (_vectorised && Avx2.IsSupported)
            {
                var found = IndexInAvx2(bytes, from, end, ref i);
                if (found >= 0)
                {
                    return found;
                }
            }
            else if (_vectorised && (Ssse3.IsSupported || AdvSimd.Arm64.IsSupported))
            {
                var found = IndexIn128(bytes, from, end, ref i);
                if (found >= 0)
                {
                    return found;
                }
            }
#endif
            var m0 = _byteMasks[0];
            var m1 = _byteMasks[1];
            var m2 = _byteMasks[2];
            for (; i + 3 <= end; i++)
            {
                var buckets = m0[bytes[i]] & m1[bytes[i + 1]] & m2[bytes[i + 2]];
                if (buckets != 0)
                {
                    var found = Confirm(bytes, i, buckets, from, end);
                    if (found >= 0)
                    {
                        return found;
                    }
                }
            }

            return -1;
        }

#if NET8_0_OR_GREATER
        private readonly Vector128<byte>[] _vectors;

        /// <summary>32 positions per step; leaves <paramref name="i"/> where the scalar loop takes over (the last 33 bytes).</summary>
        private int IndexInAvx2(byte[] bytes, int from, int end, ref int i)
        {
            ref var data = ref MemoryMarshal.GetArrayDataReference(bytes);
            var nibble = Vector256.Create((byte)0x0F);
            var low0 = Vector256.Create(_vectors[0], _vectors[0]);
            var high0 = Vector256.Create(_vectors[1], _vectors[1]);
            var low1 = Vector256.Create(_vectors[2], _vectors[2]);
            var high1 = Vector256.Create(_vectors[3], _vectors[3]);
            var low2 = Vector256.Create(_vectors[4], _vectors[4]);
            var high2 = Vector256.Create(_vectors[5], _vectors[5]);
            for (; i + 34 <= end; i += 32)
            {
                var v0 = Vector256.LoadUnsafe(ref data, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref data, (nuint)(i + 1));
                var v2 = Vector256.LoadUnsafe(ref data, (nuint)(i + 2));
                var m = Avx2.Shuffle(low0, v0 & nibble) & Avx2.Shuffle(high0, Vector256.ShiftRightLogical(v0.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low1, v1 & nibble) & Avx2.Shuffle(high1, Vector256.ShiftRightLogical(v1.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low2, v2 & nibble) & Avx2.Shuffle(high2, Vector256.ShiftRightLogical(v2.AsUInt16(), 4).AsByte() & nibble);
                if (m == Vector256<byte>.Zero)
                {
                    continue;
                }

                var candidates = ~Vector256.Equals(m, Vector256<byte>.Zero).ExtractMostSignificantBits();
                while (candidates != 0)
                {
                    var at = i + BitOperations.TrailingZeroCount(candidates);
                    var found = Confirm(bytes, at, m.GetElement(at - i), from, end);
                    if (found >= 0)
                    {
                        return found;
                    }

                    candidates &= candidates - 1;
                }
            }

            return -1;
        }

        /// <summary>16 positions per step (SSSE3 or Arm64 table lookups); leaves <paramref name="i"/> for the scalar loop.</summary>
        private int IndexIn128(byte[] bytes, int from, int end, ref int i)
        {
            ref var data = ref MemoryMarshal.GetArrayDataReference(bytes);
            var nibble = Vector128.Create((byte)0x0F);
            for (; i + 18 <= end; i += 16)
            {
                var m = Lookup(Vector128.LoadUnsafe(ref data, (nuint)i), 0, nibble)
                    & Lookup(Vector128.LoadUnsafe(ref data, (nuint)(i + 1)), 1, nibble)
                    & Lookup(Vector128.LoadUnsafe(ref data, (nuint)(i + 2)), 2, nibble);
                if (m == Vector128<byte>.Zero)
                {
                    continue;
                }

                var candidates = ~Vector128.Equals(m, Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFF;
                while (candidates != 0)
                {
                    var at = i + BitOperations.TrailingZeroCount(candidates);
                    var found = Confirm(bytes, at, m.GetElement(at - i), from, end);
                    if (found >= 0)
                    {
                        return found;
                    }

                    candidates &= candidates - 1;
                }
            }

            return -1;
        }

        private Vector128<byte> Lookup(Vector128<byte> v, int position, Vector128<byte> nibble)
        {
            var low = v & nibble;
            var high = Vector128.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
            return Ssse3.IsSupported
                ? Ssse3.Shuffle(_vectors[2 * position], low) & Ssse3.Shuffle(_vectors[(2 * position) + 1], high)
                : AdvSimd.Arm64.VectorTableLookup(_vectors[2 * position], low) & AdvSimd.Arm64.VectorTableLookup(_vectors[(2 * position) + 1], high);
        }
#endif

        /// <summary>Compares the words of the candidate's buckets whose fingerprint would sit at <paramref name="at"/>.</summary>
        private int Confirm(byte[] bytes, int at, int buckets, int from, int end)
        {
            for (var bucket = 0; bucket < Buckets; bucket++)
            {
                if ((buckets & (1 << bucket)) == 0)
                {
                    continue;
                }

                foreach (var candidate in _buckets[bucket])
                {
                    var start = at - candidate.Offset;
                    if (start >= from && start + candidate.Word.Text.Length <= end && SameAt(bytes, start, candidate.Word))
                    {
                        return start;
                    }
                }
            }

            return -1;
        }

        private static bool SameAt(byte[] bytes, int at, Word word)
        {
            var text = word.Text;
            for (var k = 0; k < text.Length; k++)
            {
                var c = (char)bytes[at + k];
                if (c != text[k] && (word.Exact || (uint)(c - 'A') > 'Z' - 'A' || (char)(c | 0x20) != text[k]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Picks each word's rarest three characters (by a rough frequency of characters in logs) and spreads the words over
        /// the buckets, words with the same first fingerprint character together, so each bucket's nibble sets stay small
        /// and an ordinary position rarely looks like a candidate.
        /// </summary>
        private void BuildFingerprints(List<Word> words)
        {
            var fingerprinted = words
                .Select(w => new Fingerprinted(w, Enumerable.Range(0, w.Text.Length - 2).OrderBy(o => Commonness(w.Text, o)).ThenBy(o => o).First()))
                .OrderBy(f => char.ToLowerInvariant(f.Word.Text[f.Offset]))
                .ThenBy(f => f.Word.Text.Substring(f.Offset, 3), StringComparer.OrdinalIgnoreCase)
                .ToList();
            for (var bucket = 0; bucket < Buckets; bucket++)
            {
                var first = bucket * fingerprinted.Count / Buckets;
                var next = (bucket + 1) * fingerprinted.Count / Buckets;
                _buckets[bucket] = fingerprinted.Skip(first).Take(next - first).ToArray();
                foreach (var candidate in _buckets[bucket])
                {
                    for (var k = 0; k < 3; k++)
                    {
                        foreach (var c in Cases(candidate.Word, candidate.Word.Text[candidate.Offset + k]))
                        {
                            _low[k][c & 0x0F] |= (byte)(1 << bucket);
                            _high[k][c >> 4] |= (byte)(1 << bucket);
                        }
                    }
                }
            }

            for (var k = 0; k < 3; k++)
            {
                for (var b = 0; b < 256; b++)
                {
                    _byteMasks[k][b] = (byte)(_low[k][b & 0x0F] & _high[k][b >> 4]);
                }
            }
        }

        private static IEnumerable<char> Cases(Word word, char c) =>
            !word.Exact && c >= 'a' && c <= 'z' ? new[] { c, (char)(c - 0x20) } : new[] { c };

        /// <summary>How often the three characters at <paramref name="offset"/> are expected in ordinary log text (a product of rough weights).</summary>
        private static double Commonness(string word, int offset)
        {
            var product = 1.0;
            for (var k = 0; k < 3; k++)
            {
                var c = char.ToLowerInvariant(word[offset + k]);
                var rank = " etaoinsrhldcumfpgwybvkxjqz".IndexOf(c);
                product *= rank >= 0 ? 30 - rank : c >= '0' && c <= '9' ? 15 : ":./-_=\",".IndexOf(c) >= 0 ? 12 : 3;
            }

            return product;
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

        private readonly struct Fingerprinted
        {
            public Fingerprinted(Word word, int offset)
            {
                Word = word;
                Offset = offset;
            }

            public Word Word { get; }

            /// <summary>Where the fingerprint's three characters start in the word.</summary>
            public int Offset { get; }
        }
    }
}
