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
    /// four consecutive characters (its fingerprint; a three-character word takes any fourth byte) and put in one of eight
    /// buckets, both chosen so that ordinary text rarely looks like a candidate. Per fingerprint position, a byte's low and
    /// high nibbles each look up a bucket mask (16-entry tables; a byte may be in a bucket only if both nibbles are), and a
    /// position is a candidate when the masks of its four bytes share a bucket and its first three bytes are a
    /// fingerprint's (a 32 Ki-bit table). On .NET 8+ this runs
    /// 32 bytes at a time with byte shuffles (the "Teddy" technique of Hyperscan and Rust's regex); elsewhere one byte at a
    /// time over the same tables. Only a candidate compares the words of its buckets.</para>
    /// <para>Words are ASCII; any-case words match ASCII letters in either case, the others as written (error codes such as
    /// UNAVAILABLE). A word never contains CR or LF, so a match never crosses a line end.</para>
    /// </remarks>
    internal sealed class KeywordGate
    {
        private const int KeyBits = 15;
        private const int Buckets = 8;

        /// <summary>Fingerprint length: four bytes (a three-character word takes any byte as its fourth).</summary>
        private const int Positions = 4;

        private readonly ulong[] _starts = new ulong[(1 << KeyBits) / 64];
        private readonly Word[]?[] _words = new Word[]?[1 << KeyBits];

        /// <summary>Per bucket, the words in it and where their fingerprint starts in them.</summary>
        private readonly Fingerprinted[][] _buckets = new Fingerprinted[Buckets][];

        /// <summary>Per fingerprint position (0, 1, 2): the buckets a byte may belong to (low nibble mask AND high nibble mask).</summary>
        private readonly byte[][] _byteMasks = { new byte[256], new byte[256], new byte[256], new byte[256] };

        /// <summary>The fingerprints' keys (as <see cref="Key"/> folds them): a candidate's three bytes must be one.</summary>
        private readonly ulong[] _fingerprints = new ulong[(1 << KeyBits) / 64];

        /// <summary>Per fingerprint position: the low-nibble and the high-nibble tables the byte masks are made of.</summary>
        private readonly byte[][] _low = { new byte[16], new byte[16], new byte[16], new byte[16] };

        private readonly byte[][] _high = { new byte[16], new byte[16], new byte[16], new byte[16] };

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
            _vectors = new Vector128<byte>[2 * Positions];
            for (var k = 0; k < Positions; k++)
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
            var m3 = _byteMasks[3];
            for (; i + 3 <= end; i++)
            {
                // At the very end only three-character words can start; their fourth fingerprint byte is any byte.
                var buckets = m0[bytes[i]] & m1[bytes[i + 1]] & m2[bytes[i + 2]] & (i + 3 < end ? m3[bytes[i + 3]] : 0xFF);
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

        /// <summary>32 positions per step; leaves <paramref name="i"/> where the scalar loop takes over (the last 34 bytes).</summary>
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
            var low3 = Vector256.Create(_vectors[6], _vectors[6]);
            var high3 = Vector256.Create(_vectors[7], _vectors[7]);
            for (; i + 35 <= end; i += 32)
            {
                var v0 = Vector256.LoadUnsafe(ref data, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref data, (nuint)(i + 1));
                var v2 = Vector256.LoadUnsafe(ref data, (nuint)(i + 2));
                var v3 = Vector256.LoadUnsafe(ref data, (nuint)(i + 3));
                var m = Avx2.Shuffle(low0, v0 & nibble) & Avx2.Shuffle(high0, Vector256.ShiftRightLogical(v0.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low1, v1 & nibble) & Avx2.Shuffle(high1, Vector256.ShiftRightLogical(v1.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low2, v2 & nibble) & Avx2.Shuffle(high2, Vector256.ShiftRightLogical(v2.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low3, v3 & nibble) & Avx2.Shuffle(high3, Vector256.ShiftRightLogical(v3.AsUInt16(), 4).AsByte() & nibble);
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
            for (; i + 19 <= end; i += 16)
            {
                var m = Lookup(Vector128.LoadUnsafe(ref data, (nuint)i), 0, nibble)
                    & Lookup(Vector128.LoadUnsafe(ref data, (nuint)(i + 1)), 1, nibble)
                    & Lookup(Vector128.LoadUnsafe(ref data, (nuint)(i + 2)), 2, nibble)
                    & Lookup(Vector128.LoadUnsafe(ref data, (nuint)(i + 3)), 3, nibble);
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
            var key = Key((char)bytes[at], (char)bytes[at + 1], (char)bytes[at + 2]);
            if ((_fingerprints[key >> 6] & (1UL << (key & 63))) == 0)
            {
                return -1;
            }

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
        /// Chooses each word's fingerprint (four consecutive characters) and bucket greedily: the choice that least raises
        /// the expected rate of candidates in ordinary text, estimated from rough character frequencies in logs. A bucket
        /// admits every combination of its nibbles, so words whose fingerprints share nibbles go together.
        /// </summary>
        private void BuildFingerprints(List<Word> words)
        {
            var weights = new double[16, 16];
            for (var b = 0; b < 256; b++)
            {
                weights[b & 0x0F, b >> 4] = Weight((char)b);
            }

            var lists = Enumerable.Range(0, Buckets).Select(_ => new List<Fingerprinted>()).ToArray();
            var lows = new int[Buckets, Positions];
            var highs = new int[Buckets, Positions];
            foreach (var word in words.OrderByDescending(w => w.Text.Length))
            {
                var best = (Cost: double.MaxValue, Bucket: 0, Offset: 0);
                for (var offset = 0; offset + Math.Min(Positions, word.Text.Length) <= word.Text.Length; offset++)
                {
                    for (var bucket = 0; bucket < Buckets; bucket++)
                    {
                        double before = 1, after = 1;
                        for (var k = 0; k < Positions; k++)
                        {
                            var (low, high) = Nibbles(word, offset + k);
                            before *= Rate(weights, lows[bucket, k], highs[bucket, k]);
                            after *= Rate(weights, lows[bucket, k] | low, highs[bucket, k] | high);
                        }

                        var cost = lists[bucket].Count == 0 ? after : after - before;
                        if (cost < best.Cost)
                        {
                            best = (cost, bucket, offset);
                        }
                    }
                }

                lists[best.Bucket].Add(new Fingerprinted(word, best.Offset));
                for (var k = 0; k < Positions; k++)
                {
                    var (low, high) = Nibbles(word, best.Offset + k);
                    lows[best.Bucket, k] |= low;
                    highs[best.Bucket, k] |= high;
                }

                var key = Key(word.Text[best.Offset], word.Text[best.Offset + 1], word.Text[best.Offset + 2]);
                _fingerprints[key >> 6] |= 1UL << (key & 63);
            }

            for (var bucket = 0; bucket < Buckets; bucket++)
            {
                _buckets[bucket] = lists[bucket].ToArray();
                for (var k = 0; k < Positions; k++)
                {
                    for (var n = 0; n < 16; n++)
                    {
                        _low[k][n] |= (byte)((lows[bucket, k] >> n & 1) << bucket);
                        _high[k][n] |= (byte)((highs[bucket, k] >> n & 1) << bucket);
                    }
                }
            }

            for (var k = 0; k < Positions; k++)
            {
                for (var b = 0; b < 256; b++)
                {
                    _byteMasks[k][b] = (byte)(_low[k][b & 0x0F] & _high[k][b >> 4]);
                }
            }
        }

        /// <summary>The low and the high nibbles (as 16-bit sets) of the bytes a word's character matches (past its end: any byte).</summary>
        private static (int Low, int High) Nibbles(Word word, int at)
        {
            if (at >= word.Text.Length)
            {
                return (0xFFFF, 0xFFFF);
            }

            int low = 0, high = 0;
            foreach (var variant in Cases(word, word.Text[at]))
            {
                low |= 1 << (variant & 0x0F);
                high |= 1 << (variant >> 4);
            }

            return (low, high);
        }

        /// <summary>The expected share of ordinary bytes whose nibbles are both in the sets.</summary>
        private static double Rate(double[,] weights, int lows, int highs)
        {
            var rate = 0.0;
            for (var low = 0; low < 16; low++)
            {
                for (var high = 0; high < 16 && (lows >> low & 1) != 0; high++)
                {
                    rate += (highs >> high & 1) != 0 ? weights[low, high] : 0;
                }
            }

            return rate;
        }

        /// <summary>A rough frequency of a byte in log text (English letters by rank, upper case rarer, digits, punctuation).</summary>
        private static double Weight(char c)
        {
            var rank = " etaoinsrhldcumfpgwybvkxjqz".IndexOf(char.ToLowerInvariant(c));
            return rank >= 0 ? (30.0 - rank) / (c >= 'A' && c <= 'Z' ? 4 : 1)
                : c >= '0' && c <= '9' ? 15 : ":./-_=\",[]()".IndexOf(c) >= 0 ? 8 : c < 0x80 ? 1 : 2;
        }

        private static IEnumerable<char> Cases(Word word, char c) =>
            !word.Exact && c >= 'a' && c <= 'z' ? new[] { c, (char)(c - 0x20) } : new[] { c };

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
