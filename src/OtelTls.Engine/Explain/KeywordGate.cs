using System;
using System.Collections.Generic;
using System.Linq;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.CompilerServices;
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
    /// five consecutive characters (its fingerprint; a shorter word takes any byte past its end) and put in one of eight
    /// buckets, both chosen so that ordinary text rarely looks like a candidate. Per fingerprint position a table gives the
    /// buckets a byte can be that character of, and a position is a candidate when its five bytes share a bucket. With
    /// AVX-512 VBMI the tables are exact (one 128-entry two-register byte permutation per position, 64 positions per step);
    /// with AVX2 (32 per step), SSSE3 or Arm64 (16) they are the "Teddy" nibble tables of Hyperscan and Rust's regex (a
    /// byte's low and high nibbles each look up a bucket mask, so a bucket admits every combination of its nibbles); the
    /// scalar loop (netstandard2.0, or no vector instructions) reads the exact tables a byte at a time. A candidate is
    /// checked against the exact tables, then a 32 Ki-bit table of the fingerprints' first three characters, and only then
    /// compares the words of its buckets. A word that contains another any-case word gets no fingerprint: a text with it
    /// has the other.</para>
    /// <para>The search methods are compiled fully optimised at once (AggressiveOptimization): a log is searched by few
    /// calls that each run long, so tiered compilation would start the first files of a session (the cmdlet in a fresh
    /// pwsh) in unoptimised code, where a vector operation is a call, until on-stack replacement or tier 1 takes over.</para>
    /// <para>Words are ASCII; any-case words match ASCII letters in either case, the others as written (error codes such as
    /// UNAVAILABLE). A word never contains CR or LF, so a match never crosses a line end.</para>
    /// </remarks>
    internal sealed class KeywordGate
    {
        private const int KeyBits = 15;
        private const int Buckets = 8;

        /// <summary>
        /// Fingerprint length: five bytes (a shorter word takes any byte past its end, and goes to the last bucket, with
        /// no longer word). With four, ordinary words sharing four letters with a failure word (" ver" of "not verified" in
        /// every "version") or a mix of a bucket's fingerprints made 0.81% of the log benchmark's positions candidates;
        /// with five and the short words apart, 0.33%, and fewer in every other log measured (docs/performance.md).
        /// </summary>
        private const int Positions = 5;

        private readonly ulong[] _starts = new ulong[(1 << KeyBits) / 64];
        private readonly Word[]?[] _words = new Word[]?[1 << KeyBits];

        /// <summary>Per bucket, the words in it and where their fingerprint starts in them.</summary>
        private readonly Fingerprinted[][] _buckets = new Fingerprinted[Buckets][];

        /// <summary>
        /// Per fingerprint position (0 to 4): the buckets a byte belongs to, exactly (the byte is that character of one of
        /// the bucket's fingerprints). The scalar loop and the 128-entry tables of the AVX-512 search use these.
        /// </summary>
        private readonly byte[][] _byteMasks = Enumerable.Range(0, Positions).Select(_ => new byte[256]).ToArray();

        /// <summary>The fingerprints' keys (as <see cref="Key"/> folds them): a candidate's first three bytes must be one.</summary>
        private readonly ulong[] _fingerprints = new ulong[(1 << KeyBits) / 64];

        /// <summary>Per fingerprint position: the low-nibble and the high-nibble tables of the 16- and 32-byte searches.</summary>
        private readonly byte[][] _low = Enumerable.Range(0, Positions).Select(_ => new byte[16]).ToArray();

        private readonly byte[][] _high = Enumerable.Range(0, Positions).Select(_ => new byte[16]).ToArray();

        /// <summary>How byte searches run (tests choose each one to check it against the scalar loop).</summary>
        private readonly GateSearch _search;

        /// <param name="anyCase">Words matched in any letter case.</param>
        /// <param name="exactCase">Words matched as written.</param>
        /// <param name="vectorised">Whether byte searches may use vector instructions where the processor has them.</param>
        public KeywordGate(string[] anyCase, string[]? exactCase = null, bool vectorised = true)
            : this(anyCase, exactCase, vectorised ? Fastest : GateSearch.Scalar)
        {
        }

        /// <param name="anyCase">Words matched in any letter case.</param>
        /// <param name="exactCase">Words matched as written.</param>
        /// <param name="search">The byte search to use (it must be <see cref="IsSupported"/>).</param>
        internal KeywordGate(string[] anyCase, string[]? exactCase, GateSearch search)
        {
            if (!IsSupported(search))
            {
                throw new PlatformNotSupportedException($"The {search} byte search needs instructions this processor or runtime does not have.");
            }

            _search = search;
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

            // A word that contains another (any-case) word adds nothing to "does the text contain one": a text with it has
            // the other too. Only the contained one needs a fingerprint (UNABLE_TO is found as unable).
            BuildFingerprints(words.Where(w => !words.Any(o => !o.Exact && o.Text.Length < w.Text.Length && w.Text.IndexOf(o.Text, StringComparison.OrdinalIgnoreCase) >= 0)).ToList());
#if NET8_0_OR_GREATER
            _vectors = new Vector128<byte>[2 * Positions];
            for (var k = 0; k < Positions; k++)
            {
                _vectors[2 * k] = Vector128.Create(_low[k]);
                _vectors[(2 * k) + 1] = Vector128.Create(_high[k]);
            }

            if (search == GateSearch.Avx512Vbmi)
            {
                _tables = new Vector512<byte>[2 * Positions];
                for (var k = 0; k < Positions; k++)
                {
                    _tables[2 * k] = Vector512.Create(_byteMasks[k].AsSpan(0, 64));
                    _tables[(2 * k) + 1] = Vector512.Create(_byteMasks[k].AsSpan(64, 64));
                }
            }
#endif
        }

        /// <summary>Each bucket's fingerprints, as "bucket: fingerprint(word) ..." lines (the log-scan profile prints them).</summary>
        internal string Describe() => string.Join("\n", _buckets.Select((b, i) => $"{i}: " + string.Join(" ", b.Select(f => $"{f.Word.Text.Substring(f.Offset, Math.Min(Positions, f.Word.Text.Length - f.Offset))}({f.Word.Text})"))));

        /// <summary>The fastest byte search this processor and runtime have.</summary>
        internal static GateSearch Fastest =>
            IsSupported(GateSearch.Avx512Vbmi) ? GateSearch.Avx512Vbmi
            : IsSupported(GateSearch.Avx2) ? GateSearch.Avx2
            : IsSupported(GateSearch.Vector128) ? GateSearch.Vector128
            : GateSearch.Scalar;

        /// <summary>Whether this processor and runtime can run a byte search.</summary>
        internal static bool IsSupported(GateSearch search) => search switch
        {
#if NET8_0_OR_GREATER
            GateSearch.Avx512Vbmi => Avx512Vbmi.IsSupported && Avx512BW.IsSupported,
            GateSearch.Avx2 => Avx2.IsSupported,
            GateSearch.Vector128 => Ssse3.IsSupported || AdvSimd.Arm64.IsSupported,
#endif
            GateSearch.Scalar => true,
            _ => false,
        };

        /// <summary>Whether byte searches may use vector instructions.</summary>
        public bool Vectorised => _search != GateSearch.Scalar;

        /// <summary>How byte searches run.</summary>
        internal GateSearch Search => _search;

        /// <summary>Whether the line contains one of the words.</summary>
#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
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
#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
        public int IndexIn(byte[] bytes, int from, int end)
        {
            if (from < 0 || end > bytes.Length || from > end)
            {
                throw new ArgumentOutOfRangeException(nameof(end));
            }

            var i = from;
#if NET8_0_OR_GREATER
            if (_search != GateSearch.Scalar)
            {
                var found = IndexInVectors(bytes, from, end, ref i);
                if (found >= 0)
                {
                    return found;
                }
            }
#endif
            for (; i + 3 <= end; i++)
            {
                var buckets = BucketsAt(bytes, i, end);
                if (buckets != 0)
                {
                    var word = Confirm(bytes, i, buckets, from, end);
                    if (word >= 0)
                    {
                        return word;
                    }
                }
            }

            return -1;
        }

        /// <summary>
        /// The buckets whose fingerprints the bytes at <paramref name="at"/> are, exactly (at the very end only words shorter
        /// than a fingerprint can start; their fingerprint bytes past the end are any byte).
        /// </summary>
#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
        private int BucketsAt(byte[] bytes, int at, int end) =>
            _byteMasks[0][bytes[at]] & _byteMasks[1][bytes[at + 1]] & _byteMasks[2][bytes[at + 2]] & (at + 3 < end ? _byteMasks[3][bytes[at + 3]] : 0xFF)
            & (at + 4 < end ? _byteMasks[4][bytes[at + 4]] : 0xFF);

        /// <summary>
        /// How many positions of <c>bytes[from..end)</c> the search's tables admit (exact tables, or the nibble tables of the
        /// 16- and 32-byte searches), and how many of those also pass the fingerprint key table and compare words: what the
        /// search pays for beyond its tables.
        /// </summary>
        internal (long Admitted, long Compared) CountCandidates(byte[] bytes, int from, int end)
        {
            long admitted = 0, compared = 0;
            var nibbles = _search is GateSearch.Avx2 or GateSearch.Vector128;
            for (var i = from; i + 3 <= end; i++)
            {
                var vector = 0xFF;
                for (var k = 0; k < Positions && nibbles; k++)
                {
                    vector &= i + k < end ? _low[k][bytes[i + k] & 0x0F] & _high[k][bytes[i + k] >> 4] : 0xFF;
                }

                if ((nibbles ? vector : BucketsAt(bytes, i, end)) != 0)
                {
                    admitted++;
                    var key = Key((char)bytes[i], (char)bytes[i + 1], (char)bytes[i + 2]);
                    compared += BucketsAt(bytes, i, end) != 0 && (_fingerprints[key >> 6] & (1UL << (key & 63))) != 0 ? 1 : 0;
                }
            }

            return (admitted, compared);
        }

#if NET8_0_OR_GREATER
        private readonly Vector128<byte>[] _vectors;

        /// <summary>Per fingerprint position, the exact bucket masks of bytes 0 to 63 and 64 to 127 (AVX-512 only).</summary>
        private readonly Vector512<byte>[]? _tables;

        /// <summary>
        /// The vector searches: steps of 64, 32 or 16 positions until one has candidates, which are then confirmed; leaves
        /// <paramref name="i"/> where the scalar loop takes over (the last bytes, fewer than a step and three).
        /// </summary>
        /// <remarks>
        /// The stepping runs in methods of its own that call nothing: with a call in the loop (the confirmation) the JIT
        /// kept the eight tables on the stack and moved them in and out of registers at every step.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int IndexInVectors(byte[] bytes, int from, int end, ref int i)
        {
            ref var data = ref MemoryMarshal.GetArrayDataReference(bytes);
            var width = _search == GateSearch.Avx512Vbmi ? 64 : _search == GateSearch.Avx2 ? 32 : 16;
            var at = i;
            while (true)
            {
                ulong candidates;
                at = _search switch
                {
                    GateSearch.Avx512Vbmi => StepAvx512(ref data, at, end, _tables!, out candidates),
                    GateSearch.Avx2 => StepAvx2(ref data, at, end, _vectors, out candidates),
                    _ => Step128(ref data, at, end, _vectors, out candidates),
                };
                if (candidates == 0)
                {
                    i = at;
                    return -1;
                }

                var found = ConfirmEach(bytes, at, candidates, from, end);
                if (found >= 0)
                {
                    return found;
                }

                at += width;
            }
        }

        /// <summary>
        /// 64 positions per step from <paramref name="at"/>: per fingerprint position one two-register byte permutation looks
        /// up the exact bucket mask of each byte's low seven bits (a byte of 0x80 or more reads the entry of its low seven
        /// bits: a false candidate at worst, never a missed word, since words are ASCII). Returns the first step with
        /// candidates and their bits (bit n: position step + n), or where the steps end and no bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int StepAvx512(ref byte data, int at, int end, Vector512<byte>[] tables, out ulong candidates)
        {
            var (low0, high0, low1, high1) = (tables[0], tables[1], tables[2], tables[3]);
            var (low2, high2, low3, high3) = (tables[4], tables[5], tables[6], tables[7]);
            var (low4, high4) = (tables[8], tables[9]);
            for (; at + 68 <= end; at += 64)
            {
                var m = Avx512Vbmi.PermuteVar64x8x2(low0, Vector512.LoadUnsafe(ref data, (nuint)at), high0)
                    & Avx512Vbmi.PermuteVar64x8x2(low1, Vector512.LoadUnsafe(ref data, (nuint)(at + 1)), high1)
                    & Avx512Vbmi.PermuteVar64x8x2(low2, Vector512.LoadUnsafe(ref data, (nuint)(at + 2)), high2)
                    & Avx512Vbmi.PermuteVar64x8x2(low3, Vector512.LoadUnsafe(ref data, (nuint)(at + 3)), high3)
                    & Avx512Vbmi.PermuteVar64x8x2(low4, Vector512.LoadUnsafe(ref data, (nuint)(at + 4)), high4);
                if (m != Vector512<byte>.Zero)
                {
                    candidates = ~Vector512.Equals(m, Vector512<byte>.Zero).ExtractMostSignificantBits();
                    return at;
                }
            }

            candidates = 0;
            return at;
        }

        /// <summary>32 positions per step, nibble tables by AVX2 byte shuffles; answers as <see cref="StepAvx512"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int StepAvx2(ref byte data, int at, int end, Vector128<byte>[] vectors, out ulong candidates)
        {
            var nibble = Vector256.Create((byte)0x0F);
            var low0 = Vector256.Create(vectors[0], vectors[0]);
            var high0 = Vector256.Create(vectors[1], vectors[1]);
            var low1 = Vector256.Create(vectors[2], vectors[2]);
            var high1 = Vector256.Create(vectors[3], vectors[3]);
            var low2 = Vector256.Create(vectors[4], vectors[4]);
            var high2 = Vector256.Create(vectors[5], vectors[5]);
            var low3 = Vector256.Create(vectors[6], vectors[6]);
            var high3 = Vector256.Create(vectors[7], vectors[7]);
            var low4 = Vector256.Create(vectors[8], vectors[8]);
            var high4 = Vector256.Create(vectors[9], vectors[9]);
            for (; at + 36 <= end; at += 32)
            {
                var v0 = Vector256.LoadUnsafe(ref data, (nuint)at);
                var v1 = Vector256.LoadUnsafe(ref data, (nuint)(at + 1));
                var v2 = Vector256.LoadUnsafe(ref data, (nuint)(at + 2));
                var v3 = Vector256.LoadUnsafe(ref data, (nuint)(at + 3));
                var v4 = Vector256.LoadUnsafe(ref data, (nuint)(at + 4));
                var m = Avx2.Shuffle(low0, v0 & nibble) & Avx2.Shuffle(high0, Vector256.ShiftRightLogical(v0.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low1, v1 & nibble) & Avx2.Shuffle(high1, Vector256.ShiftRightLogical(v1.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low2, v2 & nibble) & Avx2.Shuffle(high2, Vector256.ShiftRightLogical(v2.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low3, v3 & nibble) & Avx2.Shuffle(high3, Vector256.ShiftRightLogical(v3.AsUInt16(), 4).AsByte() & nibble)
                    & Avx2.Shuffle(low4, v4 & nibble) & Avx2.Shuffle(high4, Vector256.ShiftRightLogical(v4.AsUInt16(), 4).AsByte() & nibble);
                if (m != Vector256<byte>.Zero)
                {
                    candidates = ~Vector256.Equals(m, Vector256<byte>.Zero).ExtractMostSignificantBits();
                    return at;
                }
            }

            candidates = 0;
            return at;
        }

        /// <summary>16 positions per step (SSSE3 or Arm64 table lookups); answers as <see cref="StepAvx512"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Step128(ref byte data, int at, int end, Vector128<byte>[] vectors, out ulong candidates)
        {
            var nibble = Vector128.Create((byte)0x0F);
            for (; at + 20 <= end; at += 16)
            {
                var m = Lookup(vectors, Vector128.LoadUnsafe(ref data, (nuint)at), 0, nibble)
                    & Lookup(vectors, Vector128.LoadUnsafe(ref data, (nuint)(at + 1)), 1, nibble)
                    & Lookup(vectors, Vector128.LoadUnsafe(ref data, (nuint)(at + 2)), 2, nibble)
                    & Lookup(vectors, Vector128.LoadUnsafe(ref data, (nuint)(at + 3)), 3, nibble)
                    & Lookup(vectors, Vector128.LoadUnsafe(ref data, (nuint)(at + 4)), 4, nibble);
                if (m != Vector128<byte>.Zero)
                {
                    candidates = ~Vector128.Equals(m, Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFF;
                    return at;
                }
            }

            candidates = 0;
            return at;
        }

        /// <summary>
        /// Confirms the candidates of one vector step, in order: bit n of <paramref name="candidates"/> is position
        /// <paramref name="step"/> + n. Their buckets are taken from the exact byte masks, which drops the nibble tables'
        /// false candidates before any word is compared. The first word found, or -1.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int ConfirmEach(byte[] bytes, int step, ulong candidates, int from, int end)
        {
            for (; candidates != 0; candidates &= candidates - 1)
            {
                var at = step + BitOperations.TrailingZeroCount(candidates);
                var buckets = BucketsAt(bytes, at, end);
                if (buckets != 0)
                {
                    var found = Confirm(bytes, at, buckets, from, end);
                    if (found >= 0)
                    {
                        return found;
                    }
                }
            }

            return -1;
        }

        private static Vector128<byte> Lookup(Vector128<byte>[] vectors, Vector128<byte> v, int position, Vector128<byte> nibble)
        {
            var low = v & nibble;
            var high = Vector128.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
            return Ssse3.IsSupported
                ? Ssse3.Shuffle(vectors[2 * position], low) & Ssse3.Shuffle(vectors[(2 * position) + 1], high)
                : AdvSimd.Arm64.VectorTableLookup(vectors[2 * position], low) & AdvSimd.Arm64.VectorTableLookup(vectors[(2 * position) + 1], high);
        }
#endif

        /// <summary>Compares the words of the candidate's buckets whose fingerprint would sit at <paramref name="at"/>.</summary>
#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
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

#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
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
        /// Chooses each word's fingerprint (five consecutive characters) and bucket greedily: the choice that least raises
        /// the expected rate of candidates in ordinary text, estimated from rough character frequencies in logs. The rate is
        /// the one of the search's tables: a nibble-table bucket admits every combination of its nibbles (so words whose
        /// fingerprints share nibbles go together), an exact-table bucket only the bytes of its fingerprints.
        /// </summary>
        private void BuildFingerprints(List<Word> words)
        {
            var weights = new double[256];
            for (var b = 0; b < 256; b++)
            {
                weights[b] = Weight((char)b);
            }

            var nibbles = _search is GateSearch.Avx2 or GateSearch.Vector128;
            var lists = Enumerable.Range(0, Buckets).Select(_ => new List<Fingerprinted>()).ToArray();
            var sets = new ByteSet[Buckets, Positions];
            foreach (var word in words.OrderByDescending(w => w.Text.Length))
            {
                var best = (Cost: double.MaxValue, Bucket: 0, Offset: 0);
                for (var offset = 0; offset + Math.Min(Positions, word.Text.Length) <= word.Text.Length; offset++)
                {
                    for (var bucket = 0; bucket < Buckets; bucket++)
                    {
                        // Words shorter than a fingerprint leave its last bytes open: they get the last bucket, alone.
                        if ((word.Text.Length < Positions) != (bucket == Buckets - 1))
                        {
                            continue;
                        }

                        double before = 1, after = 1;
                        for (var k = 0; k < Positions; k++)
                        {
                            before *= sets[bucket, k].Rate(weights, nibbles);
                            after *= sets[bucket, k].With(Bytes(word, offset + k)).Rate(weights, nibbles);
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
                    sets[best.Bucket, k] = sets[best.Bucket, k].With(Bytes(word, best.Offset + k));
                }

                var key = Key(word.Text[best.Offset], word.Text[best.Offset + 1], word.Text[best.Offset + 2]);
                _fingerprints[key >> 6] |= 1UL << (key & 63);
            }

            for (var bucket = 0; bucket < Buckets; bucket++)
            {
                _buckets[bucket] = lists[bucket].ToArray();
                for (var k = 0; k < Positions; k++)
                {
                    var set = sets[bucket, k];
                    for (var b = 0; b < 256; b++)
                    {
                        if (set.Contains(b))
                        {
                            _byteMasks[k][b] |= (byte)(1 << bucket);
                            _low[k][b & 0x0F] |= (byte)(1 << bucket);
                            _high[k][b >> 4] |= (byte)(1 << bucket);
                        }
                    }
                }
            }
        }

        /// <summary>The bytes a word's character matches (past its end: any byte).</summary>
        private static ByteSet Bytes(Word word, int at)
        {
            if (at >= word.Text.Length)
            {
                return ByteSet.All;
            }

            var set = default(ByteSet);
            foreach (var variant in Cases(word, word.Text[at]))
            {
                set = set.With(variant);
            }

            return set;
        }

        /// <summary>A set of byte values.</summary>
        private readonly struct ByteSet
        {
            private readonly ulong _a, _b, _c, _d;

            private ByteSet(ulong a, ulong b, ulong c, ulong d)
            {
                _a = a;
                _b = b;
                _c = c;
                _d = d;
            }

            public static ByteSet All => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

#if NET8_0_OR_GREATER
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
            public bool Contains(int b) => ((b >> 6) switch { 0 => _a, 1 => _b, 2 => _c, _ => _d } >> (b & 63) & 1) != 0;

            public ByteSet With(int b) => (b >> 6) switch
            {
                0 => new(_a | (1UL << (b & 63)), _b, _c, _d),
                1 => new(_a, _b | (1UL << (b & 63)), _c, _d),
                2 => new(_a, _b, _c | (1UL << (b & 63)), _d),
                _ => new(_a, _b, _c, _d | (1UL << (b & 63))),
            };

            public ByteSet With(ByteSet other) => new(_a | other._a, _b | other._b, _c | other._c, _d | other._d);

            /// <summary>
            /// The expected weight of ordinary bytes the set admits: exactly its members, or (<paramref name="nibbles"/>)
            /// every byte whose low nibble and high nibble both occur among its members.
            /// </summary>
            public double Rate(double[] weights, bool nibbles)
            {
                int lows = 0, highs = 0;
                var rate = 0.0;
                for (var b = 0; b < 256; b++)
                {
                    if (Contains(b))
                    {
                        lows |= 1 << (b & 0x0F);
                        highs |= 1 << (b >> 4);
                        rate += weights[b];
                    }
                }

                if (!nibbles)
                {
                    return rate;
                }

                rate = 0.0;
                for (var b = 0; b < 256; b++)
                {
                    rate += (lows >> (b & 0x0F) & 1) != 0 && (highs >> (b >> 4) & 1) != 0 ? weights[b] : 0;
                }

                return rate;
            }
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

#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
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

            /// <summary>Where the fingerprint's characters start in the word (a word of four or fewer: at 0, the bytes past its end any).</summary>
            public int Offset { get; }
        }
    }

    /// <summary>How a <see cref="KeywordGate"/> searches bytes.</summary>
    internal enum GateSearch
    {
        /// <summary>One position at a time over exact per-byte bucket masks (netstandard2.0, or no vector instructions).</summary>
        Scalar,

        /// <summary>16 positions per step, nibble tables by SSSE3 or Arm64 table lookups.</summary>
        Vector128,

        /// <summary>32 positions per step, nibble tables by AVX2 byte shuffles.</summary>
        Avx2,

        /// <summary>64 positions per step, exact 128-entry tables by AVX-512 VBMI two-register byte permutations.</summary>
        Avx512Vbmi,
    }
}
